// QuickFIX's per-session log, written to fixguard's log with secrets masked.
#pragma once

#include "fix/quickfix.h"

namespace fixguard::fix {

// Session events (logon, disconnect, resend...) at info; every message in and
// out at debug, only when `messages` is on.
class SessionLogFactory : public FIX::LogFactory {
 public:
  explicit SessionLogFactory(bool messages) : messages_(messages) {}
  FIX::Log* create() override;
  FIX::Log* create(const FIX::SessionID& id) override;
  void destroy(FIX::Log* log) override { delete log; }

 private:
  bool messages_;
};

}  // namespace fixguard::fix
