// A disk that reports a write error at the sync: while a FailingSyncs is
// alive, the process's fdatasync calls on files whose path ends with a given
// suffix fail with EIO, as many times as it was told. The test executable
// defines fdatasync for this; unarmed, it is the C library's.
#pragma once

#include <string>

namespace fixguard::testing {

class FailingSyncs {
 public:
  // The next `count` syncs of such files fail (count < 0: all of them).
  FailingSyncs(std::string suffix, int count);
  // The same for the file `path`, and each failed sync loses what was
  // written to it since it was armed (the file is cut back to that size),
  // as a kernel may drop the pages a failed sync did not write: arm it
  // right after a sync.
  struct LosingUnsynced {};
  FailingSyncs(std::string path, int count, LosingUnsynced);
  ~FailingSyncs();
  FailingSyncs(const FailingSyncs&) = delete;
  FailingSyncs& operator=(const FailingSyncs&) = delete;

  // The syncs failed so far.
  int failed() const;
};

}  // namespace fixguard::testing
