#include "risk/order_size.h"

namespace fixguard::risk {
namespace {

Decision reject(Rule rule, Amount observed, Decision::Relation relation, Amount limit, Scope scope) {
  return Decision{rule, observed, relation, limit, scope};
}

}  // namespace

std::optional<Decision> check_order_size(const OrderRequest& o, const ApplicableLimits& l,
                                         std::optional<Price> reference, bool allow_missing_reference) {
  using R = Decision::Relation;
  if (o.kind == RequestKind::cancel) return std::nullopt;

  if (const auto max = l.lowest<&OrderLimits::max_qty>(); max && o.quantity > max->value)
    return reject(Rule::max_order_qty, Amount::of(o.quantity), R::above, Amount::of(max->value), max->scope());
  if (const auto min = l.highest<&OrderLimits::min_qty>(); min && o.quantity < min->value)
    return reject(Rule::min_order_qty, Amount::of(o.quantity), R::below, Amount::of(min->value), min->scope());
  if (const auto lot = l.most_specific<&OrderLimits::lot>();
      lot && lot->value.units() > 0 && o.quantity.units() % lot->value.units() != 0)
    return reject(Rule::lot_size, Amount::of(o.quantity), R::not_multiple, Amount::of(lot->value), lot->scope());
  if (const auto tick = l.most_specific<&OrderLimits::tick>(); tick && tick->value.units() > 0) {
    for (const auto& p : {o.price, o.stop_price})
      if (p && p->units() % tick->value.units() != 0)
        return reject(Rule::price_tick, Amount::of(*p), R::not_multiple, Amount::of(tick->value), tick->scope());
  }

  const auto max_n = l.lowest<&OrderLimits::max_notional>();
  const auto min_n = l.highest<&OrderLimits::min_notional>();
  if (!max_n && !min_n) return std::nullopt;
  const std::optional<Price> price = measured_price(o, reference);
  if (!price) {
    if (allow_missing_reference) return std::nullopt;
    const Scope scope = max_n ? max_n->scope() : min_n->scope();
    return reject(Rule::no_reference_price, Amount::of_text(o.symbol), R::missing, Amount(), scope);
  }
  const Notional n = Notional::of(*price, o.quantity, l.multiplier());
  if (max_n && n > max_n->value)
    return reject(Rule::max_notional, Amount::of(n), R::above, Amount::of(max_n->value), max_n->scope());
  if (min_n && n < min_n->value)
    return reject(Rule::min_notional, Amount::of(n), R::below, Amount::of(min_n->value), min_n->scope());
  return std::nullopt;
}

}  // namespace fixguard::risk
