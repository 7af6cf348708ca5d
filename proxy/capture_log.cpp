#include "proxy/capture_log.h"

#include "fix/log.h"

namespace fixguard::proxy {
namespace {

class CaptureLog : public FIX::Log {
 public:
  CaptureLog(std::string name, FIX::SessionID id, const CaptureLogFactory::OnMessage& on_message,
             FIX::LogFactory* also)
      : name_(std::move(name)),
        id_(std::move(id)),
        on_message_(on_message),
        also_(also),
        also_log_(also ? (id_ == FIX::SessionID() ? also->create() : also->create(id_)) : nullptr) {}
  ~CaptureLog() override {
    if (also_log_) also_->destroy(also_log_);
  }
  void clear() override {}
  void backup() override {}
  void onIncoming(const std::string& m) override {
    on_message_(id_, m, true);
    if (also_log_) also_log_->onIncoming(m);
  }
  void onOutgoing(const std::string& m) override {
    on_message_(id_, m, false);
    if (also_log_) also_log_->onOutgoing(m);
  }
  void onEvent(const std::string& e) override {
    log::debug(name_ + " " + id_.toString(), e);
    if (also_log_) also_log_->onEvent(e);
  }

 private:
  std::string name_;
  FIX::SessionID id_;
  const CaptureLogFactory::OnMessage& on_message_;
  FIX::LogFactory* also_;
  FIX::Log* also_log_;
};

}  // namespace

FIX::Log* CaptureLogFactory::create() { return new CaptureLog(name_, FIX::SessionID(), on_message_, also_); }
FIX::Log* CaptureLogFactory::create(const FIX::SessionID& id) { return new CaptureLog(name_, id, on_message_, also_); }

}  // namespace fixguard::proxy
