// Creates QuickFIX sessions from fixguard's config, without QuickFIX's
// sockets: the transport attaches itself later through FIX::Responder.
#pragma once

#include "config/config.h"
#include "fix/quickfix.h"

#include <map>
#include <memory>
#include <string>

namespace fixguard::fix {

// Thread: construction-time only (the io thread, before it serves).
class SessionBuilder {
 public:
  SessionBuilder(FIX::Application& app, FIX::MessageStoreFactory& stores, FIX::LogFactory* logs)
      : app_(app), stores_(stores), logs_(logs) {}

  // The session facing a strategy (fixguard accepts its logon).
  std::unique_ptr<FIX::Session> acceptor(const config::ClientConfig& c);
  // The session facing a venue (fixguard logs on).
  std::unique_ptr<FIX::Session> initiator(const config::VenueConfig& v);

  static FIX::SessionID session_id(const config::SessionCommon& s);

 private:
  std::unique_ptr<FIX::Session> build(const config::SessionCommon& s, int heartbeat_s);
  std::shared_ptr<FIX::DataDictionary> dictionary(const std::string& path, bool allow_unknown);

  FIX::Application& app_;
  FIX::MessageStoreFactory& stores_;
  FIX::LogFactory* logs_;
  std::map<std::pair<std::string, bool>, std::shared_ptr<FIX::DataDictionary>> dictionaries_;
};

// "FIX.5.0SP2" -> "9", the ApplVerID code QuickFIX keys dictionaries by.
std::string appl_ver_id_code(const std::string& name);

}  // namespace fixguard::fix
