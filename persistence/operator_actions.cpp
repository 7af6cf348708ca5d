#include "persistence/operator_actions.h"

#include <stdexcept>

namespace fixguard::persistence {

OperatorActions::OperatorActions(Database& db)
    : db_(db),
      insert_(db.sql(),
              "INSERT INTO operator_action(at_us, operator, action, scope, reason, outcome) VALUES(?, ?, ?, ?, ?, ?)") {
}

void OperatorActions::add(const OperatorAction& a) {
  try {
    insert_.reset();
    insert_.bind(1, static_cast<int64_t>(a.at_us));
    insert_.bind(2, a.operator_name);
    insert_.bind(3, a.action);
    insert_.bind(4, a.scope);
    insert_.bind(5, a.reason);
    insert_.bind(6, a.outcome);
    insert_.exec();
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("cannot record the operator action: ") + e.what());
  }
}

std::vector<OperatorAction> OperatorActions::all() const {
  std::vector<OperatorAction> out;
  SQLite::Statement q(db_.sql(),
                      "SELECT at_us, operator, action, scope, reason, outcome FROM operator_action ORDER BY id");
  while (q.executeStep())
    out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                   q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getString()});
  return out;
}

}  // namespace fixguard::persistence
