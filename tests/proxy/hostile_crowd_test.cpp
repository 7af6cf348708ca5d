// Every kind of hostile peer at once, while a well-behaved strategy keeps
// trading: 200 connections that never log on, garbage, BodyLength and
// CheckSum lies, 10 MB frames, a session that stops sending heartbeats, a
// session that never reads (its send queue is bounded: it is cut off rather
// than allowed to grow memory), and a logon flood that ends in a lockout.
#include "tests/support/proxy_fixture.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace fixguard::testing {
namespace {

using boost::asio::ip::tcp;

constexpr std::size_t kQueueBound = 1 << 20;

std::string crowd_yaml(uint16_t listen_port, uint16_t venue_port) {
  std::string y = two_client_yaml(listen_port, venue_port);
  const std::string limits = "limits: { logon_timeout_ms: 500 }\n";
  y.replace(y.find(limits), limits.size(),
            "limits: { logon_timeout_ms: 2000, max_send_queue_bytes: " + std::to_string(kQueueBound) + " }\n");
  y += "  - { name: gamma, begin_string: FIX.4.4, sender_comp_id: FIXGUARD, target_comp_id: GAMMA, venue: sim }\n";
  return y;
}

// A raw TCP peer; `receive_buffer` > 0 shrinks its socket's receive buffer
// (a peer that does not read then stops the sender sooner).
class Peer {
 public:
  explicit Peer(uint16_t port, int receive_buffer = 0) {
    socket_.open(tcp::v4());
    if (receive_buffer > 0) socket_.set_option(boost::asio::socket_base::receive_buffer_size(receive_buffer));
    boost::system::error_code ec;
    socket_.connect(tcp::endpoint(boost::asio::ip::address_v4::loopback(), port), ec);
    connected_ = !ec;
  }
  // Writes it all, or stops at the first error (the other side closed).
  bool send(const std::string& bytes) {
    boost::system::error_code ec;
    boost::asio::write(socket_, boost::asio::buffer(bytes), ec);
    return !ec;
  }
  // Whether the other side closed the connection (reads what is there).
  bool closed_within(int timeout_ms) {
    socket_.non_blocking(true);
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    std::array<char, 65536> buf;
    while (std::chrono::steady_clock::now() < until) {
      boost::system::error_code ec;
      socket_.read_some(boost::asio::buffer(buf), ec);
      if (ec == boost::asio::error::would_block) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      if (ec) return true;  // eof or reset
    }
    return false;
  }
  bool connected() const { return connected_; }

 private:
  boost::asio::io_context io_;
  tcp::socket socket_{io_};
  bool connected_ = false;
};

std::string logon(const std::string& sender, int heartbeat_s) {
  return raw_fix("FIX.4.4", {"35=A", "49=" + sender, "56=FIXGUARD", "34=1",
                             "52=" + FIX::UtcTimeStampConvertor::convert(FIX::UtcTimeStamp(), 3), "98=0",
                             "108=" + std::to_string(heartbeat_s)});
}

class HostileCrowd : public ProxyTest {
 protected:
  void SetUp() override {
    start(crowd_yaml(listen_port, venue_port), fills(proxy::SimulatorOptions::Fill::full));
    connect({"alpha"});
  }
  LogCapture log;
};

TEST_F(HostileCrowd, EveryKindOfHostilePeerAtOnceWhileAStrategyKeepsTrading) {
  // alpha trades throughout, one order at a time; each must be filled.
  std::atomic<bool> done{false};
  std::vector<int64_t> round_trips_us;
  int unanswered = 0;
  // The peers, declared before the threads that use them (joined first).
  Peer silent(listen_port);
  Peer deaf(listen_port, 4096);
  Peer garbage(listen_port), long_body(listen_port), bad_sum(listen_port), huge(listen_port);
  // Joined however the test ends.
  struct Joined {
    std::atomic<bool>& done;
    std::vector<std::thread> threads;
    ~Joined() {
      done = true;
      for (std::thread& t : threads)
        if (t.joinable()) t.join();
    }
  } joined{done, {}};
  joined.threads.reserve(3);
  std::thread& trader = joined.threads.emplace_back([&] {
    for (int i = 0; !done; ++i) {
      const std::string id = "T" + std::to_string(i);
      const auto start = std::chrono::steady_clock::now();
      if (!strategy->send("alpha", new_order(id)) || !wait_er("alpha", id, "F")) {
        ++unanswered;
        continue;
      }
      round_trips_us.push_back(
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });

  // A session that stops sending heartbeats (HeartBtInt 1 s) but reads.
  ASSERT_TRUE(silent.send(logon("BETA", 1)));
  // A session that never reads, made to be sent a lot: each TestRequest is
  // answered by a Heartbeat that echoes its 30 KB TestReqID.
  ASSERT_TRUE(deaf.send(logon("GAMMA", 30)));
  ASSERT_TRUE(log.wait_for("client session logged on (FIX.4.4:FIXGUARD->GAMMA)", kWait));
  std::thread& flood_deaf = joined.threads.emplace_back([&] {
    const std::string id(30000, 'x');
    for (int seq = 2; seq < 400 && !done; ++seq)
      if (!deaf.send(
              raw_fix("FIX.4.4", {"35=1", "49=GAMMA", "56=FIXGUARD", "34=" + std::to_string(seq),
                                  "52=" + FIX::UtcTimeStampConvertor::convert(FIX::UtcTimeStamp(), 3), "112=" + id})))
        return;  // cut off
  });

  // 200 connections that never log on.
  std::vector<std::unique_ptr<Peer>> idle;
  for (int i = 0; i < 200; ++i) idle.push_back(std::make_unique<Peer>(listen_port));
  EXPECT_EQ(std::count_if(idle.begin(), idle.end(), [](const auto& p) { return p->connected(); }), 200);

  // Garbage; a BodyLength that does not end at the CheckSum; a wrong
  // CheckSum; frames of 10 MB, stated and sent.
  garbage.send(std::string(100000, '\xff'));
  std::string lie = raw_logon("FIX.4.4", "BETA", "FIXGUARD", 1);
  long_body.send(lie.replace(lie.find("9=") + 2, 2, "12"));
  std::string sum = raw_logon("FIX.4.4", "BETA", "FIXGUARD", 1);
  sum.replace(sum.size() - 4, 3, sum.substr(sum.size() - 4, 3) == "000" ? "001" : "000");
  bad_sum.send(sum);
  std::thread& huge_sender = joined.threads.emplace_back([&] {
    huge.send(
        "8=FIX.4.4\x01"
        "9=10485760\x01"
        "35=A\x01" +
        std::string(10 << 20, 'x'));
  });

  // The heartbeat-less session is ended; the never-reading one is cut off
  // at its queue's bound.
  EXPECT_TRUE(silent.closed_within(10000)) << "a session without heartbeats stayed open";
  EXPECT_TRUE(log.wait_for("send queue over " + std::to_string(kQueueBound) + " bytes: peer is not reading", 20000));
  EXPECT_TRUE(deaf.closed_within(kWait));
  flood_deaf.join();
  huge_sender.join();
  EXPECT_TRUE(huge.closed_within(kWait));
  EXPECT_TRUE(log.contains("BodyLength 10485760 exceeds the frame limit"));
  EXPECT_TRUE(log.contains("bytes of garbage where a message should start"));
  EXPECT_TRUE(log.wait_for("does not end at the CheckSum field", kWait));
  EXPECT_TRUE(log.wait_for("does not match the computed", kWait));
  // The idle ones are closed at the logon timeout.
  for (auto& p : idle) EXPECT_TRUE(p->closed_within(kWait)) << "an idle connection stayed open";

  // A logon flood from one address: refused, then locked out at accept.
  int refused = 0;
  for (int i = 0; i < 40; ++i) {
    Peer p(listen_port);
    p.send(logon("MALLORY" + std::to_string(i), 30));
    refused += p.closed_within(kWait);
  }
  EXPECT_EQ(refused, 40);
  EXPECT_TRUE(log.contains("locked out"));

  done = true;
  trader.join();
  // alpha kept trading through all of it, and only alpha's orders reached
  // the venue.
  EXPECT_EQ(unanswered, 0);
  ASSERT_GT(round_trips_us.size(), 10u);
  EXPECT_EQ(venue->received("D").size(), round_trips_us.size());
  std::sort(round_trips_us.begin(), round_trips_us.end());
  const int64_t worst = round_trips_us.back();
  RecordProperty("alpha_orders", static_cast<int>(round_trips_us.size()));
  RecordProperty("alpha_round_trip_p50_us", static_cast<int>(round_trips_us[round_trips_us.size() / 2]));
  RecordProperty("alpha_round_trip_max_us", static_cast<int>(worst));
  std::cout << "alpha: " << round_trips_us.size() << " orders, round trip p50 "
            << round_trips_us[round_trips_us.size() / 2] << " us, max " << worst << " us\n";
}

}  // namespace
}  // namespace fixguard::testing
