// ExecIDs applied: a PossDup resend is recognised, across the day's start
// too, and days before yesterday are forgotten.
#include "proxy/applied_reports.h"
#include "tests/support/harness.h"

#include <gtest/gtest.h>

namespace fixguard::proxy {
namespace {

std::string report(const std::string& exec_id, bool poss_dup) {
  return testing::raw_fix("FIX.4.4",
                          {"35=8", "49=VENUE", "56=FIXGUARD", "34=2", std::string("43=") + (poss_dup ? "Y" : "N"),
                           "52=20261122-10:00:00.000", "17=" + exec_id, "11=A1", "39=2"});
}

TEST(AppliedReports, AResendIsRecognisedAcrossTheDaysStartAndOlderDaysAreForgotten) {
  AppliedReports applied;
  EXPECT_FALSE(applied.repeated("sim", report("E1", false), 100));
  EXPECT_TRUE(applied.repeated("sim", report("E1", true), 100));
  EXPECT_FALSE(applied.repeated("other", report("E1", true), 100)) << "ExecIDs are per venue";
  EXPECT_FALSE(applied.repeated("sim", report("E1", false), 100)) << "reused without PossDup: applied";
  // The next day still knows yesterday's.
  EXPECT_TRUE(applied.repeated("sim", report("E1", true), 101));
  EXPECT_FALSE(applied.repeated("sim", report("E2", false), 101));
  // Two days on, day 100 is forgotten; day 101 is still known.
  EXPECT_TRUE(applied.repeated("sim", report("E2", true), 102));
  EXPECT_FALSE(applied.repeated("sim", report("E1", true), 102));
}

TEST(AppliedReports, PossResendMarksAResendAndAnUnflaggedRepeatIsAReuse) {
  using Seen = AppliedReports::Seen;
  AppliedReports applied;
  const auto with = [](std::string raw, const std::string& field) {
    return raw.insert(raw.find("52="), field + "\x01");
  };
  EXPECT_EQ(applied.check("sim", report("E1", false), 100), Seen::first);
  EXPECT_EQ(applied.check("sim", with(report("E1", false), "97=Y"), 100), Seen::resent);
  EXPECT_EQ(applied.check("sim", with(report("E1", false), "97=N"), 100), Seen::reused);
  EXPECT_EQ(applied.check("sim", report("E1", true), 100), Seen::resent);
  EXPECT_EQ(applied.check("sim", report("E1", false), 101), Seen::reused) << "yesterday's ExecID, no flag";
  EXPECT_EQ(applied.check("sim", with(report("E2", false), "97=Y"), 101), Seen::first)
      << "a flagged report never seen is applied";
  const std::string no_exec_id = testing::raw_fix("FIX.4.4", {"35=8", "49=VENUE", "56=FIXGUARD", "34=3", "11=A1"});
  EXPECT_EQ(applied.check("sim", no_exec_id, 101), Seen::first);
  EXPECT_EQ(applied.check("sim", no_exec_id, 101), Seen::first);
}

}  // namespace
}  // namespace fixguard::proxy
