// The fixguard binary's commands, run as a user would.
#include "tests/support/harness.h"

#include <gtest/gtest.h>

#include <fstream>

namespace fixguard::testing {
namespace {

CommandResult run(const std::string& args) { return run_fixguard(args); }

TEST(Cli, HelpListsTheSubcommands) {
  const CommandResult r = run("--help");
  EXPECT_EQ(r.status, 0);
  for (const char* cmd : {"run", "check-config", "venue", "demo"}) EXPECT_NE(r.output.find(cmd), std::string::npos);
}

// The order path's allocations are jemalloc's (proxy/CMakeLists.txt): the
// library is linked into the binary, not only installed. Asked to, jemalloc
// prints its statistics as the process exits.
TEST(Cli, TheBinaryAllocatesWithJemalloc) {
  const CommandResult r = run_fixguard("--help", "MALLOC_CONF=stats_print:true");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.output.find("Begin jemalloc statistics"), std::string::npos) << r.output.substr(0, 500);
}

TEST(Cli, CheckConfigAcceptsTheExample) {
  const CommandResult r = run("check-config " + std::string(FIXGUARD_SOURCE_DIR) + "/examples/fixguard.yaml");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("config OK"), std::string::npos);
}

TEST(Cli, CheckConfigNamesTheBadKeyAndFails) {
  TempDir dir;
  std::string yaml = two_client_yaml(9880, 9878);
  yaml.replace(yaml.find("venue: sim"), 10, "venu: sim");
  std::ofstream(dir.file("bad.yaml")) << yaml;
  const CommandResult r = run("check-config " + dir.file("bad.yaml"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("clients[0].venue: required key is missing"), std::string::npos) << r.output;
}

TEST(Cli, UnknownCommandsAndMissingFilesFail) {
  EXPECT_EQ(run("frobnicate").status, 2);
  const CommandResult r = run("check-config /nonexistent.yaml");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("cannot read config file /nonexistent.yaml"), std::string::npos);
}

}  // namespace
}  // namespace fixguard::testing
