#include "proxy/strategy_peer.h"

#include "fix/log.h"
#include "fix/logon_signature.h"
#include "fix/raw_fields.h"
#include "proxy/capture_log.h"
#include "proxy/quickfix_settings.h"

#include <chrono>

namespace fixguard::proxy {

StrategyPeer::StrategyPeer(const std::vector<config::ClientConfig>& clients, Options options) : options_(options) {
  settings_ = std::make_unique<FIX::SessionSettings>();
  // QuickFIX's initiators read ReconnectInterval from the defaults only.
  FIX::Dictionary defaults;
  defaults.setInt("ReconnectInterval", options.reconnect_s);
  if (options.tls) {
    defaults.setString("SSLProtocol", options.tls->protocol);
    if (!options.tls->ca_file.empty()) defaults.setString("CertificationAuthoritiesFile", options.tls->ca_file);
    if (!options.tls->cert_file.empty()) {
      defaults.setString("ClientCertificateFile", options.tls->cert_file);
      defaults.setString("ClientCertificateKeyFile", options.tls->key_file);
    }
  }
  settings_->set(defaults);
  for (const config::ClientConfig& c : clients) {
    FIX::Dictionary d = peer_settings(c, true);
    d.setString("SocketConnectHost", options.host);
    d.setInt("SocketConnectPort", options.port);
    d.setInt("HeartBtInt", options.heartbeat_s);
    const FIX::SessionID id(c.begin_string, c.target_comp_id, c.sender_comp_id);
    settings_->set(id, d);
    ids_.emplace(c.name, id);
  }
  if (options.store_dir.empty())
    store_ = std::make_unique<FIX::MemoryStoreFactory>();
  else
    store_ = std::make_unique<FIX::FileStoreFactory>(options.store_dir);
  if (!options.log_dir.empty()) file_log_ = std::make_unique<FIX::FileLogFactory>(options.log_dir);
  log_ = std::make_unique<CaptureLogFactory>(
      "strategy", [this](const FIX::SessionID& id, const std::string& raw, bool in) { record(id, raw, in); },
      file_log_.get());
  tls_ = options.tls.has_value();
  if (options.tls)
    initiator_ = std::make_unique<FIX::ThreadedSSLSocketInitiator>(*this, *store_, *settings_, *log_);
  else
    initiator_ = std::make_unique<FIX::ThreadedSocketInitiator>(*this, *store_, *settings_, *log_);
}

StrategyPeer::~StrategyPeer() { stop(); }

void StrategyPeer::toAdmin(FIX::Message& message, const FIX::SessionID& id) {
  const FIX::Header& header = message.getHeader();
  if (header.getField(FIX::FIELD::MsgType) != "A") return;
  const auto it = options_.credentials.find(name_of(id));
  if (it == options_.credentials.end()) return;
  const Options::Credentials& c = it->second;
  if (!c.username.empty()) message.setField(FIX::FIELD::Username, c.username);
  if (!c.password.empty()) message.setField(FIX::FIELD::Password, c.password);
  if (!c.hmac_key.empty()) {
    // QuickFIX has filled the header by now: the signature covers it as sent.
    const std::string sending_time = header.getField(FIX::FIELD::SendingTime);
    const std::string seqnum = header.getField(FIX::FIELD::MsgSeqNum);
    const std::string sender = header.getField(FIX::FIELD::SenderCompID);
    const std::string target = header.getField(FIX::FIELD::TargetCompID);
    const std::string signature = fix::logon_signature(c.hmac_key, {sending_time, "A", seqnum, sender, target});
    message.setField(FIX::FIELD::RawDataLength, std::to_string(signature.size()));
    message.setField(FIX::FIELD::RawData, signature);
  }
}

void StrategyPeer::start() { initiator_->start(); }

void StrategyPeer::stop(bool graceful) {
  if (!initiator_ || initiator_->isStopped()) return;
  if (!graceful) {
    // As a process that dies: the connections drop with no Logout. (The
    // initiator's own forced stop still queues a Logout for a session that
    // is logged on, which its next timer tick may send.) Not over TLS: the
    // SSL connection's own thread uses the SSL object, which a disconnect
    // from here would shut down under it.
    if (!tls_)
      for (const auto& [name, id] : ids_)
        if (FIX::Session* s = FIX::Session::lookupSession(id)) s->disconnect();
    initiator_->stop(true);
    return;
  }
  // Log out first and wait for the answers: QuickFIX's own graceful stop
  // polls in whole seconds.
  for (const auto& [name, id] : ids_)
    if (FIX::Session* s = FIX::Session::lookupSession(id)) s->logout();
  {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(2), [&] {
      for (const auto& [name, on] : logged_on_)
        if (on) return false;
      return true;
    });
  }
  initiator_->stop(true);
  for (const auto& [name, id] : ids_)
    if (FIX::Session* s = FIX::Session::lookupSession(id)) s->logon();  // enabled again for a restart
}

std::string StrategyPeer::name_of(const FIX::SessionID& id) const {
  for (const auto& [name, sid] : ids_)
    if (sid == id) return name;
  return id.toString();
}

FIX::SessionID StrategyPeer::session_id(const std::string& client) const { return ids_.at(client); }
FIX::Session* StrategyPeer::session(const std::string& client) const {
  return FIX::Session::lookupSession(ids_.at(client));
}

void StrategyPeer::onLogon(const FIX::SessionID& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  logged_on_[name_of(id)] = true;
  changed_.notify_all();
}

void StrategyPeer::onLogout(const FIX::SessionID& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  logged_on_[name_of(id)] = false;
  changed_.notify_all();
}

void StrategyPeer::record(const FIX::SessionID& id, const std::string& raw, bool incoming) {
  const auto type = fix::find_field(raw, 35);
  if (!type || FIX::Message::isAdminMsgType(FIX::MsgType(std::string(*type)))) return;
  std::lock_guard<std::mutex> lock(mutex_);
  (incoming ? received_ : sent_)[name_of(id)].push_back(raw);
  changed_.notify_all();
}

bool StrategyPeer::wait_logged_on(const std::string& client, int timeout_ms) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    const auto it = logged_on_.find(client);
    return it != logged_on_.end() && it->second;
  });
}

bool StrategyPeer::logged_on(const std::string& client) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = logged_on_.find(client);
  return it != logged_on_.end() && it->second;
}

bool StrategyPeer::send(const std::string& client, FIX::Message message) {
  if (!logged_on(client)) return false;
  return FIX::Session::sendToTarget(message, ids_.at(client));
}

std::vector<std::string> StrategyPeer::received(const std::string& client) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = received_.find(client);
  return it == received_.end() ? std::vector<std::string>() : it->second;
}

std::size_t StrategyPeer::received_count(const std::string& client) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return received_locked(client);
}

std::size_t StrategyPeer::received_locked(const std::string& client) const {
  const auto it = received_.find(client);
  return it == received_.end() ? 0 : it->second.size();
}

std::vector<std::string> StrategyPeer::sent(const std::string& client) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = sent_.find(client);
  return it == sent_.end() ? std::vector<std::string>() : it->second;
}

std::optional<std::string> StrategyPeer::wait_for(const std::string& client,
                                                  const std::function<bool(const std::string&)>& match,
                                                  int timeout_ms) const {
  std::optional<std::string> found;
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    const auto it = received_.find(client);
    if (it == received_.end()) return false;
    for (const std::string& m : it->second)
      if (match(m)) {
        found = m;
        return true;
      }
    return false;
  });
  return found;
}

}  // namespace fixguard::proxy

namespace fixguard::proxy {

bool StrategyPeer::wait_count(const std::string& client, std::size_t count, int timeout_ms) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                           [&] { return received_locked(client) >= count; });
}

}  // namespace fixguard::proxy
