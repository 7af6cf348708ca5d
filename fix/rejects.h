// Reject messages fixguard sends to a strategy on its own account (the order
// never reached the venue).
#pragma once

#include "fix/quickfix.h"

#include <string>
#include <string_view>

namespace fixguard::fix {

// A unique ExecID for an ExecutionReport fixguard makes itself.
std::string next_exec_id();

// ExecutionReport 35=8 rejecting the NewOrderSingle `order` (raw FIX):
// 39=8, 150=8 (and 20=0 on FIX 4.2), 37=NONE, 103=`reason`, 58=`text`, with
// the order's ClOrdID, Account, instrument, Side, OrderQty, OrdType and Price.
FIX::Message reject_new_order(std::string_view order, const std::string& begin_string, int reason,
                              const std::string& text);

// OrderCancelReject 35=9 refusing the F or G `request` (raw FIX), with
// CxlRejResponseTo (434) 1 for F and 2 for G, 102=`reason`, 58=`text`.
FIX::Message reject_cancel(std::string_view request, int reason, const std::string& text);

// BusinessMessageReject 35=j for the message `ref` (raw FIX).
FIX::Message business_reject(std::string_view ref, int reason, const std::string& text);

// `code` as the session's FIX version can carry it: FIX 4.2 knows
// OrdRejReason 0-6 and CxlRejReason 0-3 only, so other codes become "broker /
// exchange option" (0 and 2).
int ord_rej_reason_for(const std::string& begin_string, int code);
int cxl_rej_reason_for(const std::string& begin_string, int code);

}  // namespace fixguard::fix

namespace fixguard::fix {

// A Logout (35=5) with MsgSeqNum 1, written without a session, for refusing a
// connection before any session is attached to it. Nothing is stored and no
// session's sequence numbers move.
std::string raw_logout(const std::string& begin_string, const std::string& sender_comp_id,
                       const std::string& target_comp_id, const std::string& text);

}  // namespace fixguard::fix
