// The decision path allocates nothing once an order's keys (client,
// account, symbol) have been seen: counted by replacing operator new in
// this test executable.
#include "bench/decision_book.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<long> allocations{0};
}

#pragma GCC diagnostic ignored "-Wmismatched-new-delete"  // new and delete below pair malloc and free

void* operator new(std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace fixguard::bench {
namespace {

TEST(DecisionPath, AllocatesNothingPerDecision) {
  DecisionBook book(1 << 14);
  // One pass to meet every client, account and symbol key once.
  for (std::size_t i = 0; i < book.requests.size(); ++i) book.decide(i);
  const long before = allocations.load();
  std::size_t accepted = 0;
  for (std::size_t i = 0; i < book.requests.size(); ++i) accepted += !book.decide(i).has_value();
  EXPECT_EQ(allocations.load() - before, 0);
  // The full path ran: the orders passed every check.
  EXPECT_EQ(accepted, book.requests.size());
}

TEST(DecisionPath, TheCounterSeesAllocations) {
  const long before = allocations.load();
  auto* p = new std::string(100, 'x');
  delete p;
  EXPECT_GT(allocations.load() - before, 0);
}

}  // namespace
}  // namespace fixguard::bench
