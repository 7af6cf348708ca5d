// Failed logons per address and per CompID over a sliding window (pure:
// time is a parameter).
#include "proxy/logon_throttle.h"

#include <gtest/gtest.h>

namespace fixguard::proxy {
namespace {

using namespace std::chrono_literals;
const LogonThrottle::Clock::time_point t0{};

LogonThrottle::Address address(uint8_t last) {
  LogonThrottle::Address a{};
  a[10] = a[11] = 0xff;
  a[12] = 10;
  a[15] = last;
  return a;
}

TEST(LogonThrottle, AnAddressIsBlockedAtItsLimitUntilTheWindowPasses) {
  LogonThrottle t(3, 0, 60s);
  EXPECT_FALSE(t.failed(address(1), "", t0).address);
  EXPECT_FALSE(t.failed(address(1), "", t0 + 10s).address);
  EXPECT_FALSE(t.address_blocked(address(1), t0 + 10s)) << "two failures of three";
  EXPECT_TRUE(t.failed(address(1), "", t0 + 20s).address) << "the third blocks it, and says so once";
  EXPECT_TRUE(t.address_blocked(address(1), t0 + 20s));
  EXPECT_FALSE(t.address_blocked(address(2), t0 + 20s)) << "another address is not";
  EXPECT_FALSE(t.failed(address(1), "", t0 + 30s).address) << "already blocked: not news, not counted";
  EXPECT_TRUE(t.address_blocked(address(1), t0 + 59s));
  EXPECT_FALSE(t.address_blocked(address(1), t0 + 60s)) << "the first failure left the window";
}

TEST(LogonThrottle, ACompIdIsBlockedSeparatelyFromAddresses) {
  LogonThrottle t(100, 2, 60s);
  t.failed(address(1), "ALPHA", t0);
  EXPECT_TRUE(t.failed(address(2), "ALPHA", t0 + 1s).comp_id) << "failures from any address count";
  EXPECT_TRUE(t.comp_id_blocked("ALPHA", t0 + 2s));
  EXPECT_FALSE(t.comp_id_blocked("BETA", t0 + 2s));
  EXPECT_FALSE(t.address_blocked(address(1), t0 + 2s));
  EXPECT_FALSE(t.comp_id_blocked("ALPHA", t0 + 61s));
}

TEST(LogonThrottle, ZeroTurnsALimitOff) {
  LogonThrottle t(0, 0, 60s);
  for (int i = 0; i < 100; ++i) {
    const auto b = t.failed(address(1), "ALPHA", t0);
    EXPECT_FALSE(b.address || b.comp_id);
  }
  EXPECT_FALSE(t.address_blocked(address(1), t0));
  EXPECT_FALSE(t.comp_id_blocked("ALPHA", t0));
  EXPECT_EQ(t.tracked_addresses(), 0u);
}

TEST(LogonThrottle, TheAddressTableIsBoundedAndForgetsThePast) {
  LogonThrottle t(5, 0, 60s);
  LogonThrottle::Address a{};
  for (std::size_t i = 0; i < LogonThrottle::kMaxAddresses + 100; ++i) {
    a[14] = static_cast<uint8_t>(i >> 8);
    a[15] = static_cast<uint8_t>(i);
    a[13] = static_cast<uint8_t>(i >> 16);
    t.failed(a, "", t0);
  }
  EXPECT_EQ(t.tracked_addresses(), LogonThrottle::kMaxAddresses) << "a flood from many addresses is capped";
  t.failed(address(1), "", t0 + 61s);
  EXPECT_EQ(t.tracked_addresses(), 1u) << "expired counts are dropped to make room";
}

}  // namespace
}  // namespace fixguard::proxy
