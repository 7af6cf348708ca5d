// Reading recorded FIX: the reader's block boundaries, messages longer than a
// block, BodyLengths that lie; and the replay's merge of several logs, read
// on a thread of its own in batches, in time order.
#include "proxy/fix_log_reader.h"
#include "config/config.h"
#include "proxy/replay.h"
#include "tests/support/harness.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace fixguard::testing {
namespace {

// A message with correct BodyLength; `fields` after the header.
std::string message(int seq, const std::string& fields) {
  return raw_fix("FIX.4.4",
                 {"35=D", "34=" + std::to_string(seq), "49=ALPHA", "56=FIXGUARD", "52=20261130-09:00:00.000", fields});
}

std::vector<proxy::LoggedMessage> read_all(const std::string& path, std::vector<std::string>& texts) {
  proxy::FixLogReader reader(path);
  std::vector<proxy::LoggedMessage> out;
  proxy::LoggedMessage m;
  while (reader.next(m)) {
    texts.emplace_back(m.text);  // the view lasts until the next call
    out.push_back(m);
  }
  return out;
}

TEST(FixLogReader, LinesAcrossReadBlocksAndLongerThanABlockAreReadWhole) {
  TempDir dir;
  std::vector<std::string> expected;
  {
    std::ofstream out(dir.file("big.log"), std::ios::binary);
    // ~1.5 MB of ordinary lines, then one of 3 MB, then a last line with no newline.
    for (int i = 0; i < 3000; ++i) {
      expected.push_back(message(i + 1, "58=" + std::string(400 + i % 97, 'a' + i % 26)));
      out << "20261130-09:00:00.000 : " << expected.back() << "\n";
    }
    expected.push_back(message(3001, "58=" + std::string(3 << 20, 'x')));
    out << "20261130-09:00:01.000 : " << expected.back() << "\n";
    expected.push_back(message(3002, "58=last"));
    out << "20261130-09:00:02.000 : " << expected.back();
  }
  std::vector<std::string> texts;
  const auto messages = read_all(dir.file("big.log"), texts);
  ASSERT_EQ(texts.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(texts[i], expected[i]) << "message " << i;
    EXPECT_EQ(messages[i].line, static_cast<int64_t>(i + 1));
  }
  EXPECT_EQ(proxy::FixLogReader(dir.file("big.log")).size(), std::filesystem::file_size(dir.file("big.log")));
}

TEST(FixLogReader, ABodyLengthThatLiesFallsBackToTheCheckSum) {
  TempDir dir;
  std::string lying = message(1, "11=A");
  lying.replace(lying.find("9=") + 2, lying.find('\x01', lying.find("9=")) - lying.find("9=") - 2, "7");
  const std::string honest = message(2, "11=B");
  {
    // Run together on one line, '^A' between fields, and a line of noise.
    std::string line = lying + honest;
    std::string caret;
    for (char c : line) caret += c == '\x01' ? std::string("^A") : std::string(1, c);
    std::ofstream(dir.file("raw.txt"), std::ios::binary) << "noise\n" << caret << "\n";
  }
  std::vector<std::string> texts;
  const auto messages = read_all(dir.file("raw.txt"), texts);
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_EQ(texts[0], lying);
  EXPECT_EQ(texts[1], honest);
  EXPECT_EQ(messages[0].line, 2);
  EXPECT_FALSE(messages[0].logged_ns().has_value());
  proxy::FixLogReader reader(dir.file("raw.txt"));
  proxy::LoggedMessage m;
  while (reader.next(m)) {
  }
  EXPECT_EQ(reader.skipped_lines(), 1);
}

TEST(ReplayMerge, SeveralLogsAreDecidedInTimeOrderAcrossManyBatches) {
  // Two logs, each 15,000 orders, interleaved in time: more messages than a
  // batch holds, so the merge crosses many batches. A rate limit of one
  // order per account per 10 ms rejects exactly the orders that come 5 ms
  // after the other log's.
  TempDir dir;
  constexpr int kEach = 15'000;
  for (int log = 0; log < 2; ++log) {
    std::ofstream out(dir.file("log" + std::to_string(log)), std::ios::binary);
    for (int i = 0; i < kEach; ++i) {
      const int64_t ms = i * 10 + log * 5;  // log 1 5 ms after log 0
      char t[32];
      std::snprintf(t, sizeof t, "20261130-%02d:%02d:%02d.%03d", 9 + static_cast<int>(ms / 3600000),
                    static_cast<int>(ms / 60000 % 60), static_cast<int>(ms / 1000 % 60), static_cast<int>(ms % 1000));
      const std::string sender = log == 0 ? "ALPHA" : "BETA";
      out << t << " : "
          << raw_fix("FIX.4.4",
                     {"35=D", "34=" + std::to_string(i + 2), "49=" + sender, "56=FIXGUARD", std::string("52=") + t,
                      "11=" + sender + std::to_string(i), "1=ACC", "55=IBM", "54=1", "38=1", "40=2", "44=10"})
          << "\n";
    }
  }
  const config::Config cfg = config::Config::from_text(R"(listen: "127.0.0.1:9880"
database: fixguard.db
venues:
  - { name: sim, begin_string: FIX.4.4, sender_comp_id: FIXGUARD, target_comp_id: VENUE, connect: "127.0.0.1:9881" }
clients:
  - { name: alpha, begin_string: FIX.4.4, sender_comp_id: FIXGUARD, target_comp_id: ALPHA, venue: sim }
  - { name: beta, begin_string: FIX.4.4, sender_comp_id: FIXGUARD, target_comp_id: BETA, venue: sim }
risk:
  rate_limits:
    per_account: { new: { rate: 100, burst: 1 } }
)",
                                                       dir.path(), FIXGUARD_SPECS_DIR);
  proxy::ReplayRequest request;
  request.logs = {dir.file("log1"), dir.file("log0")};
  request.show = proxy::ReplayRequest::Show::all;
  request.format = proxy::ReplayFormat::csv;
  request.progress = true;
  std::ostringstream out, err;
  const proxy::ReplayResult result = proxy::run_replay(cfg, nullptr, request, out, err);
  EXPECT_EQ(result.messages, 2 * kEach);
  // The progress line: how far through the logs, rewritten in place, then cleared.
  EXPECT_EQ(err.str().rfind("\rreplay: ", 0), 0u) << err.str();
  EXPECT_NE(err.str().find("% (8192 orders)"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("\r" + std::string(40, ' ') + "\r"), std::string::npos) << err.str();
  // time,client,msg_type,cl_ord_id,...,outcome,...: alpha's and beta's in turn.
  std::istringstream lines(out.str());
  std::string line;
  std::getline(lines, line);  // the header
  int n = 0, accepted = 0, rejected = 0;
  while (std::getline(lines, line)) {
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string v; std::getline(fields, v, ',');) f.push_back(v);
    ASSERT_GE(f.size(), 10u) << line;
    const bool alpha = n % 2 == 0;
    ASSERT_EQ(f[3], (alpha ? "ALPHA" : "BETA") + std::to_string(n / 2)) << "order " << n;
    EXPECT_EQ(f[9], alpha ? "accepted" : "rejected") << line;
    (f[9] == "accepted" ? accepted : rejected)++;
    ++n;
  }
  EXPECT_EQ(n, 2 * kEach);
  EXPECT_EQ(accepted, kEach);
  EXPECT_EQ(rejected, kEach);
}

}  // namespace
}  // namespace fixguard::testing
