#include "fix/framer.h"
#include "tests/support/harness.h"

#include <gtest/gtest.h>

namespace fixguard::fix {
namespace {

using testing::raw_fix;

const std::string kOrder = raw_fix("FIX.4.4", {"35=D", "34=2", "49=A", "56=B", "11=X1", "55=IBM"});

TEST(Framer, YieldsAWholeMessage) {
  Framer f(4096);
  f.append(kOrder.data(), kOrder.size());
  const auto r = f.next();
  ASSERT_EQ(r.status, Framer::Status::frame);
  EXPECT_EQ(r.frame, kOrder);
  EXPECT_EQ(f.next().status, Framer::Status::need_more);
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(Framer, WaitsForTheRestOfASplitMessage) {
  Framer f(4096);
  for (std::size_t i = 0; i + 1 < kOrder.size(); ++i) {
    f.append(&kOrder[i], 1);
    ASSERT_EQ(f.next().status, Framer::Status::need_more) << "after byte " << i;
  }
  f.append(&kOrder.back(), 1);
  EXPECT_EQ(f.next().frame, kOrder);
}

TEST(Framer, CutsBackToBackMessages) {
  Framer f(4096);
  const std::string two = kOrder + kOrder;
  f.append(two.data(), two.size());
  EXPECT_EQ(f.next().frame, kOrder);
  EXPECT_EQ(f.next().frame, kOrder);
  EXPECT_EQ(f.next().status, Framer::Status::need_more);
}

TEST(Framer, RefusesABodyLengthOverTheLimitBeforeTheBodyArrives) {
  Framer f(64 * 1024);
  const std::string head =
      "8=FIX.4.4\x01"
      "9=10000000\x01"
      "35=D\x01";
  f.append(head.data(), head.size());
  const auto r = f.next();
  ASSERT_EQ(r.status, Framer::Status::error);
  EXPECT_TRUE(r.fatal);
  EXPECT_NE(r.error.find("BodyLength 10000000 exceeds the frame limit of 65536 bytes"), std::string::npos);
}

TEST(Framer, AcceptsAMessageExactlyAtTheLimitAndRefusesOneByteMore) {
  const std::size_t limit = kOrder.size();
  Framer at(limit);
  at.append(kOrder.data(), kOrder.size());
  EXPECT_EQ(at.next().status, Framer::Status::frame);
  Framer over(limit - 1);
  over.append(kOrder.data(), kOrder.size());
  EXPECT_EQ(over.next().status, Framer::Status::error);
}

TEST(Framer, SkipsGarbageAndResynchronises) {
  Framer f(4096);
  const std::string input = "hello\r\n" + kOrder;
  f.append(input.data(), input.size());
  const auto r = f.next();
  ASSERT_EQ(r.status, Framer::Status::error);
  EXPECT_FALSE(r.fatal);
  EXPECT_EQ(r.error, "7 bytes of garbage where a message should start");
  EXPECT_EQ(f.next().frame, kOrder);
}

TEST(Framer, ABadFrameFollowedLaterByAGoodOneNeverStalls) {
  // Regression: the bad frame's last bytes were kept as a possible message
  // start and reported as garbage forever.
  std::string bad = kOrder;
  bad[bad.size() - 2] = bad[bad.size() - 2] == '0' ? '1' : '0';
  Framer f(4096);
  f.append(bad.data(), bad.size());
  int errors = 0;
  for (Framer::Result r = f.next(); r.status != Framer::Status::need_more; r = f.next())
    ASSERT_LT(++errors, 3) << "framer keeps failing on the same bytes";
  f.append(kOrder.data(), kOrder.size());
  EXPECT_EQ(f.next().frame, kOrder);
}

TEST(Framer, GarbageEndingInAPartialMessageStartKeepsOnlyThatPart) {
  Framer f(4096);
  const std::string input = "xyz8=FI";
  f.append(input.data(), input.size());
  const auto r = f.next();
  ASSERT_EQ(r.status, Framer::Status::error);
  EXPECT_EQ(r.error, "3 bytes of garbage where a message should start");
  EXPECT_EQ(f.next().status, Framer::Status::need_more);
  const std::string rest = kOrder.substr(4);  // after "8=FI"
  f.append(rest.data(), rest.size());
  EXPECT_EQ(f.next().frame, kOrder);
}

TEST(Framer, RefusesAWrongCheckSumAndKeepsTheNextMessage) {
  std::string bad = kOrder;
  bad[bad.size() - 2] = bad[bad.size() - 2] == '0' ? '1' : '0';
  Framer f(4096);
  const std::string input = bad + kOrder;
  f.append(input.data(), input.size());
  const auto r = f.next();
  ASSERT_EQ(r.status, Framer::Status::error);
  EXPECT_NE(r.error.find("CheckSum"), std::string::npos);
  EXPECT_EQ(f.next().frame, kOrder);
}

TEST(Framer, RefusesABodyLengthThatDoesNotEndAtTheCheckSum) {
  std::string lie = kOrder;
  const auto pos = lie.find("9=") + 2;
  lie[pos] = static_cast<char>(lie[pos] + 1);  // BodyLength one digit higher
  Framer f(4096);
  const std::string input = lie + "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01" + kOrder;
  f.append(input.data(), input.size());
  const auto r = f.next();
  ASSERT_EQ(r.status, Framer::Status::error);
  EXPECT_NE(r.error.find("does not end at the CheckSum field"), std::string::npos);
  Framer::Result next;
  do next = f.next();
  while (next.status == Framer::Status::error);
  EXPECT_EQ(next.frame, kOrder);
}

TEST(Framer, RefusesANonNumericBodyLength) {
  Framer f(4096);
  const std::string input =
      "8=FIX.4.4\x01"
      "9=12a\x01";
  f.append(input.data(), input.size());
  const auto r = f.next();
  ASSERT_EQ(r.status, Framer::Status::error);
  EXPECT_EQ(r.error, "BodyLength is not a number");
}

TEST(Framer, ChecksumIsTheByteSumModulo256) {
  EXPECT_EQ(checksum("8=FIX.4.4\x01"), (56u + 61 + 70 + 73 + 88 + 46 + 52 + 46 + 52 + 1) % 256);
  EXPECT_EQ(checksum(""), 0u);
}

}  // namespace
}  // namespace fixguard::fix
