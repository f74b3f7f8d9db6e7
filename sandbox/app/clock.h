// The sandbox's clock. Lifecycles (a deployment building, a database provisioning) take
// sandbox time; `speed` sandbox seconds pass per real second, so a test that sets
// --clock-speed 100 sees a 60-second build finish in 0.6 s. Timestamps the API returns are
// sandbox time too, so they stay consistent with the lifecycles.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace tether::sandbox {

class Clock {
 public:
  using time_point = std::chrono::system_clock::time_point;

  explicit Clock(double speed = 1.0);
  double speed() const { return speed_; }
  time_point now() const;
  // Milliseconds since the epoch, sandbox time.
  std::int64_t nowMs() const;
  // RFC 3339 UTC with milliseconds and a fixed width ("2026-11-24T01:02:03.456Z"), so the
  // text sorts as time.
  std::string nowText() const { return format(now()); }
  static std::string format(time_point t);
  // Parses any RFC 3339 date-time (what format() writes, other fractions, offsets); false
  // for anything else, including out-of-range fields.
  static bool parse(const std::string& text, time_point& out);
  // The real duration that `sandboxDuration` takes at this speed.
  std::chrono::milliseconds realDuration(std::chrono::milliseconds sandboxDuration) const;

 private:
  double speed_;
  std::chrono::system_clock::time_point realStart_;
  std::chrono::steady_clock::time_point steadyStart_;
};

}  // namespace tether::sandbox
