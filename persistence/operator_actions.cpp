#include "persistence/operator_actions.h"

#include <stdexcept>

namespace fixguard::persistence {
namespace {

constexpr const char* kInsert =
    "INSERT INTO operator_action(at_us, operator, action, scope, reason, outcome) VALUES(?, ?, ?, ?, ?, ?)";

}  // namespace

OperatorActions::OperatorActions(Database& db) : db_(db) {}

void OperatorActions::add(const OperatorAction& a) {
  try {
    db_.write([a](Statements& s) {
      s.add(kInsert, {int64_t{a.at_us}, a.operator_name, a.action, a.scope, a.reason, a.outcome});
    });
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("cannot record the operator action: ") + e.what());
  }
}

std::vector<OperatorAction> OperatorActions::all() const {
  std::vector<OperatorAction> out;
  if (const auto why = db_.settle()) throw std::runtime_error("cannot write operator actions: " + *why);
  SQLite::Statement q(db_.sql(),
                      "SELECT at_us, operator, action, scope, reason, outcome FROM operator_action ORDER BY id");
  while (q.executeStep())
    out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                   q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getString()});
  return out;
}

}  // namespace fixguard::persistence
