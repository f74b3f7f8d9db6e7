#include "ids.h"

#include <cstdint>
#include <random>

namespace tether::client::detail {

std::string uuidV4() {
  // One generator per thread, seeded from the OS: no lock on the request path, and
  // 128 bits of seed so threads never share a sequence.
  thread_local std::mt19937_64 random = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  std::uint64_t high = random(), low = random();
  high = (high & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;  // version 4
  low = (low & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;    // variant 10xx
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  auto put = [&](std::uint64_t value, int fromNibble, int toNibble) {
    for (int n = fromNibble; n > toNibble; --n) out += kHex[(value >> ((n - 1) * 4)) & 0xF];
  };
  put(high, 16, 8);
  out += '-';
  put(high, 8, 4);
  out += '-';
  put(high, 4, 0);
  out += '-';
  put(low, 16, 12);
  out += '-';
  put(low, 12, 0);
  return out;
}

}  // namespace tether::client::detail
