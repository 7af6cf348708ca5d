#include "fix/session_builder.h"

#include <stdexcept>

namespace fixguard::fix {
namespace {

FIX::UtcTimeOnly time_of_day(const std::string& hhmmss) {
  return FIX::UtcTimeOnly(std::stoi(hhmmss.substr(0, 2)), std::stoi(hhmmss.substr(3, 2)),
                          std::stoi(hhmmss.substr(6, 2)));
}

int day_number(const std::optional<std::string>& day) {
  static const char* names[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
  if (!day) return -1;
  for (int i = 0; i < 7; ++i)
    if (*day == names[i]) return i + 1;  // QuickFIX counts Sunday as 1
  return -1;
}

}  // namespace

std::string appl_ver_id_code(const std::string& name) {
  if (name == "FIX.5.0") return FIX::ApplVerID_FIX50;
  if (name == "FIX.5.0SP1") return FIX::ApplVerID_FIX50SP1;
  if (name == "FIX.5.0SP2") return FIX::ApplVerID_FIX50SP2;
  throw std::invalid_argument("unknown ApplVerID " + name);
}

FIX::SessionID SessionBuilder::session_id(const config::SessionCommon& s) {
  return FIX::SessionID(s.begin_string, s.sender_comp_id, s.target_comp_id);
}

std::shared_ptr<FIX::DataDictionary> SessionBuilder::dictionary(const std::string& path, bool allow_unknown) {
  auto& slot = dictionaries_[{path, allow_unknown}];
  if (!slot) {
    try {
      slot = std::make_shared<FIX::DataDictionary>(path);
    } catch (const FIX::ConfigError& e) {
      throw std::runtime_error("cannot load FIX dictionary " + path + ": " + e.what());
    }
    slot->checkFieldsOutOfOrder(true);
    slot->checkFieldsHaveValues(true);
    // Tags 5000 and up are user-defined: forwarded as sent, never refused.
    slot->checkUserDefinedFields(false);
    slot->allowUnknownMsgFields(allow_unknown);
  }
  return slot;
}

std::unique_ptr<FIX::Session> SessionBuilder::build(const config::SessionCommon& s, int heartbeat_s) {
  FIX::DataDictionaryProvider provider;
  const auto transport = dictionary(s.dictionary, s.allow_unknown_fields);
  provider.addTransportDataDictionary(FIX::BeginString(s.begin_string), transport);
  std::string appl_ver_id;
  if (s.begin_string == "FIXT.1.1") {
    appl_ver_id = appl_ver_id_code(s.default_appl_ver_id);
    provider.addApplicationDataDictionary(FIX::ApplVerID(appl_ver_id),
                                          dictionary(s.app_dictionary, s.allow_unknown_fields));
  } else {
    provider.addApplicationDataDictionary(FIX::Message::toApplVerID(FIX::BeginString(s.begin_string)), transport);
  }

  const FIX::TimeRange schedule(time_of_day(s.schedule.start_time), time_of_day(s.schedule.end_time),
                                day_number(s.schedule.start_day), day_number(s.schedule.end_day));
  auto session = std::make_unique<FIX::Session>(app_, stores_, session_id(s), provider, schedule, heartbeat_s, logs_);
  if (!appl_ver_id.empty()) {
    session->setSenderDefaultApplVerID(appl_ver_id);
    session->setTargetDefaultApplVerID(appl_ver_id);
  }
  session->setCheckLatency(true);
  session->setMaxLatency(s.max_latency_s);
  session->setCheckCompId(true);
  // The framer has verified BodyLength and CheckSum of every frame already.
  session->setValidateLengthAndChecksum(false);
  session->setPersistMessages(true);
  session->setResetOnLogout(false);
  session->setResetOnDisconnect(false);
  return session;
}

std::unique_ptr<FIX::Session> SessionBuilder::acceptor(const config::ClientConfig& c) {
  // heartbeat 0 makes QuickFIX treat the session as an acceptor; the interval
  // then comes from the strategy's Logon.
  auto session = build(c, 0);
  session->setResetOnLogon(false);
  return session;
}

std::unique_ptr<FIX::Session> SessionBuilder::initiator(const config::VenueConfig& v) {
  auto session = build(v, v.heartbeat_interval_s);
  session->setResetOnLogon(v.reset_on_logon);
  return session;
}

}  // namespace fixguard::fix
