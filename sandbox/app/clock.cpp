#include "clock.h"

#include <cstdio>
#include <ctime>

namespace tether::sandbox {

Clock::Clock(double speed)
    : speed_(speed > 0 ? speed : 1.0), realStart_(std::chrono::system_clock::now()),
      steadyStart_(std::chrono::steady_clock::now()) {}

Clock::time_point Clock::now() const {
  // Elapsed time on the steady clock, scaled: sandbox time never runs backwards.
  auto elapsed = std::chrono::steady_clock::now() - steadyStart_;
  auto scaled = std::chrono::duration_cast<std::chrono::system_clock::duration>(
      std::chrono::duration<double, std::nano>(static_cast<double>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()) * speed_));
  return realStart_ + scaled;
}

std::int64_t Clock::nowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(now().time_since_epoch()).count();
}

std::string Clock::format(time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms % 1000));
  return text;
}

bool Clock::parse(const std::string& text, time_point& out) {
  std::tm utc{};
  int millis = 0;
  int year, month, day, hour, minute, second;
  char tail[8] = {};
  int n = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3d%7s", &year, &month, &day, &hour, &minute, &second,
                      &millis, tail);
  if (n == 8 && std::string(tail) == "Z") {
  } else if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%7s", &year, &month, &day, &hour, &minute, &second,
                         tail) == 7 &&
             std::string(tail) == "Z") {
    millis = 0;
  } else {
    return false;
  }
  utc.tm_year = year - 1900;
  utc.tm_mon = month - 1;
  utc.tm_mday = day;
  utc.tm_hour = hour;
  utc.tm_min = minute;
  utc.tm_sec = second;
  std::time_t seconds = timegm(&utc);
  out = time_point(std::chrono::milliseconds(static_cast<std::int64_t>(seconds) * 1000 + millis));
  return true;
}

std::chrono::milliseconds Clock::realDuration(std::chrono::milliseconds sandboxDuration) const {
  return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(sandboxDuration.count()) / speed_));
}

}  // namespace tether::sandbox
