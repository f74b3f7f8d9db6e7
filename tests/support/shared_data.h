// Locating the third-party test data in ../shared/data (never copied into the repo).
//
// On a user's clone the folder is absent: tests that need it skip with a message.
// Under CI (CI=true) its absence is a failure, so nothing skips silently.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace tether::testing {

// The shared data root configured at build time (TETHER_SHARED_DATA).
inline std::filesystem::path sharedDataRoot() {
#ifdef TETHER_SHARED_DATA_DIR
  return std::filesystem::path(TETHER_SHARED_DATA_DIR);
#else
  return std::filesystem::path("../shared/data");
#endif
}

inline bool runningInCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}

}  // namespace tether::testing

// Sets `var` to sharedDataRoot()/sub, or skips (fails under CI) when it does not exist.
#define TETHER_REQUIRE_SHARED(var, sub)                                                 \
  const std::filesystem::path var = ::tether::testing::sharedDataRoot() / (sub);        \
  if (!std::filesystem::exists(var)) {                                                  \
    if (::tether::testing::runningInCi()) {                                             \
      FAIL() << "shared test data missing under CI: " << var.string();                 \
    }                                                                                   \
    GTEST_SKIP() << "shared test data not found at " << var.string()                    \
                 << " (clone beside ../shared to run this test)";                      \
  }
