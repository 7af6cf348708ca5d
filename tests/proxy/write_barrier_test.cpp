// Durability full: a connection's output leaves only after the barrier's
// sync succeeded, and one sync covers everything a batch of work wrote. And
// a connection's writes without a barrier.
// Real sockets on loopback; the sync is the test's, so it can fail on cue.
#include "proxy/write_barrier.h"
#include "proxy/connection.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace fixguard::testing {
namespace {

using boost::asio::ip::tcp;

class NoHandler : public proxy::ConnectionHandler {
 public:
  void on_frame(proxy::Connection&, const std::string&) override {}
  void on_framing_error(proxy::Connection&, const std::string&, bool) override {}
  void on_closed(proxy::Connection&, const std::string& reason) override { closed = reason; }
  std::string closed;
};

class WriteBarrierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
    peer.connect(acceptor.local_endpoint());
    peer.non_blocking(true);
    connection = std::make_shared<proxy::Connection>(acceptor.accept(), 1 << 16, 1 << 20);
    connection->set_handler(&handler);
    connection->set_barrier(&barrier);
  }
  // What the peer has received so far.
  std::string received() {
    std::string got;
    std::array<char, 4096> buf;
    for (;;) {
      boost::system::error_code ec;
      const std::size_t n = peer.read_some(boost::asio::buffer(buf), ec);
      if (ec || n == 0) return got;
      got.append(buf.data(), n);
    }
  }
  // Runs the io_context for `ms`, as fixguard's io thread would.
  void run_for(int ms) {
    io.restart();
    io.run_for(std::chrono::milliseconds(ms));
  }

  boost::asio::io_context io;
  tcp::socket peer{io};
  int syncs = 0;
  std::optional<std::string> sync_fails_with;
  proxy::WriteBarrier barrier{io, [this]() -> std::optional<std::string> {
                                ++syncs;
                                return sync_fails_with;
                              }};
  NoHandler handler;
  std::shared_ptr<proxy::Connection> connection;
};

TEST_F(WriteBarrierTest, OneSyncForEverythingABatchWrote) {
  // One handler's work (as one read of many messages is), then the flush.
  boost::asio::post(io, [this] {
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(connection->send("message " + std::to_string(i) + ";"));
    EXPECT_EQ(received(), "") << "nothing may leave before the sync";
  });
  run_for(100);
  EXPECT_EQ(syncs, 1);
  EXPECT_EQ(barrier.stats().flushes, 1u);
  const std::string got = received();
  EXPECT_EQ(got.substr(0, 10), "message 0;");
  EXPECT_NE(got.find("message 99;"), std::string::npos);

  // The next batch is the next sync.
  boost::asio::post(io, [this] { connection->send("again;"); });
  run_for(100);
  EXPECT_EQ(syncs, 2);
  EXPECT_EQ(received(), "again;");
}

TEST_F(WriteBarrierTest, NothingLeavesWhileTheSyncFailsAndAllOfItOnceItWorks) {
  sync_fails_with = "cannot sync x-wal: Input/output error";
  boost::asio::post(io, [this] {
    connection->send("order 1;");
    connection->send("order 2;");
  });
  run_for(350);
  EXPECT_EQ(received(), "");
  EXPECT_GE(syncs, 3) << "the sync is tried again";
  EXPECT_EQ(barrier.stats().flushes, 0u);
  EXPECT_EQ(barrier.stats().failures, static_cast<uint64_t>(syncs));

  // A write while it fails is held with the rest.
  boost::asio::post(io, [this] { connection->send("order 3;"); });
  run_for(50);
  EXPECT_EQ(received(), "");

  sync_fails_with.reset();
  run_for(250);
  EXPECT_EQ(received(), "order 1;order 2;order 3;");
  EXPECT_EQ(barrier.stats().flushes, 1u);
}

TEST_F(WriteBarrierTest, AClosingConnectionWritesWhatItHeldFirst) {
  boost::asio::post(io, [this] {
    connection->send("logout;");
    connection->close_after_flush("session disconnected");
  });
  run_for(200);
  EXPECT_EQ(handler.closed, "session disconnected");
  peer.non_blocking(false);
  std::string got;
  boost::system::error_code ec;
  std::array<char, 64> buf;
  while (!ec) got.append(buf.data(), peer.read_some(boost::asio::buffer(buf), ec));
  EXPECT_EQ(got, "logout;");
  EXPECT_EQ(ec, boost::asio::error::eof);
}

// Without a barrier, a connection writes at once what the socket takes and
// the rest when the peer reads: here the socket's buffers are small and the
// peer reads only after everything was sent, so most of it waits, cut at
// arbitrary points inside messages.
TEST(ConnectionTest, WhatTheSocketDoesNotTakeAtOnceLeavesLaterWholeAndInOrder) {
  boost::asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
  tcp::socket peer(io);
  peer.open(tcp::v4());
  peer.set_option(tcp::socket::receive_buffer_size(4096));
  peer.connect(acceptor.local_endpoint());
  tcp::socket accepted = acceptor.accept();
  accepted.set_option(tcp::socket::send_buffer_size(4096));
  NoHandler handler;
  auto connection = std::make_shared<proxy::Connection>(std::move(accepted), 1 << 16, 1 << 20);
  connection->set_handler(&handler);
  std::string expected;
  boost::asio::post(io, [&] {
    for (int i = 0; i < 400; ++i) {
      const std::string m = "message " + std::to_string(i) + ":" + std::string(997 + i % 13, 'a' + i % 26) + ";";
      ASSERT_TRUE(connection->send(m));
      expected += m;
    }
  });
  io.run_for(std::chrono::milliseconds(100));
  std::string got;
  std::array<char, 1000> buf;
  peer.non_blocking(true);
  for (int idle = 0; got.size() < expected.size() && idle < 2000;) {
    boost::system::error_code ec;
    const std::size_t n = peer.read_some(boost::asio::buffer(buf), ec);
    got.append(buf.data(), n);
    io.restart();
    if (n > 0)
      io.poll();  // what the read made writable
    else
      io.run_for(std::chrono::milliseconds(1));
    idle = n ? 0 : idle + 1;
  }
  EXPECT_EQ(got.size(), expected.size());
  EXPECT_TRUE(got == expected) << "the bytes arrived changed or out of order";
  EXPECT_EQ(handler.closed, "");
}

}  // namespace
}  // namespace fixguard::testing
