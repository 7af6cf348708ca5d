#include "persistence/clordid_store.h"
#include "tests/support/harness.h"

#include <gtest/gtest.h>

#include <set>
#include <tuple>

namespace fixguard::persistence {
namespace {

TEST(ClOrdIdStore, WhatWasRecordedIsReadBackAfterReopening) {
  testing::TempDir dir;
  {
    Database db(dir.file("ids.db"));
    ClOrdIdStore store(db);
    store.add("alpha", 99, "OLD");
    store.add("alpha", 100, "C1");
    store.add("beta", 100, std::string("with\x01soh", 8));
    store.add("alpha", 100, "C1");  // recorded once
  }
  Database db(dir.file("ids.db"));
  std::set<std::tuple<std::string, int32_t, std::string>> got;
  ClOrdIdStore(db).load_since(100,
                              [&](const std::string& c, int32_t d, const std::string& id) { got.emplace(c, d, id); });
  EXPECT_EQ(got, (std::set<std::tuple<std::string, int32_t, std::string>>{
                     {"alpha", 100, "C1"}, {"beta", 100, std::string("with\x01soh", 8)}}));
}

TEST(ClOrdIdStore, AFailedWriteIsAnErrorNotASilentLoss) {
  testing::TempDir dir;
  Database db(dir.file("ids.db"));
  ClOrdIdStore store(db);
  db.sql().exec("PRAGMA query_only=ON");
  EXPECT_THROW(store.add("alpha", 1, "C1"), std::runtime_error);
}

}  // namespace
}  // namespace fixguard::persistence
