#include "proxy/client_gate.h"

#include "fix/log.h"
#include "fix/logon_signature.h"
#include "fix/raw_fields.h"
#include "fix/rejects.h"
#include "proxy/fix_log_reader.h"

#include <openssl/crypto.h>

#include <algorithm>

namespace fixguard::proxy {
namespace {

constexpr const char* kLog = "client-gate";
// Messages a strategy may send after its Logon while its password is being
// checked; more closes the connection.
constexpr std::size_t kMaxHeld = 64;

bool allowed_from(const config::ClientConfig& client, const std::array<uint8_t, 16>& address) {
  if (client.allow_from.empty()) return true;
  return std::any_of(client.allow_from.begin(), client.allow_from.end(),
                     [&](const config::AddressRange& r) { return r.contains(address); });
}

std::string field_or(const std::string& frame, int tag, const char* fallback) {
  const auto v = fix::find_field(frame, tag);
  return v ? std::string(*v) : std::string(fallback);
}

// "10.0.0.1:5000" or "[::1]:5000" without the port.
std::string host_of(const std::string& peer) { return peer.substr(0, peer.rfind(':')); }

}  // namespace

ClientGate::ClientGate(boost::asio::io_context& io, const config::LimitsConfig& limits,
                       std::vector<SessionSlot*> clients, WriteBarrier* barrier)
    : io_(io),
      limits_(limits),
      barrier_(barrier),
      clients_(std::move(clients)),
      throttle_(limits.failed_logons_per_address, limits.failed_logons_per_comp_id,
                std::chrono::seconds(limits.failed_logon_window_s)) {}

ClientGate::~ClientGate() {
  *self_ = nullptr;
  hashing_.join();
}

void ClientGate::accept(boost::asio::ip::tcp::socket socket, std::optional<TlsSetup> tls) {
  // An address no session's allowlist has, or one locked out after failed
  // logons, is turned away before a byte is read.
  const std::array<uint8_t, 16> address = address_bytes(socket);
  const bool allowed = std::any_of(clients_.begin(), clients_.end(),
                                   [&](const SessionSlot* s) { return allowed_from(*s->client, address); });
  const bool locked_out = allowed && throttle_.address_blocked(address, LogonThrottle::Clock::now());
  if (!allowed || locked_out) {
    // A locked-out address was logged when it was locked out; a flood of
    // its connections is not logged line by line.
    if (!allowed) log::warn(kLog, "refused connection from " + describe_peer(socket) + ": in no session's allow_from");
    if (locked_out) log::debug(kLog, "refused connection from " + describe_peer(socket) + ": locked out");
    boost::system::error_code ec;
    socket.close(ec);
    return;
  }
  auto c = std::make_shared<Connection>(std::move(socket), limits_.max_frame_bytes, limits_.max_send_queue_bytes,
                                        std::move(tls));
  c->set_handler(this);
  c->set_barrier(barrier_);
  Pending& p = pending_[c->id()];
  p.connection = c;
  p.logon_timer = std::make_unique<boost::asio::steady_timer>(io_);
  p.logon_timer->expires_after(std::chrono::milliseconds(limits_.logon_timeout_ms));
  const uint64_t id = c->id();
  p.logon_timer->async_wait([this, id](boost::system::error_code ec) {
    if (!ec) on_logon_timeout(id);
  });
  log::info(kLog, "connection from " + c->peer() + (c->tls() ? " (TLS)" : ""));
  c->start();
}

void ClientGate::on_logon_timeout(uint64_t id) {
  const auto it = pending_.find(id);
  if (it == pending_.end()) return;
  Pending& p = it->second;
  if (p.slot && p.slot->logged_on()) return;
  log::warn(kLog, "closing " + p.connection->peer() + ": no Logon within " + std::to_string(limits_.logon_timeout_ms) +
                      " ms");
  p.connection->close_now("no Logon within the logon timeout");
}

void ClientGate::on_frame(Connection& c, const std::string& frame) {
  const auto it = pending_.find(c.id());
  if (it == pending_.end()) return;
  Pending& p = it->second;
  const int seqnum = parse_seqnum(frame);
  if (seqnum < 1) {
    log::warn(kLog, "closing " + c.peer() + ": MsgSeqNum missing or out of range in " + log::printable_fix(frame));
    c.close_now("MsgSeqNum missing or out of range");
    return;
  }
  if (p.verifying) {
    if (p.held.size() >= kMaxHeld) {
      log::warn(kLog, "closing " + c.peer() + ": more than " + std::to_string(kMaxHeld) +
                          " messages before its Logon was answered");
      c.close_now("too many messages before the Logon was answered");
      return;
    }
    p.held.push_back(frame);
    return;
  }
  if (!p.slot) {
    identify(p, frame);
    if (!p.slot) return;
  }
  p.slot->deliver(frame, seqnum);
}

void ClientGate::identify(Pending& p, const std::string& frame) {
  const std::string type = field_or(frame, 35, "");
  if (type != "A") {
    log::warn(kLog, "closing " + p.connection->peer() + ": first message is MsgType '" + type + "', not a Logon");
    p.connection->close_now("first message is not a Logon");
    return;
  }
  const auto now = LogonThrottle::Clock::now();
  if (throttle_.address_blocked(p.connection->peer_address(), now)) {
    refuse(p, frame, "address " + host_of(p.connection->peer()) + " is locked out after failed logons", true);
    return;
  }
  const std::string sender = field_or(frame, 49, "");
  const std::string target = field_or(frame, 56, "");
  SessionSlot* match = nullptr;
  for (SessionSlot* s : clients_)
    if (s->config->target_comp_id == sender && s->config->sender_comp_id == target) match = s;
  if (!match) {
    fail(p, frame, nullptr, "unknown session SenderCompID=" + sender + " TargetCompID=" + target);
    return;
  }
  if (throttle_.comp_id_blocked(sender, p.connection->peer_address(), now)) {
    refuse(p, frame, "CompID " + sender + " is locked out after failed logons", true);
    return;
  }
  const std::string why = authenticate(p, frame, *match);
  if (!why.empty()) {
    fail(p, frame, match, why);
    return;
  }
  if (!p.verifying) admit(p, frame, *match);
}

std::string ClientGate::authenticate(Pending& p, const std::string& frame, SessionSlot& match) {
  const config::ClientConfig& client = *match.client;
  if (!allowed_from(client, p.connection->peer_address()))
    return "address of " + p.connection->peer() + " is not in session " + match.name() + "'s allow_from";
  if (client.require_tls && !p.connection->tls())
    return "session " + match.name() + " requires TLS (logon over plain TCP)";
  if (p.connection->tls() && !client.certificate_cn.empty() && p.connection->peer_cn() != client.certificate_cn)
    return "client certificate CN '" + p.connection->peer_cn() + "' is not the one bound to session " + match.name() +
           " ('" + client.certificate_cn + "')";
  const config::LogonAuth& auth = client.auth;
  if (!auth.username.empty() && fix::find_field(frame, 553) != std::optional<std::string_view>(auth.username))
    return "wrong or missing Username (553)";
  if (!auth.hmac_key.empty()) {
    const auto signature = fix::find_field(frame, 96);
    if (!signature || signature->empty()) return "no signature (RawData 96) in the Logon";
    const std::string_view sending_time = fix::find_field(frame, 52).value_or("");
    const auto at_ns = parse_fix_time(sending_time);
    if (!at_ns) return "SendingTime missing or malformed";
    const auto now = std::chrono::system_clock::now();
    const int64_t skew_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count() - *at_ns;
    const int64_t window_ns = int64_t{auth.window_s} * 1'000'000'000;
    if (skew_ns > window_ns || skew_ns < -window_ns)
      return "SendingTime " + std::string(sending_time) + " is more than " + std::to_string(auth.window_s) +
             " s from fixguard's clock";
    const fix::LogonFields signed_fields{sending_time, "A", fix::find_field(frame, 34).value_or(""),
                                         fix::find_field(frame, 49).value_or(""),
                                         fix::find_field(frame, 56).value_or("")};
    if (!fix::logon_signature_matches(auth.hmac_key, signed_fields, *signature)) return "wrong signature (RawData 96)";
    // Each signature once: a Logon copied off the wire is refused within
    // its window, and outside it SendingTime refuses it.
    for (auto it = signatures_seen_.begin(); it != signatures_seen_.end();)
      it = it->second <= now ? signatures_seen_.erase(it) : std::next(it);
    const std::string seen_key = match.name() + '\x01' + config::from_base64(*signature).value_or("");
    if (!signatures_seen_.emplace(seen_key, now + 2 * std::chrono::seconds(auth.window_s)).second)
      return "signature already used (a replayed Logon)";
  }
  if (auth.password_hash) {
    const auto password = fix::find_field(frame, 554);
    if (!password || password->empty()) return "no Password (554) in the Logon";
    // Slow by design: hashed on the gate's own thread, so that the io
    // thread keeps trading meanwhile.
    p.verifying = &match;
    p.held.push_back(frame);
    boost::asio::post(hashing_, [hash = *auth.password_hash, given = std::string(*password), id = p.connection->id(),
                                 self = std::weak_ptr<ClientGate*>(self_), &io = io_]() mutable {
      const bool ok = hash.verify(given);
      OPENSSL_cleanse(given.data(), given.size());
      boost::asio::post(io, [self, id, ok] {
        if (const auto gate = self.lock(); gate && *gate) (*gate)->on_password_checked(id, ok);
      });
    });
  }
  return "";
}

void ClientGate::on_password_checked(uint64_t id, bool ok) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;  // closed meanwhile
  Pending& p = it->second;
  SessionSlot& match = *p.verifying;
  std::vector<std::string> held = std::move(p.held);
  p.held.clear();
  p.verifying = nullptr;
  if (!ok) {
    fail(p, held.front(), &match, "wrong password (554)");
    return;
  }
  admit(p, held.front(), match);
  // The Logon, then what came after it, as if they had just arrived.
  for (const std::string& frame : held) {
    it = pending_.find(id);
    if (it == pending_.end() || !it->second.slot) return;
    it->second.slot->deliver(frame, parse_seqnum(frame));
  }
}

void ClientGate::admit(Pending& p, const std::string& frame, SessionSlot& match) {
  const std::string begin = field_or(frame, 8, "");
  if (match.config->begin_string != begin) {
    refuse(p, frame,
           "BeginString " + begin + " is not accepted for this session (expected " + match.config->begin_string + ")");
    return;
  }
  if (match.connection) {
    refuse(p, frame, "session " + match.name() + " is already connected");
    return;
  }
  const auto reset = fix::find_field(frame, 141);
  if (reset && *reset == "Y" && !match.client->allow_reset) {
    refuse(p, frame, "ResetSeqNumFlag=Y is not allowed for this session");
    return;
  }
  const config::ClientConfig& client = *match.client;
  std::string proofs;
  const auto add = [&](const std::string& proof) { proofs += (proofs.empty() ? "" : ", ") + proof; };
  if (p.connection->tls() && !client.certificate_cn.empty()) add("certificate CN " + client.certificate_cn);
  if (!client.auth.username.empty()) add("username");
  if (client.auth.password_hash) add("password");
  if (!client.auth.hmac_key.empty()) add("signed logon");
  log::info(kLog, "Logon for " + match.name() + " from " + p.connection->peer() +
                      (proofs.empty() ? "" : " (" + proofs + ")"));
  audit({true, match.name(), p.connection->peer(), "Logon accepted" + (proofs.empty() ? "" : " (" + proofs + ")"),
         log::redacted_fix(frame)});
  throttle_.succeeded(p.connection->peer_address(), match.config->target_comp_id);
  p.slot = &match;
  match.attach(p.connection);
}

void ClientGate::fail(Pending& p, const std::string& frame, const SessionSlot* match, const std::string& why) {
  const std::string comp_id = match ? match->config->target_comp_id : std::string();
  const auto blocked = throttle_.failed(p.connection->peer_address(), comp_id, LogonThrottle::Clock::now());
  audit({false, match ? match->name() : std::string(), p.connection->peer(), "Logon refused: " + why,
         log::redacted_fix(frame)});
  const auto locked_out = [&](const std::string& what, int limit) {
    const std::string text = what + " locked out: " + std::to_string(limit) + " failed logons within " +
                             std::to_string(limits_.failed_logon_window_s) + " s";
    log::warn(kLog, text);
    audit({false, match ? match->name() : std::string(), p.connection->peer(), text, ""});
  };
  if (blocked.address) locked_out("address " + host_of(p.connection->peer()), limits_.failed_logons_per_address);
  if (blocked.comp_id) locked_out("CompID " + comp_id, limits_.failed_logons_per_comp_id);
  refuse(p, frame, why, true);
}

void ClientGate::audit(LogonEvent e) {
  if (on_event_) on_event_(e);
}

void ClientGate::refuse(Pending& p, const std::string& frame, const std::string& why, bool secret) {
  log::warn(kLog, "refused Logon from " + p.connection->peer() + ": " + why);
  const std::string begin = field_or(frame, 8, "FIX.4.4");
  p.connection->send(fix::raw_logout(begin, field_or(frame, 56, "FIXGUARD"), field_or(frame, 49, "UNKNOWN"),
                                     secret ? "Logon refused" : why));
  p.connection->close_after_flush("Logon refused: " + why);
}

void ClientGate::abort_all() {
  for (auto& [id, p] : pending_) {
    p.logon_timer->cancel();
    p.connection->abort();
  }
  pending_.clear();
}

void ClientGate::on_framing_error(Connection& c, const std::string& reason, bool fatal) {
  const auto it = pending_.find(c.id());
  const bool logged_on = it != pending_.end() && it->second.slot && it->second.slot->logged_on();
  if (fatal || !logged_on) {
    // Before a Logon, anything that is not FIX ends the connection.
    log::warn(kLog, "closing " + c.peer() + ": " + reason);
    c.close_now(reason);
    return;
  }
  // A logged-on session ignores a garbled message, as FIX requires; a gap
  // it leaves is recovered by the session's ResendRequest.
  log::warn(it->second.slot->name(), "garbled message ignored: " + reason);
}

void ClientGate::on_closed(Connection& c, const std::string& reason) {
  const auto it = pending_.find(c.id());
  if (it == pending_.end()) return;
  if (it->second.slot) {
    log::info(it->second.slot->name(), "disconnected (" + c.peer() + "): " + reason);
    it->second.slot->detach(c);
  } else {
    log::info(kLog, "connection from " + c.peer() + " closed: " + reason);
  }
  it->second.logon_timer->cancel();
  pending_.erase(it);
}

}  // namespace fixguard::proxy
