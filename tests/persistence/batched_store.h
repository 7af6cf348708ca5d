// A FIX session's store on a database that batches its writes, as the
// gateway's: for the tests of the database and of the store.
#pragma once

#include "persistence/database.h"
#include "persistence/sqlite_store.h"

#include <functional>
#include <memory>
#include <string>

namespace fixguard::persistence {

inline const FIX::SessionID kId("FIX.4.4", "FIXGUARD", "ALPHA");

// The store of kId on the database at `path`; `schedule` is called when a
// batch's first write asks for its commit.
struct BatchedStore {
  explicit BatchedStore(
      const std::string& path, std::function<void()> schedule = [] {})
      : db(path), factory(db), store(factory.create(kId)) {
    db.batch(std::move(schedule), false);
  }
  Database db;
  SqliteStoreFactory factory;
  std::unique_ptr<FIX::MessageStore> store;
};

}  // namespace fixguard::persistence
