#include "risk/name_table.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace fixguard::risk {
namespace {

TEST(NameTable, NumbersNamesInOrderOfFirstSightAcrossGrowth) {
  NameTable t;
  std::map<std::string, uint32_t> expected;
  std::vector<std::string> names = {
      "", "A", std::string(19, 'x'), std::string(20, 'x'), std::string(300, 'y'), std::string(301, 'y')};
  for (int i = 0; i < 5000; ++i) names.push_back("ACC" + std::to_string(i));
  for (const std::string& n : names) {
    const uint32_t id = t.intern(n);
    const auto [it, fresh] = expected.try_emplace(n, static_cast<uint32_t>(expected.size()));
    ASSERT_EQ(id, it->second) << n;
  }
  for (const std::string& n : names) {  // again, after every growth
    ASSERT_EQ(t.intern(n), expected.at(n)) << n;
    ASSERT_EQ(t.find(n), expected.at(n)) << n;
    ASSERT_EQ(t.name(expected.at(n)), n);
  }
  EXPECT_EQ(t.size(), expected.size());
}

TEST(NameTable, NamesThatShareAPrefixOrALengthStayApart) {
  NameTable t;
  const std::string long_a = std::string(40, 'a') + "1";
  const std::string long_b = std::string(40, 'a') + "2";  // same inline prefix, same length
  EXPECT_EQ(t.intern(long_a), 0u);
  EXPECT_EQ(t.intern(long_b), 1u);
  EXPECT_FALSE(t.find("ACC"));
  EXPECT_FALSE(t.find(std::string(40, 'a')));
  EXPECT_EQ(t.find(long_b), 1u);
}

}  // namespace
}  // namespace fixguard::risk
