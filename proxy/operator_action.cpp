#include "proxy/operator_action.h"

#include <stdexcept>

namespace fixguard::proxy {
namespace {

void escape(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
}

std::optional<std::string> unescape(std::string_view v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '\\') {
      out += v[i];
      continue;
    }
    if (++i == v.size()) return std::nullopt;
    if (v[i] == '\\')
      out += '\\';
    else if (v[i] == 'n')
      out += '\n';
    else
      return std::nullopt;
  }
  return out;
}

}  // namespace

std::optional<risk::ScopeKind> scope_kind_of(std::string_view text) {
  for (risk::ScopeKind k :
       {risk::ScopeKind::global, risk::ScopeKind::venue, risk::ScopeKind::client, risk::ScopeKind::account})
    if (risk::scope_kind_name(k) == text) return k;
  return std::nullopt;
}

std::string OperatorAction::to_text() const {
  std::string out;
  for (const auto& [key, value] : {std::pair{"what", &what}, std::pair{"scope", &scope}, std::pair{"name", &name},
                                   std::pair{"who", &who}, std::pair{"why", &why}, std::pair{"value", &value}}) {
    out += key;
    out += '=';
    escape(out, *value);
    out += '\n';
  }
  return out;
}

std::optional<OperatorAction> OperatorAction::parse(std::string_view text) {
  OperatorAction a;
  int found = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return std::nullopt;
    const std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    const auto value = unescape(line.substr(eq + 1));
    if (!value) return std::nullopt;
    const std::string_view key = line.substr(0, eq);
    std::string* slot = key == "what"    ? &a.what
                        : key == "scope" ? &a.scope
                        : key == "name"  ? &a.name
                        : key == "who"   ? &a.who
                        : key == "why"   ? &a.why
                        : key == "value" ? &a.value
                                         : nullptr;
    if (!slot) return std::nullopt;
    *slot = *value;
    ++found;
  }
  if (found != 6 || a.what.empty()) return std::nullopt;
  return a;
}

bool changes_engine(std::string_view what) {
  return what == "halt" || what == "reduce-only" || what == "resume" || what == "trip" || what == "reset" ||
         what == "equity" || what == "mark";
}

std::optional<std::string> apply_to_engine(risk::Engine& engine, const OperatorAction& a, int64_t now_ns, int32_t day) {
  if (a.what == "mark") {
    const auto price = risk::Price::parse(a.value);
    if (!price) throw std::invalid_argument("mark price '" + a.value + "' is not a decimal");
    engine.set_mark(a.name, *price, now_ns, day);
    return std::nullopt;
  }
  if (a.what == "equity") {
    const auto equity = risk::Notional::parse(a.value);
    if (!equity) throw std::invalid_argument("equity '" + a.value + "' is not a decimal");
    engine.set_equity(a.name, *equity, now_ns, day);
    return std::nullopt;
  }
  const auto kind = scope_kind_of(a.scope);
  if (!kind) throw std::invalid_argument("scope '" + a.scope + "' is not global, venue, client or account");
  const std::string because = "operator " + a.who + ": " + a.why;
  if (a.what == "trip") {
    if (!engine.trip(a.name, because, now_ns, day)) return "the emergency stop is already tripped";
    return std::nullopt;
  }
  if (a.what == "reset") return engine.reset(a.name, a.who, a.why, now_ns, day);
  if (a.what != "halt" && a.what != "reduce-only" && a.what != "resume")
    throw std::invalid_argument("'" + a.what + "' is not an action on the engine");
  const risk::TradingState state = a.what == "halt"          ? risk::TradingState::halted
                                   : a.what == "reduce-only" ? risk::TradingState::reduce_only
                                                             : risk::TradingState::active;
  engine.set_state(*kind, a.name, state, a.what == "resume" ? std::string() : because);
  return std::nullopt;
}

}  // namespace fixguard::proxy
