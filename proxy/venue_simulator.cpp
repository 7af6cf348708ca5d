#include "proxy/venue_simulator.h"

#include "fix/log.h"
#include "fix/raw_fields.h"
#include "fix/rejects.h"
#include "proxy/capture_log.h"
#include "proxy/quickfix_settings.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace fixguard::proxy {
namespace {

constexpr const char* kLog = "venue-sim";

std::string field(const FIX::FieldMap& m, int tag) { return m.isSetField(tag) ? m.getField(tag) : std::string(); }

bool is_fix42(const FIX::SessionID& id) { return id.getBeginString().getValue() == "FIX.4.2"; }

// How many times a simulator has started on the session store in `dir`,
// this start included: counted in a file there (no store: always 1).
uint64_t start_number(const std::string& dir) {
  if (dir.empty()) return 1;
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/simulator-starts";
  uint64_t starts = 0;
  std::ifstream(path) >> starts;
  std::ofstream out(path, std::ios::trunc);
  if (!(out << ++starts << '\n') || !out.flush()) throw std::runtime_error("cannot write " + path);
  return starts;
}

}  // namespace

bool RecentMemoryStore::set(int seqnum, const std::string& message) {
  messages_.insert_or_assign(seqnum, message);
  while (messages_.size() > kept_) messages_.erase(messages_.begin());
  return true;
}

void RecentMemoryStore::get(int begin, int end, std::vector<std::string>& out) const {
  out.clear();
  for (auto at = messages_.lower_bound(begin); at != messages_.end() && at->first <= end; ++at)
    out.push_back(at->second);
}

void RecentMemoryStore::reset() {
  FIX::MemoryStore::reset();
  messages_.clear();
}

VenueSimulator::VenueSimulator(const config::Config& config, SimulatorOptions options)
    : options_(std::move(options)),
      fill_(options_.fill),
      rng_(options_.seed * 6364136223846793005ULL + 1442695040888963407ULL) {
  const uint64_t run = start_number(options_.store_dir);
  id_prefix_ = run == 1 ? "SIM-" : "SIM" + std::to_string(run) + "-";
  settings_ = std::make_unique<FIX::SessionSettings>();
  if (options_.tls) {
    FIX::Dictionary defaults;
    defaults.setString("SSLProtocol", "-all +TLSv1_2");
    defaults.setString("ServerCertificateFile", options_.tls->cert_file);
    defaults.setString("ServerCertificateKeyFile", options_.tls->key_file);
    if (!options_.tls->client_ca_file.empty()) {
      defaults.setString("CertificationAuthoritiesFile", options_.tls->client_ca_file);
      defaults.setInt("CertificateVerifyLevel", 1);  // required
    }
    settings_->set(defaults);
  }
  for (const config::VenueConfig& v : config.venues) {
    FIX::Dictionary d = peer_settings(v, false);
    d.setInt("SocketAcceptPort", v.connect.port);
    settings_->set(FIX::SessionID(v.begin_string, v.target_comp_id, v.sender_comp_id), d);
  }
  if (options_.store_dir.empty())
    store_ = std::make_unique<RecentMemoryStoreFactory>(options_.messages_kept);
  else
    store_ = std::make_unique<FIX::FileStoreFactory>(options_.store_dir);
  log_ = std::make_unique<CaptureLogFactory>(
      "venue-sim", [this](const FIX::SessionID&, const std::string& raw, bool in) { record(raw, in); });
  if (options_.tls)
    acceptor_ = std::make_unique<FIX::ThreadedSSLSocketAcceptor>(*this, *store_, *settings_, *log_);
  else
    acceptor_ = std::make_unique<FIX::ThreadedSocketAcceptor>(*this, *store_, *settings_, *log_);
}

VenueSimulator::~VenueSimulator() { stop(); }

void VenueSimulator::start() { acceptor_->start(); }

void VenueSimulator::stop() {
  if (acceptor_ && !acceptor_->isStopped()) acceptor_->stop();
}

void VenueSimulator::kill() {
  if (acceptor_ && !acceptor_->isStopped()) acceptor_->stop(true);
}

void VenueSimulator::onLogon(const FIX::SessionID& id) {
  log::info(kLog, "session logged on: " + id.toString());
  std::lock_guard<std::mutex> lock(mutex_);
  ++logged_on_;
  changed_.notify_all();
}

void VenueSimulator::onLogout(const FIX::SessionID& id) {
  log::info(kLog, "session logged out: " + id.toString());
  std::lock_guard<std::mutex> lock(mutex_);
  if (logged_on_ > 0) --logged_on_;
  changed_.notify_all();
}

void VenueSimulator::record(const std::string& raw, bool incoming) {
  if (!options_.record) return;
  const auto type = fix::find_field(raw, 35);
  if (type && *type == "A" && incoming) {
    std::lock_guard<std::mutex> lock(mutex_);
    logons_.push_back(raw);
  }
  if (!type || FIX::Message::isAdminMsgType(FIX::MsgType(std::string(*type)))) return;
  std::lock_guard<std::mutex> lock(mutex_);
  (incoming ? received_ : sent_).push_back(raw);
  changed_.notify_all();
}

std::vector<std::string> VenueSimulator::logons_received() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return logons_;
}

void VenueSimulator::fromAdmin(const FIX::Message& message, const FIX::SessionID&) {
  if (options_.password.empty() || message.getHeader().getField(FIX::FIELD::MsgType) != "A") return;
  const std::string given = message.isSetField(FIX::FIELD::Password) ? message.getField(FIX::FIELD::Password) : "";
  if (given != options_.password) throw FIX::RejectLogon("wrong or missing password");
}

std::vector<std::string> VenueSimulator::received() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return received_;
}

std::vector<std::string> VenueSimulator::sent() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sent_;
}

std::vector<std::string> VenueSimulator::received(const std::string& msg_type) const {
  std::vector<std::string> out;
  for (const std::string& m : received())
    if (fix::find_field(m, 35) == std::string_view(msg_type)) out.push_back(m);
  return out;
}

bool VenueSimulator::wait_received(const std::string& msg_type, std::size_t count, int timeout_ms) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_until(lock, deadline, [&] {
    std::size_t n = 0;
    for (const std::string& m : received_)
      if (fix::find_field(m, 35) == std::string_view(msg_type)) ++n;
    return n >= count;
  });
}

bool VenueSimulator::wait_logged_on(int timeout_ms) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return logged_on_ > 0; });
}

bool VenueSimulator::logged_on() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return logged_on_ > 0;
}

bool VenueSimulator::draw_reject() {
  if (options_.reject_percent <= 0) return false;
  rng_ = rng_ * 6364136223846793005ULL + 1442695040888963407ULL;
  return static_cast<int>((rng_ >> 33) % 100) < options_.reject_percent;
}

void VenueSimulator::fromApp(const FIX::Message& m, const FIX::SessionID& id) {
  FIX::MsgType type;
  m.getHeader().getField(type);
  const std::string& t = type.getValue();
  if (t == "D")
    on_new(m, id);
  else if (t == "F")
    on_cancel(m, id);
  else if (t == "G")
    on_replace(m, id);
  else if (t == "H")
    on_status(m, id);
  else if (t == "q")
    on_mass_cancel(m, id);
  else
    throw FIX::UnsupportedMessageType();
}

void VenueSimulator::report(const Order& o, char exec_type, const FIX::SessionID& id, const std::string& orig,
                            const std::string& text, std::optional<risk::Quantity> last_qty) {
  FIX::Message er;
  er.getHeader().setField(FIX::MsgType(FIX::MsgType_ExecutionReport));
  er.setField(FIX::OrderID(o.order_id));
  er.setField(FIX::ExecID(id_prefix_ + "E" + std::to_string(next_id_++)));
  if (is_fix42(id)) er.setField(FIX::FieldBase(20, "0"));
  er.setField(FIX::FieldBase(150, std::string(1, exec_type)));
  er.setField(FIX::FieldBase(39, std::string(1, o.status)));
  er.setField(FIX::ClOrdID(o.cl_ord_id));
  if (!orig.empty()) er.setField(FIX::OrigClOrdID(orig));
  if (!o.account.empty()) er.setField(FIX::Account(o.account));
  er.setField(FIX::Symbol(o.symbol));
  er.setField(FIX::FieldBase(54, o.side));
  er.setField(FIX::FieldBase(38, o.qty.to_string()));
  if (!o.ord_type.empty()) er.setField(FIX::FieldBase(40, o.ord_type));
  if (o.has_price) er.setField(FIX::FieldBase(44, o.price.to_string()));
  const bool done = o.status == '2' || o.status == '4' || o.status == '8';
  er.setField(FIX::FieldBase(151, done ? "0" : (o.qty - o.cum).to_string()));
  er.setField(FIX::FieldBase(14, o.cum.to_string()));
  er.setField(FIX::FieldBase(6, o.avg.to_string()));
  if (last_qty) {
    er.setField(FIX::FieldBase(32, last_qty->to_string()));
    er.setField(FIX::FieldBase(31, o.avg.to_string()));
  }
  if (!text.empty()) er.setField(FIX::Text(text));
  er.setField(FIX::TransactTime(FIX::UtcTimeStamp(), 3));
  FIX::Session::sendToTarget(er, id);
}

void VenueSimulator::fill(Order& o, risk::Quantity qty, const FIX::SessionID& id) {
  if (qty.is_zero()) return;
  o.cum = o.cum + qty;
  o.avg = options_.fill_price ? *options_.fill_price : (o.has_price ? o.price : risk::Price::from_int(100));
  o.status = o.cum >= o.qty ? '2' : '1';
  const char exec_type = is_fix42(id) ? o.status : 'F';
  report(o, exec_type, id, "", "", qty);
  if (o.status == '2') done(id, o.cl_ord_id);
}

void VenueSimulator::done(const FIX::SessionID& id, const std::string& cl_ord_id) {
  const std::string session = id.toString();
  std::deque<std::string>& ids = done_[session];
  ids.push_back(cl_ord_id);
  if (ids.size() <= options_.done_kept) return;
  // Unless its ClOrdID was used again since by a live order.
  auto& book = orders_[session];
  if (const auto it = book.find(ids.front());
      it != book.end() && (it->second.status == '2' || it->second.status == '4'))
    book.erase(it);
  ids.pop_front();
}

void VenueSimulator::on_new(const FIX::Message& m, const FIX::SessionID& id) {
  Order o;
  o.order_id = id_prefix_ + "O" + std::to_string(next_id_++);
  o.cl_ord_id = field(m, 11);
  o.symbol = field(m, 55);
  o.side = field(m, 54);
  o.ord_type = field(m, 40);
  o.account = field(m, 1);
  o.qty = risk::Quantity::parse(field(m, 38)).value_or(risk::Quantity());
  if (const auto p = risk::Price::parse(field(m, 44))) {
    o.price = *p;
    o.has_price = true;
  }
  const bool answer = answer_orders_;
  if (answer && draw_reject()) {
    o.status = '8';
    report(o, '8', id, "", "simulated venue reject");
    return;
  }
  o.status = '0';
  Order& kept = orders_[id.toString()][o.cl_ord_id] = o;
  if (!answer) return;  // a venue gone quiet: the order rests, unanswered
  report(kept, '0', id);
  const SimulatorOptions::Fill how = fill_;
  if (o.ord_type == "3" || o.ord_type == "4") return;  // stops wait for a trigger that never comes
  if (how == SimulatorOptions::Fill::full)
    fill(kept, kept.qty, id);
  else if (how == SimulatorOptions::Fill::partial)
    fill(kept, risk::half_in_lots(kept.qty, risk::Quantity::from_int(1)), id);
}

void VenueSimulator::cancel_reject(const FIX::Message& m, char response_to, const FIX::SessionID& id) {
  FIX::Message r;
  r.getHeader().setField(FIX::MsgType(FIX::MsgType_OrderCancelReject));
  r.setField(FIX::OrderID("NONE"));
  r.setField(FIX::ClOrdID(field(m, 11)));
  r.setField(FIX::OrigClOrdID(field(m, 41)));
  r.setField(FIX::OrdStatus(FIX::OrdStatus_REJECTED));
  r.setField(FIX::CxlRejResponseTo(response_to));
  r.setField(FIX::CxlRejReason(1));  // unknown order
  r.setField(FIX::Text("unknown or closed order " + field(m, 41)));
  FIX::Session::sendToTarget(r, id);
}

void VenueSimulator::on_cancel(const FIX::Message& m, const FIX::SessionID& id) {
  auto& book = orders_[id.toString()];
  const auto it = book.find(field(m, 41));
  if (it == book.end() || it->second.status == '2' || it->second.status == '4') {
    cancel_reject(m, '1', id);
    return;
  }
  Order o = it->second;
  book.erase(it);
  o.status = '4';
  const std::string orig = o.cl_ord_id;
  o.cl_ord_id = field(m, 11);
  book[o.cl_ord_id] = o;
  report(o, '4', id, orig);
  done(id, o.cl_ord_id);
}

void VenueSimulator::on_replace(const FIX::Message& m, const FIX::SessionID& id) {
  auto& book = orders_[id.toString()];
  const auto it = book.find(field(m, 41));
  if (it == book.end() || it->second.status == '2' || it->second.status == '4') {
    cancel_reject(m, '2', id);
    return;
  }
  Order o = it->second;
  book.erase(it);
  const std::string orig = o.cl_ord_id;
  o.cl_ord_id = field(m, 11);
  if (const auto q = risk::Quantity::parse(field(m, 38))) o.qty = *q;
  if (const auto p = risk::Price::parse(field(m, 44))) {
    o.price = *p;
    o.has_price = true;
  }
  o.status = o.cum.is_zero() ? '0' : (o.cum >= o.qty ? '2' : '1');
  book[o.cl_ord_id] = o;
  report(o, '5', id, orig);
  if (o.status == '2') done(id, o.cl_ord_id);
}

void VenueSimulator::on_status(const FIX::Message& m, const FIX::SessionID& id) {
  auto& book = orders_[id.toString()];
  const auto it = book.find(field(m, 11));
  if (it == book.end()) {
    Order unknown;
    unknown.order_id = "NONE";
    unknown.cl_ord_id = field(m, 11);
    unknown.symbol = field(m, 55);
    unknown.side = field(m, 54);
    unknown.status = '8';
    report(unknown, is_fix42(id) ? '8' : 'I', id, "", "unknown order");
    return;
  }
  report(it->second, is_fix42(id) ? it->second.status : 'I', id);
}

void VenueSimulator::on_mass_cancel(const FIX::Message& m, const FIX::SessionID& id) {
  const std::string scope = field(m, 530);  // 1: by symbol, 7: all
  const std::string symbol = field(m, 55);
  std::vector<std::string> cancelled;
  for (auto& [clordid, o] : orders_[id.toString()]) {
    if (o.status == '2' || o.status == '4' || o.status == '8') continue;
    if (scope == "1" && o.symbol != symbol) continue;
    o.status = '4';
    report(o, '4', id);
    cancelled.push_back(clordid);
  }
  const std::size_t affected = cancelled.size();
  for (const std::string& c : cancelled) done(id, c);
  FIX::Message r;
  r.getHeader().setField(FIX::MsgType("r"));
  r.setField(FIX::ClOrdID(field(m, 11)));
  r.setField(FIX::OrderID(id_prefix_ + "MC" + std::to_string(next_id_++)));
  r.setField(FIX::FieldBase(530, scope));
  r.setField(FIX::FieldBase(531, scope == "1" || scope == "7" ? scope : "0"));
  r.setField(FIX::FieldBase(533, std::to_string(affected)));
  FIX::Session::sendToTarget(r, id);
}

}  // namespace fixguard::proxy
