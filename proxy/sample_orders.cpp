#include "proxy/sample_orders.h"

namespace fixguard::proxy {

FIX::Message new_order(const std::string& clordid, const std::string& qty, const std::string& price,
                       const std::string& symbol) {
  FIX::Message m;
  m.getHeader().setField(FIX::MsgType("D"));
  m.setField(FIX::ClOrdID(clordid));
  m.setField(FIX::FieldBase(21, "1"));
  m.setField(FIX::Symbol(symbol));
  m.setField(FIX::Side(FIX::Side_BUY));
  m.setField(FIX::TransactTime(FIX::UtcTimeStamp(), 3));
  m.setField(FIX::FieldBase(38, qty));
  m.setField(FIX::OrdType(FIX::OrdType_LIMIT));
  m.setField(FIX::FieldBase(44, price));
  return m;
}

FIX::Message replace_order(const std::string& clordid, const std::string& orig, const std::string& qty,
                           const std::string& price) {
  FIX::Message m = new_order(clordid, qty, price);
  m.getHeader().setField(FIX::MsgType("G"));
  m.setField(FIX::OrigClOrdID(orig));
  return m;
}

FIX::Message cancel_order(const std::string& clordid, const std::string& orig, const std::string& qty) {
  FIX::Message m;
  m.getHeader().setField(FIX::MsgType("F"));
  m.setField(FIX::OrigClOrdID(orig));
  m.setField(FIX::ClOrdID(clordid));
  m.setField(FIX::Symbol("IBM"));
  m.setField(FIX::Side(FIX::Side_BUY));
  m.setField(FIX::TransactTime(FIX::UtcTimeStamp(), 3));
  m.setField(FIX::FieldBase(38, qty));
  return m;
}

FIX::Message status_request(const std::string& clordid) {
  FIX::Message m;
  m.getHeader().setField(FIX::MsgType("H"));
  m.setField(FIX::ClOrdID(clordid));
  m.setField(FIX::Symbol("IBM"));
  m.setField(FIX::Side(FIX::Side_BUY));
  return m;
}

FIX::Message execution_report(const std::string& clordid, char exec_type, char ord_status, const std::string& exec_id,
                              const std::string& order_id) {
  FIX::Message er;
  er.getHeader().setField(FIX::MsgType("8"));
  er.setField(FIX::OrderID(order_id));
  er.setField(FIX::ExecID(exec_id));
  er.setField(FIX::ClOrdID(clordid));
  er.setField(FIX::ExecType(exec_type));
  er.setField(FIX::OrdStatus(ord_status));
  er.setField(FIX::Symbol("IBM"));
  er.setField(FIX::Side(FIX::Side_BUY));
  er.setField(FIX::LeavesQty(0));
  er.setField(FIX::CumQty(0));
  er.setField(FIX::AvgPx(0));
  return er;
}

}  // namespace fixguard::proxy
