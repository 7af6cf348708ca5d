#include "fix/raw_fields.h"

#include <gtest/gtest.h>

#include <vector>

namespace fixguard::fix {
namespace {

TEST(RawFields, IteratesTagsAndValuesInOrder) {
  const std::string m =
      "8=FIX.4.4\x01"
      "35=D\x01"
      "5001=x\x01"
      "55=IBM\x01";
  std::vector<std::pair<int, std::string>> seen;
  for (const RawField& f : RawFields(m)) seen.emplace_back(f.tag, std::string(f.value));
  const std::vector<std::pair<int, std::string>> want = {{8, "FIX.4.4"}, {35, "D"}, {5001, "x"}, {55, "IBM"}};
  EXPECT_EQ(seen, want);
}

TEST(RawFields, ReadsDataFieldsThatContainSoh) {
  const std::string m =
      "95=5\x01"
      "96=a\x01"
      "b=c\x01"
      "58=t\x01";
  std::vector<int> tags;
  std::string raw_data;
  for (const RawField& f : RawFields(m)) {
    tags.push_back(f.tag);
    if (f.tag == 96) raw_data = std::string(f.value);
  }
  EXPECT_EQ(tags, (std::vector<int>{95, 96, 58}));
  EXPECT_EQ(raw_data,
            "a\x01"
            "b=c");
}

TEST(RawFields, StopsAtMalformedText) {
  int count = 0;
  for (const RawField& f : RawFields("35=D\x01garbage")) {
    (void)f;
    ++count;
  }
  EXPECT_EQ(count, 1);
}

TEST(RawFields, FindFieldReturnsTheFirstValue) {
  const std::string m =
      "448=P1\x01"
      "448=P2\x01";
  EXPECT_EQ(find_field(m, 448), "P1");
  EXPECT_FALSE(find_field(m, 11).has_value());
}

}  // namespace
}  // namespace fixguard::fix

namespace fixguard::fix {
namespace {

TEST(RawFields, SeqNumValuesThatDoNotFitAnIntAreRefusedNotWrapped) {
  EXPECT_EQ(parse_seqnum_value("42"), 42);
  EXPECT_EQ(parse_seqnum_value("2147483647"), 2147483647);
  EXPECT_EQ(parse_seqnum_value("2147483648"), -1);
  EXPECT_EQ(parse_seqnum_value("4294967297"), -1);
  EXPECT_EQ(parse_seqnum_value(""), -1);
  EXPECT_EQ(parse_seqnum_value("1a"), -1);
}

}  // namespace
}  // namespace fixguard::fix
