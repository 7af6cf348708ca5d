// What the operator interface answers and does. Reads: /health, /ready,
// /state (JSON), /metrics (Prometheus text). Actions (POST, each with
// `operator` and `reason`, each logged and recorded in operator_action):
//   /halt, /reduce-only, /resume   scope=global|venue|client|account, name
//                                  (halt: cancel=true also pulls the
//                                  scope's open orders)
//   /trip, /reset                  the emergency stop: scope=global|account
//   /flatten                       scope=account, name: market orders closing
//                                  every position of the account
//   /equity                        scope=account, name, equity: the account's
//                                  starting equity (its peak and day-start
//                                  equity start again from it)
//   /mark                          symbol, price: a reference price
//   /reload                        the config file's risk section, at once
//                                  or not at all (422 with the reason)
//   /profile                       name: a limit profile from risk.profiles
//
// Thread: io thread only.
#pragma once

#include "persistence/operator_actions.h"
#include "proxy/admin_server.h"

namespace fixguard::proxy {

class Gateway;

class AdminApi {
 public:
  AdminApi(Gateway& gateway, persistence::OperatorActions& audit) : gateway_(gateway), audit_(audit) {}

  AdminServer::Response handle(const AdminServer::Request& request);

 private:
  AdminServer::Response health() const;
  AdminServer::Response ready() const;
  AdminServer::Response state() const;
  AdminServer::Response metrics() const;
  AdminServer::Response action(const AdminServer::Request& request);

  Gateway& gateway_;
  persistence::OperatorActions& audit_;
};

}  // namespace fixguard::proxy
