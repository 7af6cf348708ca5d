#include "fix/forwarding.h"
#include "fix/framer.h"
#include "fix/log.h"
#include "fix/raw_fields.h"
#include "tests/support/harness.h"

#include <gtest/gtest.h>

#include <array>
#include <string_view>
#include <vector>

namespace fixguard::fix {
namespace {

using testing::raw_fix;

// A NewOrderSingle whose body is deliberately not in tag order and carries a
// NoPartyIDs group and user-defined tags.
const std::string kOrder = raw_fix("FIX.4.4", {"35=D",        "49=ALPHA",
                                               "56=FIXGUARD", "34=7",
                                               "115=DESK",    "52=20261122-10:00:00.000",
                                               "11=C1",       "55=IBM",
                                               "54=1",        "9000=z",
                                               "453=2",       "448=P1",
                                               "447=D",       "452=1",
                                               "448=P2",      "447=D",
                                               "452=3",       "38=100",
                                               "40=2",        "44=150.25",
                                               "5001=y",      "60=20261122-10:00:00.000"});

const std::string kBody =
    "11=C1\x01"
    "55=IBM\x01"
    "54=1\x01"
    "9000=z\x01"
    "453=2\x01"
    "448=P1\x01"
    "447=D\x01"
    "452=1\x01"
    "448=P2\x01"
    "447=D\x01"
    "452=3\x01"
    "38=100\x01"
    "40=2\x01"
    "44=150.25\x01"
    "5001=y\x01"
    "60=20261122-10:00:00.000\x01";

TEST(Forwarding, SplitsHeaderFromBody) {
  const auto parts = split(kOrder);
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->msg_type, "D");
  EXPECT_EQ(parts->body, kBody);
  EXPECT_EQ(parts->header.substr(0, 10), "8=FIX.4.4\x01");
}

TEST(Forwarding, RefusesTextWithoutATrailer) {
  EXPECT_FALSE(
      split("8=FIX.4.4\x01"
            "35=D\x01"
            "11=X\x01"));
}

// entry_keys() reads in one pass what split() and find_field() read: the
// keys of the body where the message is whole, of all of it where not.
TEST(Forwarding, EntryKeysAreTheBodysFirstOrTheWholeTextsWhereItIsNotWhole) {
  const auto as_split = [](std::string_view m) {
    const auto parts = split(m);
    const std::string_view body = parts ? parts->body : m;
    return std::array<std::string_view, 4>{find_field(m, 35).value_or(""), find_field(body, 11).value_or(""),
                                           find_field(body, 1).value_or(""), find_field(body, 55).value_or("")};
  };
  // A header field of the same tag before the body (1 is not a header tag:
  // it begins the body); 11 and 55 repeated in a group and after a trailer
  // field; a message cut short; one without a header MsgType; a data field
  // holding "11=" and an SOH.
  const std::string with_signature = kOrder.substr(0, kOrder.rfind("10=")) +
                                     "93=3\x01"
                                     "89=a\x01"
                                     "b\x01"
                                     "11=LATE\x01"
                                     "1=LATE\x01"
                                     "10=000\x01";
  const std::string data = raw_fix("FIX.4.4", {"35=8", "49=V", "56=F", "34=2", "52=20261122-10:00:00.000", "95=6",
                                               "96=11=X\x01"
                                               "1",
                                               "1=ACC", "11=C9", "55=MSFT", "55=AAPL"});
  const std::vector<std::string> messages = {
      kOrder,
      raw_fix("FIX.4.4", {"35=D", "49=A", "56=F", "34=1", "52=20261122-10:00:00.000", "1=ACC", "11=C2", "55=X", "453=1",
                          "448=P", "11=C3", "55=Y"}),
      with_signature,
      with_signature.substr(0, with_signature.rfind("10=")),
      kOrder.substr(0, kOrder.size() / 2),
      kOrder.substr(0, kOrder.size() - 1),
      raw_fix("FIX.4.4", {"49=A", "56=F", "34=1", "11=C4", "35=D", "55=Z"}),
      data,
      "8=FIX.4.4\x01"
      "9=5\x01"
      "35=0\x01"
      "10=000\x01",
      "",
      "garbage"};
  for (const std::string& m : messages) {
    const EntryKeys k = entry_keys(m);
    EXPECT_EQ((std::array<std::string_view, 4>{k.msg_type, k.cl_ord_id, k.account, k.symbol}), as_split(m))
        << log::printable_fix(m);
  }
  // And by value, where the two readings differ.
  const EntryKeys whole = entry_keys(with_signature);
  EXPECT_EQ(whole.cl_ord_id, "C1");  // not the one after the signature
  EXPECT_EQ(whole.account, "");      // nor an Account the body does not have
  EXPECT_EQ(entry_keys(with_signature.substr(0, with_signature.rfind("10="))).account, "LATE");
  const EntryKeys cut = entry_keys(kOrder.substr(0, kOrder.size() - 1));
  EXPECT_EQ(cut.msg_type, "D");
  EXPECT_EQ(cut.cl_ord_id, "C1");
  EXPECT_EQ(cut.symbol, "IBM");
  const EntryKeys in_data = entry_keys(data);
  EXPECT_EQ(in_data.cl_ord_id, "C9");
  EXPECT_EQ(in_data.account, "ACC");
  EXPECT_EQ(in_data.symbol, "MSFT");
  EXPECT_EQ(entry_keys("garbage").msg_type, "");
}

TEST(Forwarding, MapsOnlyTheFirstClOrdIDAndOrigClOrdID) {
  const std::string body =
      "41=O1\x01"
      "11=C1\x01"
      "58=11=C1\x01"
      "11=C2\x01";
  const std::string mapped = map_order_ids(
      body, {11, 41}, [](int tag, std::string_view v) { return (tag == 11 ? "N-" : "M-") + std::string(v); });
  EXPECT_EQ(mapped,
            "41=M-O1\x01"
            "11=N-C1\x01"
            "58=11=C1\x01"
            "11=C2\x01");
}

TEST(Forwarding, QuickFixWritesTheBodyBackByteForByte) {
  const auto parts = split(kOrder);
  ASSERT_TRUE(parts);
  FIX::Message out = make_forward(*parts, parts->body);
  out.getHeader().setField(FIX::BeginString("FIX.4.4"));
  out.getHeader().setField(FIX::SenderCompID("FIXGUARD"));
  out.getHeader().setField(FIX::TargetCompID("VENUE"));
  out.getHeader().setField(FIX::MsgSeqNum(3));
  out.getHeader().setField(FIX::SendingTime(FIX::UtcTimeStamp(), 3));
  const std::string text = out.toString();
  const auto again = split(text);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body, kBody);
  // The leg-owned header is rewritten; OnBehalfOfCompID passes through.
  EXPECT_EQ(find_field(text, 49), "FIXGUARD");
  EXPECT_EQ(find_field(text, 115), "DESK");
  // BodyLength and CheckSum are right for the new text.
  Framer f(4096);
  f.append(text.data(), text.size());
  EXPECT_EQ(f.next().status, Framer::Status::frame);
}

TEST(Forwarding, RestoreBodyUndoesQuickFixsReordering) {
  FIX::DataDictionary dd(testing::specs_dir() + "/FIX44.xml");
  FIX::Message reparsed(kOrder, dd, false);  // QuickFIX sorts the body by tag
  ASSERT_NE(split(reparsed.toString())->body, kBody);
  ASSERT_TRUE(restore_body(reparsed, kOrder));
  EXPECT_EQ(split(reparsed.toString())->body, kBody);
}

TEST(Log, PrintableFixMasksSecrets) {
  const std::string logon =
      raw_fix("FIX.4.4", {"35=A", "553=user", "554=hunter2", "925=newsecret", "95=3", "96=k\x01y"});
  const std::string shown = log::printable_fix(logon);
  EXPECT_EQ(shown.find("hunter2"), std::string::npos);
  EXPECT_EQ(shown.find("newsecret"), std::string::npos);
  EXPECT_EQ(shown.find("k|y"), std::string::npos);
  EXPECT_NE(shown.find("554=***|"), std::string::npos);
  EXPECT_NE(shown.find("553=user|"), std::string::npos);
}

}  // namespace
}  // namespace fixguard::fix
