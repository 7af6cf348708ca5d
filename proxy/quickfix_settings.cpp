#include "proxy/quickfix_settings.h"

namespace fixguard::proxy {

FIX::Dictionary peer_settings(const config::SessionCommon& s, bool initiator) {
  FIX::Dictionary d;
  d.setString("ConnectionType", initiator ? "initiator" : "acceptor");
  d.setString("StartTime", s.schedule.start_time);
  d.setString("EndTime", s.schedule.end_time);
  d.setString("UseDataDictionary", "Y");
  d.setString("ValidateUserDefinedFields", "N");
  d.setString("SocketNodelay", "Y");
  d.setString("SocketReuseAddress", "Y");
  if (s.begin_string == "FIXT.1.1") {
    d.setString("TransportDataDictionary", s.dictionary);
    d.setString("AppDataDictionary", s.app_dictionary);
    d.setString("DefaultApplVerID", s.default_appl_ver_id);
  } else {
    d.setString("DataDictionary", s.dictionary);
  }
  return d;
}

}  // namespace fixguard::proxy
