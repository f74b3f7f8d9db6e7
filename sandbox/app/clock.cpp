#include "clock.h"

#include <cstdio>
#include <cstring>
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

namespace {

// Reads `count` digits at `i` into `out`.
bool digits(const std::string& text, std::size_t& i, std::size_t count, int& out) {
  if (i + count > text.size()) return false;
  out = 0;
  for (std::size_t k = 0; k < count; ++k, ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool expect(const std::string& text, std::size_t& i, const char* any) {
  if (i >= text.size() || std::strchr(any, text[i]) == nullptr) return false;
  ++i;
  return true;
}

int daysIn(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

// RFC 3339 date-time (the JSON Schema format): any fraction length, Z or an offset, fields
// in range. A leap second (:60) counts as the last millisecond of its minute.
bool Clock::parse(const std::string& text, time_point& out) {
  std::size_t i = 0;
  int year, month, day, hour, minute, second;
  if (!digits(text, i, 4, year) || !expect(text, i, "-") || !digits(text, i, 2, month) || !expect(text, i, "-") ||
      !digits(text, i, 2, day) || !expect(text, i, "Tt") || !digits(text, i, 2, hour) || !expect(text, i, ":") ||
      !digits(text, i, 2, minute) || !expect(text, i, ":") || !digits(text, i, 2, second)) {
    return false;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 60) {
    return false;
  }
  int millis = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    std::size_t start = i;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (i - start < 3) millis = millis * 10 + (text[i] - '0');
    }
    if (i == start) return false;
    for (std::size_t k = i - start; k < 3; ++k) millis *= 10;
  }
  int offsetMinutes = 0;
  if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
    ++i;
  } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    const int sign = text[i++] == '-' ? -1 : 1;
    int oh, om;
    if (!digits(text, i, 2, oh) || !expect(text, i, ":") || !digits(text, i, 2, om) || oh > 23 || om > 59) return false;
    offsetMinutes = sign * (oh * 60 + om);
  } else {
    return false;
  }
  if (i != text.size()) return false;
  if (second == 60) {
    second = 59;
    millis = 999;
  }
  std::tm utc{};
  utc.tm_year = year - 1900;
  utc.tm_mon = month - 1;
  utc.tm_mday = day;
  utc.tm_hour = hour;
  utc.tm_min = minute;
  utc.tm_sec = second;
  const std::int64_t seconds = static_cast<std::int64_t>(timegm(&utc)) - offsetMinutes * 60;
  out = time_point(std::chrono::milliseconds(seconds * 1000 + millis));
  return true;
}

std::chrono::milliseconds Clock::realDuration(std::chrono::milliseconds sandboxDuration) const {
  return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(sandboxDuration.count()) / speed_));
}

}  // namespace tether::sandbox
