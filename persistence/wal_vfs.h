// A SQLite VFS over the platform's default one that writes each commit to
// a write-ahead log with one system call.
//
// SQLite writes a WAL frame as two writes (its 24-byte header, then the
// page), so a transaction of n pages costs 2n write calls; on a machine
// where a system call costs microseconds that is most of an order's time in
// fixguard. This VFS keeps a WAL file's consecutive writes in memory and
// writes them at once when the commit frame is complete, and before anything
// could read them:
// - the commit frame's page: the commit's write, whose error is the
//   commit's error, as without this VFS;
// - any read, size, sync, truncate, file control or close of the file;
// - a write that is not next to the kept bytes, or that goes back over the
//   log (SQLite rewriting checksums), which is also written through at once;
// - xShmBarrier of any database file: SQLite calls it between the two
//   copies of the WAL-index header it writes to publish a commit, and a
//   reader (another connection, thread or process) takes a header only when
//   both copies agree, so no reader can see a frame before it is written.
// The file on disk is, at every point SQLite could look at it, the file
// SQLite wrote; only the number of system calls changes. Bytes that cannot
// be written (a full disk) are dropped with the error: it fails their
// transaction, whose frames SQLite writes again in the next one. Other files (the
// database, its shared-memory index, rollback journals) pass straight
// through.
#pragma once

namespace fixguard::persistence {

// Registers the VFS with SQLite on the first call (thread-safe) and returns
// its name, to open connections with. Throws std::runtime_error if SQLite has
// no default VFS or refuses the registration.
const char* wal_vfs();

}  // namespace fixguard::persistence
