// A full disk under the journal: orders are rejected with the reason, nothing
// that could not be journaled reaches the venue, and trading resumes by
// itself once there is space again.
//
// The journal lives on a small tmpfs of its own, mounted in a mount namespace
// private to this test process (so it vanishes with it); fixguard.db stays on
// the ordinary disk, as a journal volume of its own would be set up. Needs
// CAP_SYS_ADMIN or unprivileged user namespaces; skipped, saying so, without.
#include "persistence/journal.h"
#include "tests/support/proxy_fixture.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

namespace fixguard::testing {
namespace {

using persistence::JournalEntry;

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path);
  return static_cast<bool>(f << text);
}

// Mounts a tmpfs of `size` on `dir`, in a mount namespace of this process's
// own. Must run before the process starts threads. Returns why not.
std::optional<std::string> mount_private_tmpfs(const std::string& dir, const std::string& size) {
  if (::unshare(CLONE_NEWNS) != 0) {
    // Without CAP_SYS_ADMIN: a user namespace of our own grants it.
    const uid_t uid = ::getuid();
    const gid_t gid = ::getgid();
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) return std::string("unshare: ") + std::strerror(errno);
    write_file("/proc/self/setgroups", "deny");
    if (!write_file("/proc/self/uid_map", std::to_string(uid) + " " + std::to_string(uid) + " 1\n") ||
        !write_file("/proc/self/gid_map", std::to_string(gid) + " " + std::to_string(gid) + " 1\n"))
      return "cannot map the user namespace";
  }
  if (::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    return std::string("mount --make-rprivate /: ") + std::strerror(errno);
  if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, ("size=" + size).c_str()) != 0)
    return std::string("mount tmpfs: ") + std::strerror(errno);
  return std::nullopt;
}

// Fills the file system of `path` to the last byte.
void fill(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  const std::string chunk(64 * 1024, 'x');
  for (std::size_t n = chunk.size(); n > 0;) {
    const ssize_t w = ::write(fd, chunk.data(), n);
    if (w < 0 && errno == ENOSPC) {
      if (n == 1) break;
      n /= 2;  // the last few blocks, in smaller writes
    } else {
      ASSERT_GE(w, 0) << std::strerror(errno);
    }
  }
  ::close(fd);
}

FIX::Message order(const std::string& id) {
  FIX::Message m = new_order(id, "10", "100");
  m.setField(FIX::Account("ACC1"));
  return m;
}

class DiskFull : public ProxyTest {
 protected:
  void SetUp() override {
    volume = dir.file("journal-volume");
    std::filesystem::create_directories(volume);
    if (const auto why = mount_private_tmpfs(volume, "4m")) GTEST_SKIP() << "no tmpfs for the test: " << *why;
    mounted = true;
    std::ofstream(dir.file("fixguard.yaml"))
        << two_client_yaml(listen_port, venue_port, "FIX.4.4", "", "journal: { path: " + volume + "/journal.db }\n");
    start_file(dir.file("fixguard.yaml"), fills(proxy::SimulatorOptions::Fill::full));
    connect({"alpha"});
  }
  // The answer to `id`: a fill or a reject.
  std::string trade(const std::string& id) {
    EXPECT_TRUE(strategy->send("alpha", order(id)));
    const auto reply = strategy->wait_for(
        "alpha",
        [&](const std::string& m) { return field(m, 11) == id && (field(m, 39) == "2" || field(m, 39) == "8"); },
        kWait);
    EXPECT_TRUE(reply) << id << " got no answer";
    return reply.value_or("");
  }
  // The journal's order entries, by the ClOrdID the strategy gave (the last
  // of each).
  std::map<std::string, JournalEntry> journaled_orders() const {
    std::map<std::string, JournalEntry> orders;
    persistence::JournalReader(volume + "/journal.db").each([&](const JournalEntry& e) {
      if (e.kind == JournalEntry::Kind::order) orders[e.cl_ord_id] = e;
    });
    return orders;
  }
  // Every order the venue got (`venue_got`) is in `orders` as accepted.
  static void expect_accepted(const std::vector<std::string>& venue_got,
                              const std::map<std::string, JournalEntry>& orders) {
    for (const std::string& d : venue_got) {
      const std::string id = field(d, 11).substr(std::string("alpha-").size());  // as the strategy named it
      const auto it = orders.find(id);
      ASSERT_NE(it, orders.end()) << id << " reached the venue but is not in the journal";
      EXPECT_EQ(it->second.outcome, "accepted") << id;
    }
  }
  void TearDown() override {
    ProxyTest::TearDown();
    if (mounted) ::umount2(volume.c_str(), MNT_DETACH);  // so that the directory can go
  }
  std::string volume;
  bool mounted = false;
};

TEST_F(DiskFull, OrdersAreRejectedWithTheReasonNothingUnjournaledLeavesAndTradingResumes) {
  LogCapture log;
  EXPECT_EQ(field(trade("A1"), 39), "2");
  const std::string filler = volume + "/filler";
  fill(filler);

  // The journal's write log may still have room in its last page for an
  // order or two (written whole: they trade); then it is full.
  std::vector<std::string> passed;
  for (int i = 0; i < 20; ++i) {
    const std::string id = "W" + std::to_string(i);
    if (field(trade(id), 39) != "2") break;
    passed.push_back(id);
  }
  ASSERT_LT(passed.size(), 20u) << "the disk never filled";

  // Full: each order is rejected, saying why, and none reaches the venue.
  const std::size_t at_venue = venue->received("D").size();
  const std::string why = "cannot write " + volume + "/journal.db-redo: No space left on device";
  for (const std::string id : {"F1", "F2", "F3"}) {
    const std::string reply = trade(id);
    EXPECT_EQ(field(reply, 39), "8") << id;
    EXPECT_EQ(field(reply, 58), "journal cannot be written (" + why + "): not forwarded") << id;
  }
  EXPECT_EQ(venue->received("D").size(), at_venue);
  EXPECT_TRUE(log.contains("journal: cannot be written (" + why + "): orders are rejected until it can"));

  // Space again: the next order passes, with no one's help.
  std::filesystem::remove(filler);
  EXPECT_EQ(field(trade("B1"), 39), "2");
  EXPECT_TRUE(log.contains("journal: written again: orders are accepted again"));
  const std::vector<std::string> venue_got = venue->received("D");
  stop_all();

  // The journal holds every order, the rejected ones with the reason, and
  // every order the venue got as accepted; its chain is whole.
  std::map<std::string, JournalEntry> orders = journaled_orders();
  for (const std::string id : {"F1", "F2", "F3"}) {
    ASSERT_TRUE(orders.count(id)) << id;
    EXPECT_EQ(orders[id].outcome, "rejected");
    EXPECT_NE(orders[id].text.find("No space left on device"), std::string::npos) << orders[id].text;
  }
  expect_accepted(venue_got, orders);
  EXPECT_EQ(venue_got.size(), 2u + passed.size());  // A1, what fit and B1
  EXPECT_TRUE(persistence::JournalReader(volume + "/journal.db").verify().intact);
}

// Later in a run the write log's files have been used again and hold their
// blocks, so an append needs no room on the disk while they last. A full disk
// shows as the applier failing to write the journal's file: the log cannot
// empty a file and must grow (or 1 MB waits to be applied). Either way orders
// are rejected, saying why, none reaching the venue, until there is room
// again.
TEST_F(DiskFull, OnceTheLogsFilesWereUsedAgainOrdersAreRejectedWhenTheApplierFallsBehind) {
  LogCapture log;
  for (int i = 0; i < 300; ++i) ASSERT_EQ(field(trade("A" + std::to_string(i)), 39), "2");  // ~1 MB through the log
  const std::string filler = volume + "/filler";
  fill(filler);

  std::vector<std::string> passed;
  std::string rejected;
  for (int i = 0; i < 3000 && rejected.empty(); ++i) {
    const std::string id = "W" + std::to_string(i);
    const std::string reply = trade(id);
    ASSERT_FALSE(reply.empty()) << "no answer to " << id << ": the rejects do not leave";
    if (field(reply, 39) == "2")
      passed.push_back(id);
    else
      rejected = reply;
  }
  ASSERT_FALSE(rejected.empty()) << "never rejected after " << passed.size() << " orders";
  const std::string why = field(rejected, 58);
  EXPECT_EQ(why.rfind("journal cannot be written (", 0), 0u) << why;
  EXPECT_TRUE(why.find("No space left on device") != std::string::npos ||
              why.find("database or disk is full") != std::string::npos)
      << why;
  const std::size_t at_venue = venue->received("D").size();
  for (const std::string id : {"F1", "F2"}) EXPECT_EQ(field(trade(id), 39), "8") << id;
  EXPECT_EQ(venue->received("D").size(), at_venue);

  // Room again: what waits is applied, and the next order passes.
  std::filesystem::remove(filler);
  std::string after;
  for (int i = 0; i < 50 && field(after, 39) != "2"; ++i) {
    after = trade("B" + std::to_string(i));
    if (field(after, 39) != "2") std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(field(after, 39), "2") << "trading did not resume: " << field(after, 58);
  const std::vector<std::string> venue_got = venue->received("D");
  stop_all();

  // Every order the venue got is in the journal as accepted; its chain is
  // whole.
  std::map<std::string, JournalEntry> orders = journaled_orders();
  expect_accepted(venue_got, orders);
  for (const std::string id : {"F1", "F2"}) {
    ASSERT_TRUE(orders.count(id)) << id;
    EXPECT_EQ(orders[id].outcome, "rejected") << id;
  }
  EXPECT_TRUE(persistence::JournalReader(volume + "/journal.db").verify().intact);
}

}  // namespace
}  // namespace fixguard::testing
