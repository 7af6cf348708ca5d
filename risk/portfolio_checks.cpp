#include "risk/portfolio_checks.h"

#include <limits>
#include <tuple>

namespace fixguard::risk {
namespace {

using R = Decision::Relation;

const AccountState kNoAccount{};

Decision reject(Rule rule, Amount observed, R relation, Amount limit, Scope scope) {
  return Decision{rule, observed, relation, limit, scope};
}

// exposure > equity * ratio, exactly; an equity of zero or less allows none.
bool over_leverage(Notional exposure, Notional equity, Ratio ratio) {
  if (equity.units() <= 0) return exposure.units() > 0;
  // Both sides in 10^-24 units; past the range the order is refused.
  __int128 lhs, rhs;
  if (__builtin_mul_overflow(exposure.units(), static_cast<__int128>(Ratio::kOne), &lhs)) return true;
  if (__builtin_mul_overflow(equity.units(), static_cast<__int128>(ratio.units()), &rhs)) return false;
  return lhs > rhs;
}

std::optional<Decision> exposure_limits(Rule gross_rule, Rule net_rule, const std::optional<Bound<Notional>>& max_gross,
                                        const std::optional<Bound<Notional>>& max_net, const ExposureSums& before,
                                        const ExposureSums& after) {
  if (max_gross && after.gross > before.gross && after.gross > max_gross->value)
    return reject(gross_rule, Amount::of(after.gross), R::above, Amount::of(max_gross->value), max_gross->scope());
  if (max_net) {
    const Notional net = after.net();
    if (net > max_net->value && net > before.net())
      return reject(net_rule, Amount::of(net), R::above, Amount::of(max_net->value), max_net->scope());
  }
  return std::nullopt;
}

}  // namespace

std::optional<Decision> check_position(const OrderRequest& o, const ApplicableLimits& l, const Impact& im) {
  if (o.kind == RequestKind::cancel) return std::nullopt;
  const PositionState& b = im.before;
  const PositionState& a = im.after;
  if (im.side == 0) {
    if (const auto max = l.lowest<&OrderLimits::max_long_qty>();
        max && a.worst_long_qty() > b.worst_long_qty() && a.worst_long_qty() > max->value)
      return reject(Rule::max_long_qty, Amount::of(a.worst_long_qty()), R::above, Amount::of(max->value), max->scope());
    if (const auto max = l.lowest<&OrderLimits::max_long_notional>();
        max && a.worst_long > b.worst_long && a.worst_long > max->value)
      return reject(Rule::max_long_notional, Amount::of(a.worst_long), R::above, Amount::of(max->value), max->scope());
  } else {
    const Quantity short_qty = Quantity() - a.worst_short_qty();
    if (const auto max = l.lowest<&OrderLimits::max_short_qty>();
        max && short_qty > Quantity() - b.worst_short_qty() && short_qty > max->value)
      return reject(Rule::max_short_qty, Amount::of(short_qty), R::above, Amount::of(max->value), max->scope());
    const Notional short_notional = Notional() - a.worst_short;
    if (const auto max = l.lowest<&OrderLimits::max_short_notional>();
        max && short_notional > Notional() - b.worst_short && short_notional > max->value)
      return reject(Rule::max_short_notional, Amount::of(short_notional), R::above, Amount::of(max->value),
                    max->scope());
  }
  if (!im.adds_order) return std::nullopt;
  const AccountState& acc = im.account ? *im.account : kNoAccount;
  if (const auto max = l.lowest<&OrderLimits::max_open_orders>(); max && acc.open_orders + 1 > max->value)
    return reject(Rule::max_open_orders, Amount::of_count(acc.open_orders + 1), R::above, Amount::of_count(max->value),
                  max->scope());
  if (const auto max = l.lowest<&OrderLimits::max_open_orders_per_instrument>(); max && a.open_orders > max->value)
    return reject(Rule::max_open_orders_instrument, Amount::of_count(a.open_orders), R::above,
                  Amount::of_count(max->value), max->scope());
  if (const auto max = l.lowest<&OrderLimits::max_positions>(); max && !b.active && acc.positions + 1 > max->value)
    return reject(Rule::max_positions, Amount::of_count(acc.positions + 1), R::above, Amount::of_count(max->value),
                  max->scope());
  return std::nullopt;
}

std::optional<Decision> check_exposure(const OrderRequest& o, const ApplicableLimits& l, const Impact& im,
                                       const Portfolio& portfolio) {
  if (o.kind == RequestKind::cancel) return std::nullopt;
  const AccountState& acc = im.account ? *im.account : kNoAccount;
  const ExposureSums after = acc.exposure.swapped(im.before, im.after);
  if (auto d = exposure_limits(Rule::max_gross_exposure, Rule::max_net_exposure,
                               l.lowest<&OrderLimits::max_gross_exposure>(), l.lowest<&OrderLimits::max_net_exposure>(),
                               acc.exposure, after))
    return d;
  for (std::size_t i = 0; i < l.groups(); ++i) {
    const ScopeEntry& group = *l.group(i).entry;
    const OrderLimits& g = group.limits;
    const ExposureSums* sums = portfolio.group(im, l.group(i).ordinal);
    const ExposureSums before = sums ? *sums : ExposureSums{};
    auto bound = [&](auto field) {
      const std::optional<Notional>& v = g.*field;
      // A book entry (never combined): every field is its own scope.
      return v ? std::optional<Bound<Notional>>(Bound<Notional>{*v, &group, 0}) : std::nullopt;
    };
    if (auto d = exposure_limits(
            Rule::max_group_gross_exposure, Rule::max_group_net_exposure, bound(&OrderLimits::max_group_gross_exposure),
            bound(&OrderLimits::max_group_net_exposure), before, before.swapped(im.before, im.after)))
      return d;
  }

  const auto leverage = l.lowest<&OrderLimits::max_leverage>();
  const auto instrument_leverage = l.lowest<&OrderLimits::max_instrument_leverage>();
  const auto buying_power = l.any<&OrderLimits::buying_power>();
  if (!leverage && !instrument_leverage && !buying_power) return std::nullopt;
  const bool account_grows = after.gross > acc.exposure.gross;
  const bool instrument_grows = im.after.gross > im.before.gross;
  if (!account_grows && !instrument_grows) return std::nullopt;
  const auto configured = l.most_specific<&OrderLimits::equity>();
  if (!configured) {
    const Rule rule = leverage              ? Rule::max_leverage
                      : instrument_leverage ? Rule::max_instrument_leverage
                                            : Rule::buying_power;
    const Scope scope = leverage              ? leverage->scope()
                        : instrument_leverage ? instrument_leverage->scope()
                                              : *buying_power;
    return reject(rule, Amount(), R::no_equity, Amount(), scope);
  }
  const Notional equity = configured->value + acc.pnl();
  if (leverage && account_grows && over_leverage(after.gross, equity, leverage->value))
    return Decision{Rule::max_leverage,          Amount::of(after.gross), R::over_leverage,
                    Amount::of(leverage->value), leverage->scope(),       Amount::of(equity)};
  if (instrument_leverage && instrument_grows && over_leverage(im.after.gross, equity, instrument_leverage->value))
    return Decision{Rule::max_instrument_leverage,          Amount::of(im.after.gross),   R::over_leverage,
                    Amount::of(instrument_leverage->value), instrument_leverage->scope(), Amount::of(equity)};
  if (buying_power && account_grows) {
    const Notional needed = after.gross - acc.exposure.gross;
    const Notional available = equity - acc.exposure.gross;
    if (needed > available)
      return reject(Rule::buying_power, Amount::of(needed), R::above, Amount::of(available), *buying_power);
  }
  return std::nullopt;
}

std::optional<Decision> check_turnover(const OrderRequest& o, const ApplicableLimits& l, const Impact& im,
                                       int64_t now_ns, int32_t day) {
  if (o.kind == RequestKind::cancel) return std::nullopt;
  const AccountState& acc = im.account ? *im.account : kNoAccount;
  const AccountState::Totals today = acc.today(day);
  const AccountState::Totals minute = acc.last_minute(now_ns);
  if (im.added > Notional()) {
    const std::tuple<Rule, Notional, std::optional<Bound<Notional>>> notional[] = {
        {Rule::max_daily_notional, today.traded, l.lowest<&OrderLimits::max_daily_notional>()},
        {Rule::max_minute_notional, minute.traded, l.lowest<&OrderLimits::max_minute_notional>()}};
    for (const auto& [rule, traded, max] : notional) {
      const Notional worst = traded + acc.open_notional + im.added;
      if (max && worst > max->value)
        return reject(rule, Amount::of(worst), R::above, Amount::of(max->value), max->scope());
    }
  }
  if (o.kind != RequestKind::new_order) return std::nullopt;
  if (const auto max = l.lowest<&OrderLimits::max_daily_orders>(); max && today.orders + 1 > max->value)
    return reject(Rule::max_daily_orders, Amount::of_count(today.orders + 1), R::above, Amount::of_count(max->value),
                  max->scope());
  if (const auto max = l.lowest<&OrderLimits::max_minute_orders>(); max && minute.orders + 1 > max->value)
    return reject(Rule::max_minute_orders, Amount::of_count(minute.orders + 1), R::above, Amount::of_count(max->value),
                  max->scope());
  if (const auto max = l.lowest<&OrderLimits::max_daily_fills>(); max && today.fills >= max->value)
    return reject(Rule::max_daily_fills, Amount::of_count(today.fills), R::at_or_above, Amount::of_count(max->value),
                  max->scope());
  if (const auto max = l.lowest<&OrderLimits::max_minute_fills>(); max && minute.fills >= max->value)
    return reject(Rule::max_minute_fills, Amount::of_count(minute.fills), R::at_or_above, Amount::of_count(max->value),
                  max->scope());
  return std::nullopt;
}

}  // namespace fixguard::risk
