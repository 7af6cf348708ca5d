// Failed logons counted per address and per CompID over a sliding window:
// after `limit` failures within it, logons from that address (or for that
// CompID) are refused without being checked until the oldest of those
// failures leaves the window. A brute-force guesser gets a handful of tries
// a minute, and a flood costs fixguard no password hashing.
//
// A CompID's lockout does not keep out the addresses its session logged on
// from before (since the start, the latest few): whoever knows a CompID
// cannot lock its strategy out from elsewhere. From such an address, the
// address's own count and lockout still apply.
//
// Time is a parameter. Thread: one at a time (the io thread).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <string>

namespace fixguard::proxy {

class LogonThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  using Address = std::array<uint8_t, 16>;  // IPv4 as IPv4-mapped IPv6

  // A limit of 0 turns that count off.
  LogonThrottle(int per_address, int per_comp_id, std::chrono::seconds window)
      : per_address_(per_address), per_comp_id_(per_comp_id), window_(window) {}

  // Whether logons from `address` / for `comp_id` are refused unchecked now.
  bool address_blocked(const Address& address, Clock::time_point now);
  // ... for `comp_id` from `address`: false for an address known to it.
  bool comp_id_blocked(const std::string& comp_id, const Address& address, Clock::time_point now);

  // A logon for `comp_id` (of a configured session) from `address` was
  // accepted: the address is known to the CompID from now on.
  void succeeded(const Address& address, const std::string& comp_id);
  static constexpr std::size_t kKnownPerCompId = 8;  // the latest addresses kept

  // Counts a failed logon from `address` (and for `comp_id`, if not "":
  // count only CompIDs of configured sessions, so that made-up ones cannot
  // fill the table). Says what it blocked that was not blocked before.
  struct Blocked {
    bool address = false, comp_id = false;
  };
  Blocked failed(const Address& address, const std::string& comp_id, Clock::time_point now);

  // Addresses being counted (bounded: see kMaxAddresses).
  std::size_t tracked_addresses() const { return by_address_.size(); }
  static constexpr std::size_t kMaxAddresses = 65536;

 private:
  using Failures = std::deque<Clock::time_point>;  // within the window, oldest first, at most the limit
  // Drops failures older than the window; true if `limit` remain.
  bool full(Failures& f, int limit, Clock::time_point now) const;
  // Counts one; true if that made it full.
  bool add(Failures& f, int limit, Clock::time_point now) const;
  void prune(Clock::time_point now);

  int per_address_, per_comp_id_;
  std::chrono::seconds window_;
  std::map<Address, Failures> by_address_;
  std::map<std::string, Failures> by_comp_id_;
  std::map<std::string, std::deque<Address>> known_;  // by CompID, latest last
};

}  // namespace fixguard::proxy
