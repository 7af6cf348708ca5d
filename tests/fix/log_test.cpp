// Secrets masked wherever a FIX message is written: in log lines, and in
// what the session stores keep (still valid FIX there).
#include "fix/log.h"
#include "fix/framer.h"
#include "tests/support/harness.h"

#include <gtest/gtest.h>

namespace fixguard::testing {
namespace {

const std::string kLogon = raw_fix("FIX.4.4", {"35=A", "49=FIXGUARD", "56=VENUE", "34=1", "98=0", "108=30", "95=10",
                                               "96=sig\x01nature", "553=fg", "554=venue-pass", "925=new-pass"});

TEST(LogMasking, PrintableFixMasksEverySecretField) {
  const std::string line = log::printable_fix(kLogon);
  EXPECT_NE(line.find("553=fg|554=***|925=***"), std::string::npos) << line;
  EXPECT_NE(line.find("96=***|"), std::string::npos) << line;
  for (const char* secret : {"venue-pass", "new-pass", "sig", "nature"})
    EXPECT_EQ(line.find(secret), std::string::npos) << secret << " in " << line;
}

TEST(LogMasking, ALyingDataLengthDoesNotUnmaskWhatFollows) {
  const std::string lying =
      raw_fix("FIX.4.4", {"35=A", "49=ALPHA", "56=FIXGUARD", "34=1", "95=2", "96=abc", "554=hunter22", "925=hunter23"});
  const std::string line = log::printable_fix(lying);
  EXPECT_EQ(line.find("hunter2"), std::string::npos) << line;
  EXPECT_NE(line.find("554=***|925=***"), std::string::npos) << line;
}

TEST(LogMasking, RedactedFixIsTheSameMessageWithoutItsSecrets) {
  const std::string redacted = log::redacted_fix(kLogon);
  EXPECT_EQ(redacted, raw_fix("FIX.4.4", {"35=A", "49=FIXGUARD", "56=VENUE", "34=1", "98=0", "108=30", "95=3", "96=***",
                                          "553=fg", "554=***", "925=***"}))
      << "BodyLength, RawDataLength and CheckSum computed anew";
  fix::Framer framer(4096);
  framer.append(redacted.data(), redacted.size());
  EXPECT_EQ(framer.next().status, fix::Framer::Status::frame) << "still a valid FIX frame";
  EXPECT_TRUE(log::holds_secret(kLogon));
}

TEST(LogMasking, AMessageWithoutSecretsIsLeftAlone) {
  const std::string order = raw_fix(
      "FIX.4.4", {"35=D", "49=ALPHA", "56=FIXGUARD", "34=2", "11=O1", "55=AAPL", "5540=not-a-password", "1554=x"});
  EXPECT_FALSE(log::holds_secret(order));
  EXPECT_EQ(log::redacted_fix(order), order);
  const std::string garbled =
      "8=FIX.4.4\x01"
      "9=5\x01"
      "554=x";
  EXPECT_EQ(log::redacted_fix(garbled), garbled) << "what does not parse is not rewritten";
}

}  // namespace
}  // namespace fixguard::testing
