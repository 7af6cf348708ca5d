// An operator's action as fixguard journals it, so that a replay of the
// journal takes it again: what, on which scope, by whom and why, and its
// value. The part that changes the risk engine's state is one function, run
// live by the admin interface and offline by the journal replay.
//
// Thread: any (values and a function of its arguments).
#pragma once

#include "risk/engine.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fixguard::proxy {

struct OperatorAction {
  std::string what;   // halt, reduce-only, resume, trip, reset, equity, mark, flatten, reload, profile
  std::string scope;  // global, venue, client, account; "" for mark, reload, profile
  std::string name;   // the scope's name; the symbol of a mark; the profile
  std::string who, why;
  std::string value;  // the equity, the mark's price

  // One "key=value" line per member, newlines and backslashes escaped.
  std::string to_text() const;
  // Nothing if `text` is not what to_text() writes.
  static std::optional<OperatorAction> parse(std::string_view text);
};

// "global", "venue", "client", "account" as a scope kind.
std::optional<risk::ScopeKind> scope_kind_of(std::string_view text);

// Whether the action changes the engine's state (and nothing outside it):
// halt, reduce-only, resume, trip, reset, equity, mark.
bool changes_engine(std::string_view what);

// Takes such an action on `engine`. The reason it was refused, if it was;
// nothing if it was taken. Throws std::invalid_argument for an action that
// is not one of them or whose scope or value cannot be read (the admin
// interface checks them first).
std::optional<std::string> apply_to_engine(risk::Engine& engine, const OperatorAction& action, int64_t now_ns,
                                           int32_t day);

}  // namespace fixguard::proxy
