// Order-entry messages as a strategy writes them, for the demo strategy and
// the tests: a limit buy of IBM unless told otherwise.
#pragma once

#include "fix/quickfix.h"

#include <string>

namespace fixguard::proxy {

FIX::Message new_order(const std::string& clordid, const std::string& qty = "100", const std::string& price = "150.25",
                       const std::string& symbol = "IBM");
FIX::Message replace_order(const std::string& clordid, const std::string& orig, const std::string& qty,
                           const std::string& price);
FIX::Message cancel_order(const std::string& clordid, const std::string& orig, const std::string& qty = "100");
FIX::Message status_request(const std::string& clordid);
// An ExecutionReport as a venue writes it (no fills).
FIX::Message execution_report(const std::string& clordid, char exec_type, char ord_status, const std::string& exec_id,
                              const std::string& order_id = "SIM-X");

}  // namespace fixguard::proxy
