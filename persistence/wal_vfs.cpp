#include "persistence/wal_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_set>

namespace fixguard::persistence {
namespace {

constexpr int kFrameHeader = 24;                   // a WAL frame's header, written apart from its page
constexpr std::size_t kMaxKept = 4 * 1024 * 1024;  // a larger transaction is written in parts

// What a WAL file keeps: consecutive bytes from `start`, not yet written.
struct Kept {
  sqlite3_int64 start = 0;
  std::string bytes;
  sqlite3_int64 end = 0;          // end of the last write through this handle (kept or written)
  bool commit_header = false;     // the last write was the header of a commit frame
  int barrier_error = SQLITE_OK;  // a write at a barrier failed: reported at the next call
};

// sqlite3_file as this VFS hands it to SQLite; the default VFS's own file
// object follows it in the same allocation.
struct File {
  sqlite3_file base;
  sqlite3_file* real;
  Kept* wal;  // owned; set for WAL files only
};
static_assert(sizeof(File) % 8 == 0);

// Guards every Kept and the set of WAL files (an io thread writes, the
// checkpointer's thread reads and calls barriers).
std::mutex g_mutex;
std::unordered_set<File*> g_wals;

sqlite3_file* real(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }
Kept* kept(sqlite3_file* f) { return reinterpret_cast<File*>(f)->wal; }

// g_mutex held.
int write_kept(File& f) {
  Kept& k = *f.wal;
  // In parts: the default VFS writes at most 128 KiB - 1 per call, and a
  // part of a multiple of 128 KiB would come back as "disk full".
  constexpr std::size_t kPart = 64 * 1024;
  for (std::size_t done = 0; done < k.bytes.size(); done += kPart) {
    const std::size_t n = std::min(kPart, k.bytes.size() - done);
    const int rc = f.real->pMethods->xWrite(f.real, k.bytes.data() + done, static_cast<int>(n),
                                            k.start + static_cast<sqlite3_int64>(done));
    if (rc != SQLITE_OK) {
      // The transaction these bytes belong to fails with this error, and
      // SQLite writes its frames again in the next one (a commit's frames
      // are kept until its last one is written, and written then): dropped,
      // not retried.
      k.end = k.start + static_cast<sqlite3_int64>(done);
      k.bytes.clear();
      k.commit_header = false;
      return rc;
    }
  }
  k.bytes.clear();
  return SQLITE_OK;
}

// Writes what the WAL file `f` keeps, first reporting a failed barrier
// write. g_mutex held.
int settle(File& f) {
  const int rc = write_kept(f);
  if (rc != SQLITE_OK) return rc;
  const int earlier = f.wal->barrier_error;
  f.wal->barrier_error = SQLITE_OK;
  return earlier;
}

uint32_t big_endian_u32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

int x_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  File& f = *reinterpret_cast<File*>(file);
  if (!f.wal) return f.real->pMethods->xWrite(f.real, data, amount, offset);
  const std::lock_guard lock(g_mutex);
  Kept& k = *f.wal;
  const auto* bytes = static_cast<const unsigned char*>(data);
  if (offset == 0) k.end = 0;  // the log starts over (after a checkpoint): its header first
  if (offset < k.end) {
    // Back over the log (checksums rewritten): in order, and at once.
    int rc = settle(f);
    if (rc == SQLITE_OK) rc = f.real->pMethods->xWrite(f.real, data, amount, offset);
    if (rc == SQLITE_OK) k.end = std::max(k.end, offset + amount);
    return rc;
  }
  if (!k.bytes.empty() && offset != k.start + static_cast<sqlite3_int64>(k.bytes.size())) {
    if (const int rc = settle(f); rc != SQLITE_OK) return rc;
  }
  if (k.bytes.empty()) k.start = offset;
  k.bytes.append(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(amount));
  k.end = offset + amount;
  if (amount == kFrameHeader) {
    // The header's second word is the database size after a commit frame, 0 in any other.
    k.commit_header = big_endian_u32(bytes + 4) != 0;
    return SQLITE_OK;
  }
  if (k.commit_header || k.bytes.size() >= kMaxKept) {
    k.commit_header = false;
    return settle(f);
  }
  return SQLITE_OK;
}

// Settles a WAL file's kept bytes (if any), then calls `then`.
template <typename Then>
int settled(sqlite3_file* file, Then then) {
  if (kept(file)) {
    const std::lock_guard lock(g_mutex);
    if (const int rc = settle(*reinterpret_cast<File*>(file)); rc != SQLITE_OK) return rc;
  }
  return then(real(file));
}

int x_close(sqlite3_file* file) {
  File& f = *reinterpret_cast<File*>(file);
  int rc = SQLITE_OK;
  if (f.wal) {
    const std::lock_guard lock(g_mutex);
    rc = settle(f);
    g_wals.erase(&f);
    delete f.wal;
    f.wal = nullptr;
  }
  const int closed = f.real->pMethods->xClose(f.real);
  return rc != SQLITE_OK ? rc : closed;
}

void x_shm_barrier(sqlite3_file* file) {
  {
    const std::lock_guard lock(g_mutex);
    for (File* w : g_wals)
      if (const int rc = write_kept(*w); rc != SQLITE_OK) w->wal->barrier_error = rc;
  }
  real(file)->pMethods->xShmBarrier(real(file));
}

const sqlite3_io_methods kMethods = {
    3,
    x_close,
    [](sqlite3_file* f, void* data, int amount, sqlite3_int64 offset) {
      return settled(f, [=](sqlite3_file* r) { return r->pMethods->xRead(r, data, amount, offset); });
    },
    x_write,
    [](sqlite3_file* f, sqlite3_int64 size) {
      return settled(f, [size](sqlite3_file* r) { return r->pMethods->xTruncate(r, size); });
    },
    [](sqlite3_file* f, int flags) {
      return settled(f, [flags](sqlite3_file* r) { return r->pMethods->xSync(r, flags); });
    },
    [](sqlite3_file* f, sqlite3_int64* size) {
      return settled(f, [size](sqlite3_file* r) { return r->pMethods->xFileSize(r, size); });
    },
    [](sqlite3_file* f, int lock) { return real(f)->pMethods->xLock(real(f), lock); },
    [](sqlite3_file* f, int lock) { return real(f)->pMethods->xUnlock(real(f), lock); },
    [](sqlite3_file* f, int* out) { return real(f)->pMethods->xCheckReservedLock(real(f), out); },
    [](sqlite3_file* f, int op, void* arg) {
      return settled(f, [op, arg](sqlite3_file* r) { return r->pMethods->xFileControl(r, op, arg); });
    },
    [](sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); },
    [](sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); },
    [](sqlite3_file* f, int region, int size, int extend, void volatile** out) {
      return real(f)->pMethods->xShmMap(real(f), region, size, extend, out);
    },
    [](sqlite3_file* f, int offset, int n, int flags) {
      return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
    },
    x_shm_barrier,
    [](sqlite3_file* f, int remove) { return real(f)->pMethods->xShmUnmap(real(f), remove); },
    [](sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
      return real(f)->pMethods->xFetch(real(f), offset, amount, out);
    },
    [](sqlite3_file* f, sqlite3_int64 offset, void* page) {
      return real(f)->pMethods->xUnfetch(real(f), offset, page);
    },
};

sqlite3_vfs* base(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

int x_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  File& f = *reinterpret_cast<File*>(file);
  f.base.pMethods = nullptr;
  f.real = reinterpret_cast<sqlite3_file*>(&f + 1);
  f.wal = nullptr;
  sqlite3_vfs* b = base(vfs);
  const int rc = b->xOpen(b, name, f.real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (f.real->pMethods) f.real->pMethods->xClose(f.real);
    return rc;
  }
  if (f.real->pMethods->iVersion < kMethods.iVersion) {
    // Every method is forwarded: a file without them cannot be served.
    f.real->pMethods->xClose(f.real);
    return SQLITE_CANTOPEN;
  }
  if (flags & SQLITE_OPEN_WAL) {
    f.wal = new Kept;
    const std::lock_guard lock(g_mutex);
    g_wals.insert(&f);
  }
  f.base.pMethods = &kMethods;
  return SQLITE_OK;
}

sqlite3_vfs make_vfs(sqlite3_vfs* b) {
  sqlite3_vfs v = *b;
  v.iVersion = 3;
  v.szOsFile = static_cast<int>(sizeof(File)) + b->szOsFile;
  v.pNext = nullptr;
  v.zName = "fixguard";
  v.pAppData = b;
  v.xOpen = x_open;
  v.xDelete = [](sqlite3_vfs* s, const char* n, int sync) { return base(s)->xDelete(base(s), n, sync); };
  v.xAccess = [](sqlite3_vfs* s, const char* n, int flags, int* out) {
    return base(s)->xAccess(base(s), n, flags, out);
  };
  v.xFullPathname = [](sqlite3_vfs* s, const char* n, int size, char* out) {
    return base(s)->xFullPathname(base(s), n, size, out);
  };
  v.xDlOpen = [](sqlite3_vfs* s, const char* n) { return base(s)->xDlOpen(base(s), n); };
  v.xDlError = [](sqlite3_vfs* s, int size, char* out) { base(s)->xDlError(base(s), size, out); };
  v.xDlSym = [](sqlite3_vfs* s, void* h, const char* sym) { return base(s)->xDlSym(base(s), h, sym); };
  v.xDlClose = [](sqlite3_vfs* s, void* h) { base(s)->xDlClose(base(s), h); };
  v.xRandomness = [](sqlite3_vfs* s, int size, char* out) { return base(s)->xRandomness(base(s), size, out); };
  v.xSleep = [](sqlite3_vfs* s, int us) { return base(s)->xSleep(base(s), us); };
  v.xCurrentTime = [](sqlite3_vfs* s, double* out) { return base(s)->xCurrentTime(base(s), out); };
  v.xGetLastError = [](sqlite3_vfs* s, int size, char* out) { return base(s)->xGetLastError(base(s), size, out); };
  v.xCurrentTimeInt64 = [](sqlite3_vfs* s, sqlite3_int64* out) { return base(s)->xCurrentTimeInt64(base(s), out); };
  v.xSetSystemCall = [](sqlite3_vfs* s, const char* n, sqlite3_syscall_ptr p) {
    return base(s)->xSetSystemCall(base(s), n, p);
  };
  v.xGetSystemCall = [](sqlite3_vfs* s, const char* n) { return base(s)->xGetSystemCall(base(s), n); };
  v.xNextSystemCall = [](sqlite3_vfs* s, const char* n) { return base(s)->xNextSystemCall(base(s), n); };
  return v;
}

}  // namespace

const char* wal_vfs() {
  static sqlite3_vfs vfs = [] {
    // Before SQLite initializes (sqlite3_vfs_find does): no memory
    // statistics, which fixguard does not read, so no global mutex locked
    // around each of SQLite's allocations (~3% of fixguard's samples under a
    // pipelined load, most on the write log's applier). Too late where
    // something in the process used SQLite first: it keeps them, and works.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_vfs* b = sqlite3_vfs_find(nullptr);
    if (!b || b->iVersion < 3) throw std::runtime_error("SQLite has no default VFS of version 3 to build on");
    return make_vfs(b);
  }();
  static const int registered = sqlite3_vfs_register(&vfs, 0);
  if (registered != SQLITE_OK)
    throw std::runtime_error(std::string("cannot register the fixguard SQLite VFS: ") + sqlite3_errstr(registered));
  return vfs.zName;
}

}  // namespace fixguard::persistence
