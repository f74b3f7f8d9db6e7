// A value that counts its live instances, for the tests of the models' hand-rolled storage
// (Optional, OneOf): a missed or doubled destructor shows as a count that does not return
// to zero.
#pragma once

#include <string>
#include <utility>

namespace tether::testing {

struct Counted {
  static inline int live = 0;
  std::string text;
  Counted(std::string t = "") : text(std::move(t)) { ++live; }  // NOLINT: implicit on purpose
  Counted(const Counted& other) : text(other.text) { ++live; }
  Counted(Counted&& other) noexcept : text(std::move(other.text)) { ++live; }
  Counted& operator=(const Counted&) = default;
  Counted& operator=(Counted&&) = default;
  ~Counted() { --live; }
  bool operator==(const Counted&) const = default;
};

}  // namespace tether::testing
