#include "proxy/client_gate.h"

#include "fix/log.h"
#include "fix/raw_fields.h"
#include "fix/rejects.h"

#include <algorithm>

namespace fixguard::proxy {
namespace {

constexpr const char* kLog = "client-gate";

bool allowed_from(const config::ClientConfig& client, const std::array<uint8_t, 16>& address) {
  if (client.allow_from.empty()) return true;
  return std::any_of(client.allow_from.begin(), client.allow_from.end(),
                     [&](const config::AddressRange& r) { return r.contains(address); });
}

std::string field_or(const std::string& frame, int tag, const char* fallback) {
  const auto v = fix::find_field(frame, tag);
  return v ? std::string(*v) : std::string(fallback);
}

}  // namespace

ClientGate::ClientGate(boost::asio::io_context& io, const config::LimitsConfig& limits,
                       std::vector<SessionSlot*> clients, WriteBarrier* barrier)
    : io_(io), limits_(limits), barrier_(barrier), clients_(std::move(clients)) {}

void ClientGate::accept(boost::asio::ip::tcp::socket socket, std::optional<TlsSetup> tls) {
  // An address no session's allowlist has is turned away before a byte is read.
  const std::array<uint8_t, 16> address = address_bytes(socket);
  const bool allowed = std::any_of(clients_.begin(), clients_.end(),
                                   [&](const SessionSlot* s) { return allowed_from(*s->client, address); });
  if (!allowed) {
    log::warn(kLog, "refused connection from " + describe_peer(socket) + ": in no session's allow_from");
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
  if (!p.slot) {
    identify(p, frame);
    if (!p.slot) return;
  }
  p.slot->deliver(frame, seqnum);
}

void ClientGate::identify(Pending& p, const std::string& frame) {
  const std::string type = field_or(frame, 35, "");
  const std::string begin = field_or(frame, 8, "");
  const std::string sender = field_or(frame, 49, "");
  const std::string target = field_or(frame, 56, "");
  if (type != "A") {
    log::warn(kLog, "closing " + p.connection->peer() + ": first message is MsgType '" + type + "', not a Logon");
    p.connection->close_now("first message is not a Logon");
    return;
  }
  SessionSlot* match = nullptr;
  for (SessionSlot* s : clients_)
    if (s->config->target_comp_id == sender && s->config->sender_comp_id == target) match = s;
  if (!match) {
    refuse(p, frame, "unknown session SenderCompID=" + sender + " TargetCompID=" + target);
    return;
  }
  if (match->config->begin_string != begin) {
    refuse(p, frame,
           "BeginString " + begin + " is not accepted for this session (expected " + match->config->begin_string + ")");
    return;
  }
  if (match->connection) {
    refuse(p, frame, "session " + match->name() + " is already connected");
    return;
  }
  const config::ClientConfig& client = *match->client;
  if (!allowed_from(client, p.connection->peer_address())) {
    refuse(p, frame, "address of " + p.connection->peer() + " is not in session " + match->name() + "'s allow_from",
           true);
    return;
  }
  if (client.require_tls && !p.connection->tls()) {
    refuse(p, frame, "session " + match->name() + " requires TLS (logon over plain TCP)", true);
    return;
  }
  if (p.connection->tls() && !client.certificate_cn.empty() && p.connection->peer_cn() != client.certificate_cn) {
    refuse(p, frame,
           "client certificate CN '" + p.connection->peer_cn() + "' is not the one bound to session " + match->name() +
               " ('" + client.certificate_cn + "')",
           true);
    return;
  }
  const auto reset = fix::find_field(frame, 141);
  if (reset && *reset == "Y" && !match->client->allow_reset) {
    refuse(p, frame, "ResetSeqNumFlag=Y is not allowed for this session");
    return;
  }
  log::info(kLog, "Logon for " + match->name() + " from " + p.connection->peer());
  p.slot = match;
  match->attach(p.connection);
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
