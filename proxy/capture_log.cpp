#include "proxy/capture_log.h"

#include "fix/log.h"

namespace fixguard::proxy {
namespace {

class CaptureLog : public FIX::Log {
 public:
  CaptureLog(std::string name, FIX::SessionID id, const CaptureLogFactory::OnMessage& on_message)
      : name_(std::move(name)), id_(std::move(id)), on_message_(on_message) {}
  void clear() override {}
  void backup() override {}
  void onIncoming(const std::string& m) override { on_message_(id_, m, true); }
  void onOutgoing(const std::string& m) override { on_message_(id_, m, false); }
  void onEvent(const std::string& e) override { log::debug(name_ + " " + id_.toString(), e); }

 private:
  std::string name_;
  FIX::SessionID id_;
  const CaptureLogFactory::OnMessage& on_message_;
};

}  // namespace

FIX::Log* CaptureLogFactory::create() { return new CaptureLog(name_, FIX::SessionID(), on_message_); }
FIX::Log* CaptureLogFactory::create(const FIX::SessionID& id) { return new CaptureLog(name_, id, on_message_); }

}  // namespace fixguard::proxy
