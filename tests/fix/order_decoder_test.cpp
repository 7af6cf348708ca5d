#include "fix/order_decoder.h"
#include "tests/support/harness.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace fixguard::fix {
namespace {

using testing::raw_fix;

risk::OrderRequest decoded(const std::string& m) {
  auto r = decode_order(m);
  if (auto* e = std::get_if<DecodeError>(&r)) ADD_FAILURE() << e->reason;
  return std::get<risk::OrderRequest>(r);
}

std::string error_of(const std::string& m) {
  auto r = decode_order(m);
  if (auto* e = std::get_if<DecodeError>(&r)) return e->reason;
  return "";
}

TEST(OrderDecoder, DecodesANewOrder) {
  const std::string m = raw_fix("FIX.4.4", {"35=D", "34=2", "49=A", "56=B", "97=Y", "11=C1", "1=ACC1", "55=IBM",
                                            "207=XNYS", "54=2", "38=1500", "40=2", "44=150.25", "59=3"});
  const auto r = decoded(m);
  EXPECT_EQ(r.kind, risk::RequestKind::new_order);
  EXPECT_EQ(r.cl_ord_id, "C1");
  EXPECT_EQ(r.account, "ACC1");
  EXPECT_EQ(r.symbol, "IBM");
  EXPECT_EQ(r.exchange, "XNYS");
  EXPECT_EQ(r.side, '2');
  EXPECT_EQ(r.ord_type, '2');
  EXPECT_EQ(r.time_in_force, '3');
  EXPECT_EQ(r.quantity, *risk::Quantity::parse("1500"));
  EXPECT_EQ(r.price, risk::Price::parse("150.25"));
  EXPECT_FALSE(r.poss_dup);
  EXPECT_TRUE(r.poss_resend);
}

TEST(OrderDecoder, ReplaceAndCancelCarryTheOriginalID) {
  const auto g = decoded(raw_fix("FIX.4.4", {"35=G", "43=Y", "11=C2", "41=C1", "55=IBM", "54=1", "38=10", "40=1"}));
  EXPECT_EQ(g.kind, risk::RequestKind::replace);
  EXPECT_EQ(g.orig_cl_ord_id, "C1");
  EXPECT_TRUE(g.poss_dup);
  EXPECT_FALSE(g.price.has_value());
  const auto f = decoded(raw_fix("FIX.4.4", {"35=F", "11=C3", "41=C2", "55=IBM", "54=1"}));
  EXPECT_EQ(f.kind, risk::RequestKind::cancel);
  EXPECT_EQ(f.time_in_force, '0');
}

TEST(OrderDecoder, OnlyTheOrdersOwnFieldsCountNotThoseInGroups) {
  // A later Symbol / OrderQty inside a repeating group is not the order's.
  const auto r = decoded(raw_fix("FIX.4.4", {"35=D", "11=C1", "55=IBM", "54=1", "38=5", "40=2", "44=1", "555=1",
                                             "600=MSFT", "55=MSFT", "38=999"}));
  EXPECT_EQ(r.symbol, "IBM");
  EXPECT_EQ(r.quantity, risk::Quantity::from_int(5));
}

TEST(OrderDecoder, RefusesValuesThatAreNotExactDecimals) {
  EXPECT_EQ(error_of(raw_fix("FIX.4.4", {"35=D", "11=C1", "55=IBM", "54=1", "38=1e3", "40=2"})),
            "OrderQty (38) '1e3' is not a decimal with at most 8 places");
  EXPECT_EQ(error_of(raw_fix("FIX.4.4", {"35=D", "11=C1", "55=IBM", "54=1", "38=0", "40=2"})),
            "OrderQty (38) '0' is not positive");
  EXPECT_EQ(error_of(raw_fix("FIX.4.4", {"35=D", "11=C1", "55=IBM", "54=1", "38=1", "40=2", "44=1.000000001"})),
            "Price (44) '1.000000001' is not a decimal with at most 8 places");
  EXPECT_EQ(error_of(raw_fix("FIX.4.4", {"35=D", "11=C1", "55=IBM", "54=12", "38=1", "40=2"})),
            "Side (54) '12' is not a single character");
}

// What the checks cannot measure is refused, not guessed at: a side that is
// neither a buy nor a sell, a price of zero or below, a size in money or in
// percent beside OrderQty.
TEST(OrderDecoder, RefusesWhatTheChecksCannotMeasure) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"35=G", "11=C2", "41=C1", "54=8", "40=2"}, "Side (54) '8' is not a buy or a sell (1-6)"},
      {{"35=D", "11=C1", "54=2", "40=2", "44=-5"}, "Price (44) '-5' is not positive"},
      {{"35=G", "11=C2", "41=C1", "54=1", "40=2", "44=0"}, "Price (44) '0' is not positive"},
      {{"35=D", "11=C1", "54=2", "40=3", "99=-0.01"}, "StopPx (99) '-0.01' is not positive"},
      {{"35=D", "11=C1", "54=1", "40=1", "152=1000000"},
       "CashOrderQty (152) '1000000' is not checked: orders are sized by OrderQty (38)"},
      {{"35=G", "11=C2", "41=C1", "54=1", "40=1", "516=50"},
       "OrderPercent (516) '50' is not checked: orders are sized by OrderQty (38)"},
  };
  for (auto [fields, expected] : cases) {
    fields.insert(fields.end(), {"55=IBM", "38=1"});
    EXPECT_EQ(error_of(raw_fix("FIX.4.4", fields)), expected);
  }
  // Sides: buy to sell short exempt pass, the rest do not; a cancel is never refused for its side.
  for (const std::string side : {"1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "G"})
    EXPECT_EQ(error_of(raw_fix("FIX.4.4", {"35=D", "11=C1", "55=IBM", "54=" + side, "38=1", "40=2"})),
              side <= "6" ? "" : "Side (54) '" + side + "' is not a buy or a sell (1-6)");
  EXPECT_EQ(error_of(raw_fix("FIX.4.4", {"35=F", "11=C2", "41=C1", "55=IBM", "54=8"})), "");
}

// The fields beyond Symbol that can name the instrument are read for the
// checks to compare with the configuration; alternative IDs are refused.
TEST(OrderDecoder, ReadsTheFieldsThatNameTheInstrumentBeyondSymbol) {
  const auto r = decoded(raw_fix("FIX.4.4", {"35=D", "11=C1", "55=IBM", "48=US0378331005", "22=4", "200=202612",
                                             "202=150", "201=1", "54=1", "38=1", "40=2", "454=0"}));
  const auto at = [&](int tag) { return r.instrument_fields[risk::instrument_field_index(tag)]; };
  EXPECT_EQ(at(48), "US0378331005");
  EXPECT_EQ(at(22), "4");
  EXPECT_EQ(at(200), "202612");
  EXPECT_EQ(at(202), "150");
  EXPECT_EQ(at(201), "1");
  EXPECT_EQ(at(65).data(), nullptr);
  EXPECT_EQ(at(541).data(), nullptr);
  EXPECT_EQ(r.instrument_field_bits,
            (1u << risk::instrument_field_index(48)) | (1u << risk::instrument_field_index(22)) |
                (1u << risk::instrument_field_index(200)) | (1u << risk::instrument_field_index(202)) |
                (1u << risk::instrument_field_index(201)));
  EXPECT_EQ(decoded(raw_fix("FIX.4.4", {"35=D", "11=C1", "55=IBM", "54=1", "38=1", "40=2"})).instrument_field_bits, 0);
  EXPECT_EQ(error_of(raw_fix("FIX.4.4", {"35=G", "11=C2", "41=C1", "55=IBM", "54=1", "38=1", "40=2", "454=1",
                                         "455=IBM.N", "456=5"})),
            "NoSecurityAltID (454) '1' is not checked: instruments are named by Symbol (55)");
}

// An order the journal holds as accepted was decoded by the version that
// accepted it: recovery counts it, as it counted live.
TEST(OrderDecoder, AJournaledOrderIsDecodedAsItWasAccepted) {
  const std::string cross = raw_fix("FIX.4.4", {"35=D", "11=C1", "55=IBM", "54=8", "38=5", "40=2", "44=-1", "152=9"});
  ASSERT_NE(error_of(cross), "");
  const auto journaled = decode_order(cross, Decoding::journaled);
  ASSERT_TRUE(std::holds_alternative<risk::OrderRequest>(journaled));
  EXPECT_EQ(std::get<risk::OrderRequest>(journaled).side, '8');
  EXPECT_EQ(std::get<risk::OrderRequest>(journaled).quantity.to_string(), "5");
  // A value that is not exact is an error still.
  const auto inexact =
      decode_order(raw_fix("FIX.4.4", {"35=D", "11=C1", "55=IBM", "54=1", "38=1e3", "40=2"}), Decoding::journaled);
  EXPECT_TRUE(std::holds_alternative<DecodeError>(inexact));
}

TEST(OrderDecoder, NamesTheMissingField) {
  EXPECT_EQ(error_of(raw_fix("FIX.4.4", {"35=D", "55=IBM", "54=1", "38=1", "40=2"})), "ClOrdID (11) is missing");
  EXPECT_EQ(error_of(raw_fix("FIX.4.4", {"35=D", "11=C", "55=IBM", "54=1", "40=2"})), "OrderQty (38) is missing");
  EXPECT_EQ(error_of(raw_fix("FIX.4.4", {"35=F", "11=C", "55=IBM", "54=1"})), "OrigClOrdID (41) is missing");
  EXPECT_EQ(error_of(raw_fix("FIX.4.4", {"35=8", "11=C"})), "MsgType (35) '8' is not an order-entry message");
}

TEST(MessageFields, EachTagsFirstOccurrenceInOnePass) {
  const std::string m = raw_fix("FIX.4.4", {"35=D", "49=A", "56=B", "11=", "55=IBM", "54=1", "38=5", "40=2", "555=1",
                                            "600=X", "11=LEG", "58=free text"});
  const MessageFields f(m);
  EXPECT_EQ(f.get(35), "D");
  EXPECT_EQ(f.get(55), "IBM");
  // An empty first ClOrdID is the order's: one in a group does not stand in.
  EXPECT_EQ(f.get(11), "");
  EXPECT_EQ(error_of(m), "ClOrdID (11) is missing");
  EXPECT_FALSE(f.get(44).has_value());
  // A tag the pass does not keep is searched for.
  EXPECT_EQ(f.get(58), "free text");
  EXPECT_EQ(f.get(600), "X");
  // The same fields in a copy of the message point into the copy.
  const std::string copy = m;
  const MessageFields moved = f.rebased(copy);
  EXPECT_EQ(moved.get(55), "IBM");
  EXPECT_EQ(moved.get(55)->data(), copy.data() + m.find("55=IBM") + 3);
}

TEST(OrderDecoder, AnExecutionReportSaysWhatKindOfExecutionItIs) {
  const auto decode = [](const std::vector<std::string>& fields) {
    const auto d = decode_execution(raw_fix("FIX.4.2", fields));
    return std::get<risk::Execution>(d);
  };
  const risk::Execution fill = decode({"35=8", "17=E1", "20=0", "11=C1", "150=1", "39=1", "32=10", "31=9.5"});
  EXPECT_EQ(fill.trans_type, '0');
  EXPECT_EQ(fill.exec_type, '1');
  EXPECT_EQ(fill.last_qty.to_string(), "10");
  EXPECT_EQ(decode({"35=8", "17=E2", "20=1", "19=E1", "11=C1", "150=1", "39=0", "32=10", "31=9.5"}).trans_type, '1');
  EXPECT_EQ(decode({"35=8", "17=E3", "20=3", "11=C1", "150=1", "39=1", "32=10", "31=9.5"}).trans_type, '3');
  EXPECT_EQ(decode({"35=8", "17=E4", "11=C1", "150=F", "39=1", "32=10", "31=9.5"}).trans_type, '0')
      << "absent (FIX 4.4 and later): new";
  // The fill a cancel names, by ExecRefID; a trade cancel need not say its
  // price, a fill must.
  // (Views into the message, which must outlive them.)
  const std::string bust_raw = raw_fix("FIX.4.4", {"35=8", "17=E5", "19=E1", "11=C1", "150=H", "39=0", "32=10"});
  const auto bust = std::get<risk::Execution>(decode_execution(bust_raw));
  EXPECT_EQ(bust.exec_id, "E5");
  EXPECT_EQ(bust.exec_ref_id, "E1");
  const std::string cancel_raw =
      raw_fix("FIX.4.2", {"35=8", "17=E6", "20=1", "19=E1", "11=C1", "150=1", "39=0", "32=10"});
  const auto cancel = std::get<risk::Execution>(decode_execution(cancel_raw));
  EXPECT_EQ(cancel.exec_id, "E6");
  EXPECT_EQ(cancel.exec_ref_id, "E1");
  EXPECT_FALSE(cancel.leaves_qty);
  // What is left of the order and its price, for a bust that reopens it.
  const auto reopened = decode({"35=8", "17=E7", "19=E1", "11=C1", "150=H", "39=0", "151=40", "44=9.75"});
  EXPECT_EQ(reopened.leaves_qty, risk::Quantity::parse("40"));
  EXPECT_EQ(reopened.price, risk::Price::parse("9.75"));
  EXPECT_FALSE(decode({"35=8", "17=E8", "11=C1", "150=0", "39=0", "151=x"}).leaves_qty) << "unreadable: none";
  EXPECT_TRUE(std::holds_alternative<DecodeError>(
      decode_execution(raw_fix("FIX.4.4", {"35=8", "17=E7", "11=C1", "150=F", "39=1", "32=10"}))));
  EXPECT_TRUE(std::holds_alternative<DecodeError>(
      decode_execution(raw_fix("FIX.4.4", {"35=8", "17=E8", "19=E1", "11=C1", "150=G", "39=1", "32=10"}))))
      << "a correction names its new price";
}

}  // namespace
}  // namespace fixguard::fix
