#include "fix/rejects.h"

#include "fix/raw_fields.h"

#include <atomic>
#include <chrono>

namespace fixguard::fix {
namespace {

void copy_fields(std::string_view from, FIX::FieldMap& to, std::initializer_list<int> tags) {
  for (int tag : tags)
    if (auto v = find_field(from, tag)) to.setField(FIX::FieldBase(tag, std::string(*v)), true);
}

}  // namespace

std::string next_exec_id() {
  static const auto start =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  static std::atomic<uint64_t> counter{0};
  return "FG" + std::to_string(start) + "-" + std::to_string(++counter);
}

int ord_rej_reason_for(const std::string& begin_string, int code) {
  return begin_string == "FIX.4.2" && (code < 0 || code > 6) ? 0 : code;
}
int cxl_rej_reason_for(const std::string& begin_string, int code) {
  return begin_string == "FIX.4.2" && (code < 0 || code > 3) ? 2 : code;
}

FIX::Message reject_new_order(std::string_view order, const std::string& begin_string, int reason,
                              const std::string& text) {
  FIX::Message m;
  m.getHeader().setField(FIX::MsgType(FIX::MsgType_ExecutionReport));
  m.setField(FIX::OrderID("NONE"));
  m.setField(FIX::ExecID(next_exec_id()));
  if (begin_string == "FIX.4.2") m.setField(FIX::FieldBase(20, "0"));  // ExecTransType=New
  m.setField(FIX::ExecType(FIX::ExecType_REJECTED));
  m.setField(FIX::OrdStatus(FIX::OrdStatus_REJECTED));
  copy_fields(order, m, {11, 1, 55, 65, 48, 22, 207, 167, 54, 38, 40, 44, 99, 59});
  m.setField(FIX::LeavesQty(0));
  m.setField(FIX::CumQty(0));
  m.setField(FIX::AvgPx(0));
  m.setField(FIX::OrdRejReason(reason));
  m.setField(FIX::Text(text));
  m.setField(FIX::TransactTime(FIX::UtcTimeStamp(), 3));
  return m;
}

FIX::Message reject_cancel(std::string_view request, int reason, const std::string& text) {
  FIX::Message m;
  m.getHeader().setField(FIX::MsgType(FIX::MsgType_OrderCancelReject));
  const auto order_id = find_field(request, 37);
  m.setField(FIX::OrderID(order_id ? std::string(*order_id) : "NONE"));
  copy_fields(request, m, {11, 41, 1});
  // The order's status is not known here; FIX asks for Rejected then.
  m.setField(FIX::OrdStatus(FIX::OrdStatus_REJECTED));
  const auto type = find_field(request, 35);
  m.setField(FIX::CxlRejResponseTo(type && *type == "G" ? '2' : '1'));
  m.setField(FIX::CxlRejReason(reason));
  m.setField(FIX::Text(text));
  return m;
}

FIX::Message business_reject(std::string_view ref, int reason, const std::string& text) {
  FIX::Message m;
  m.getHeader().setField(FIX::MsgType(FIX::MsgType_BusinessMessageReject));
  if (auto seq = find_field(ref, 34)) m.setField(FIX::FieldBase(45, std::string(*seq)));
  if (auto type = find_field(ref, 35)) m.setField(FIX::RefMsgType(std::string(*type)));
  if (auto id = find_field(ref, 11)) m.setField(FIX::BusinessRejectRefID(std::string(*id)));
  m.setField(FIX::BusinessRejectReason(reason));
  m.setField(FIX::Text(text));
  return m;
}

}  // namespace fixguard::fix

namespace fixguard::fix {

std::string raw_logout(const std::string& begin_string, const std::string& sender_comp_id,
                       const std::string& target_comp_id, const std::string& text) {
  FIX::Message m;
  FIX::Header& h = m.getHeader();
  h.setField(FIX::BeginString(begin_string));
  h.setField(FIX::MsgType(FIX::MsgType_Logout));
  h.setField(FIX::SenderCompID(sender_comp_id));
  h.setField(FIX::TargetCompID(target_comp_id));
  h.setField(FIX::MsgSeqNum(1));
  h.setField(FIX::SendingTime(FIX::UtcTimeStamp(), 3));
  m.setField(FIX::Text(text));
  return m.toString();
}

}  // namespace fixguard::fix
