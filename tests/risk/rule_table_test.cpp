#include "risk/rule.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace fixguard::risk {
namespace {

// specs/reject-codes.md, the table people read, says what the code does.
TEST(RuleTable, MatchesTheDocumentedRejectCodes) {
  std::ifstream in(std::string(FIXGUARD_SOURCE_DIR) + "/specs/reject-codes.md");
  ASSERT_TRUE(in) << "specs/reject-codes.md is missing";
  std::set<std::string> documented;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| ", 0) != 0 || line.rfind("| Rule", 0) == 0) continue;
    documented.insert(line);
  }
  std::set<std::string> coded;
  for (const RuleInfo& r : all_rules()) {
    std::ostringstream row;
    row << "| " << r.id << " | " << r.ord_rej_reason << " | " << r.cxl_rej_reason << " | " << r.summary << " |";
    coded.insert(row.str());
  }
  EXPECT_EQ(documented, coded);
}

TEST(RuleTable, EveryRuleKnowsItself) {
  std::set<std::string_view> ids;
  for (std::size_t i = 0; i < all_rules().size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(all_rules()[i].rule), i);
    EXPECT_TRUE(ids.insert(all_rules()[i].id).second) << "duplicate id " << all_rules()[i].id;
  }
}

}  // namespace
}  // namespace fixguard::risk
