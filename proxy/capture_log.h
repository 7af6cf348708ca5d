// A QuickFIX LogFactory that hands every raw message in and out to a
// callback, for the QuickFIX peers (venue simulator, sample strategy) that
// record what crossed the wire. Session events go to fixguard's log at debug.
#pragma once

#include "fix/quickfix.h"

#include <functional>
#include <string>

namespace fixguard::proxy {

class CaptureLogFactory : public FIX::LogFactory {
 public:
  using OnMessage = std::function<void(const FIX::SessionID&, const std::string& raw, bool incoming)>;

  // `also`: a factory whose logs get everything too (QuickFIX's FileLog,
  // for instance), or null.
  CaptureLogFactory(std::string name, OnMessage on_message, FIX::LogFactory* also = nullptr)
      : name_(std::move(name)), on_message_(std::move(on_message)), also_(also) {}
  FIX::Log* create() override;
  FIX::Log* create(const FIX::SessionID& id) override;
  void destroy(FIX::Log* log) override { delete log; }

 private:
  std::string name_;
  OnMessage on_message_;
  FIX::LogFactory* also_;
};

}  // namespace fixguard::proxy
