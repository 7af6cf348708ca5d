#include "fix/session_log.h"

#include "fix/log.h"

namespace fixguard::fix {
namespace {

class SessionLog : public FIX::Log {
 public:
  SessionLog(std::string name, bool messages) : name_(std::move(name)), messages_(messages) {}
  void clear() override {}
  void backup() override {}
  void onIncoming(const std::string& m) override {
    if (messages_ && log::enabled(log::Level::debug)) log::debug(name_, "in  " + log::printable_fix(m));
  }
  void onOutgoing(const std::string& m) override {
    if (messages_ && log::enabled(log::Level::debug)) log::debug(name_, "out " + log::printable_fix(m));
  }
  void onEvent(const std::string& e) override { log::info(name_, e); }

 private:
  std::string name_;
  bool messages_;
};

}  // namespace

FIX::Log* SessionLogFactory::create() { return new SessionLog("quickfix", messages_); }

FIX::Log* SessionLogFactory::create(const FIX::SessionID& id) {
  return new SessionLog("session " + id.toString(), messages_);
}

}  // namespace fixguard::fix
