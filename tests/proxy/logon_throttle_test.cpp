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
  EXPECT_TRUE(t.comp_id_blocked("ALPHA", address(3), t0 + 2s));
  EXPECT_FALSE(t.comp_id_blocked("BETA", address(3), t0 + 2s));
  EXPECT_FALSE(t.address_blocked(address(1), t0 + 2s));
  EXPECT_FALSE(t.comp_id_blocked("ALPHA", address(3), t0 + 61s));
}

TEST(LogonThrottle, ZeroTurnsALimitOff) {
  LogonThrottle t(0, 0, 60s);
  for (int i = 0; i < 100; ++i) {
    const auto b = t.failed(address(1), "ALPHA", t0);
    EXPECT_FALSE(b.address || b.comp_id);
  }
  EXPECT_FALSE(t.address_blocked(address(1), t0));
  EXPECT_FALSE(t.comp_id_blocked("ALPHA", address(1), t0));
  EXPECT_EQ(t.tracked_addresses(), 0u);
}

TEST(LogonThrottle, ACompIdLockoutDoesNotKeepOutAnAddressItsSessionLoggedOnFrom) {
  LogonThrottle t(3, 2, 60s);
  t.succeeded(address(1), "ALPHA");  // the strategy's own host
  t.failed(address(9), "ALPHA", t0);
  EXPECT_TRUE(t.failed(address(9), "ALPHA", t0 + 1s).comp_id) << "someone elsewhere locks ALPHA out";
  EXPECT_TRUE(t.comp_id_blocked("ALPHA", address(9), t0 + 2s));
  EXPECT_TRUE(t.comp_id_blocked("ALPHA", address(2), t0 + 2s)) << "an address never accepted for ALPHA";
  EXPECT_FALSE(t.comp_id_blocked("ALPHA", address(1), t0 + 2s)) << "the address ALPHA logged on from";
  t.succeeded(address(1), "BETA");
  EXPECT_TRUE(t.comp_id_blocked("ALPHA", address(2), t0 + 2s));
  // Known to ALPHA, the address still has its own count and lockout.
  for (int i = 0; i < 3; ++i) t.failed(address(1), "ALPHA", t0 + 3s);
  EXPECT_TRUE(t.address_blocked(address(1), t0 + 3s));
}

TEST(LogonThrottle, ACompIdKnowsItsLatestAddressesOnly) {
  LogonThrottle t(100, 1, 60s);
  for (uint8_t i = 0; i < LogonThrottle::kKnownPerCompId + 1; ++i) t.succeeded(address(i), "ALPHA");
  t.succeeded(address(1), "ALPHA");    // again: the latest now
  t.succeeded(address(100), "ALPHA");  // a new one: the oldest goes
  t.failed(address(200), "ALPHA", t0);
  EXPECT_TRUE(t.comp_id_blocked("ALPHA", address(0), t0)) << "the first of nine was forgotten";
  EXPECT_TRUE(t.comp_id_blocked("ALPHA", address(2), t0)) << "then the oldest, address 1 having come again";
  for (uint8_t i = 3; i <= LogonThrottle::kKnownPerCompId; ++i)
    EXPECT_FALSE(t.comp_id_blocked("ALPHA", address(i), t0));
  EXPECT_FALSE(t.comp_id_blocked("ALPHA", address(1), t0));
  EXPECT_FALSE(t.comp_id_blocked("ALPHA", address(100), t0));
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
