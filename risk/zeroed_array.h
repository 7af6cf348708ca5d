// A fixed number of trivially copyable T in memory that starts zeroed, as
// calloc gives it: fresh pages from the kernel are zero already, so a large
// array is not written over before use, and its pages are touched as they
// are used rather than all at once. For the hash tables of risk/ whose empty
// slot is all zero bits. Copyable (a copy of the bytes) and movable.
#pragma once

#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace fixguard::risk {

template <typename T>
class ZeroedArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  ZeroedArray() = default;
  explicit ZeroedArray(std::size_t n) : n_(n), p_(n == 0 ? nullptr : static_cast<T*>(std::calloc(n, sizeof(T)))) {
    if (n != 0 && p_ == nullptr) throw std::bad_alloc();
  }
  ZeroedArray(const ZeroedArray& o) : n_(o.n_), p_(o.n_ == 0 ? nullptr : static_cast<T*>(std::malloc(o.n_ * sizeof(T)))) {
    if (n_ != 0 && p_ == nullptr) throw std::bad_alloc();
    if (n_ != 0) std::memcpy(static_cast<void*>(p_), o.p_, n_ * sizeof(T));
  }
  ZeroedArray(ZeroedArray&& o) noexcept : n_(std::exchange(o.n_, 0)), p_(std::exchange(o.p_, nullptr)) {}
  ZeroedArray& operator=(ZeroedArray o) noexcept {
    std::swap(n_, o.n_);
    std::swap(p_, o.p_);
    return *this;
  }
  ~ZeroedArray() { std::free(p_); }

  std::size_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  T& operator[](std::size_t i) { return p_[i]; }
  const T& operator[](std::size_t i) const { return p_[i]; }

 private:
  std::size_t n_ = 0;
  T* p_ = nullptr;
};

}  // namespace fixguard::risk
