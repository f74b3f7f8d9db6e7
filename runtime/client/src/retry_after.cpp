// Retry-After (RFC 9110 §10.2.3): delta-seconds or an HTTP-date in any of its three forms.
#include <algorithm>
#include <array>
#include <cctype>
#include <limits>

#include "tether/client/retry.h"

namespace tether::client {

namespace {

// A tiny cursor over the value; every reader fails softly (returns false).
struct Reader {
  std::string_view s;
  std::size_t i = 0;

  bool done() const { return i == s.size(); }
  bool literal(std::string_view text) {
    if (s.substr(i, text.size()) != text) return false;
    i += text.size();
    return true;
  }
  bool digits(std::size_t count, int& out) {
    if (s.size() - i < count) return false;
    out = 0;
    for (std::size_t k = 0; k < count; ++k) {
      char c = s[i + k];
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    i += count;
    return true;
  }
  bool oneOf(const std::array<std::string_view, 12>& names, std::size_t count, int& index) {
    for (std::size_t k = 0; k < count; ++k) {
      if (literal(names[k])) {
        index = static_cast<int>(k);
        return true;
      }
    }
    return false;
  }
};

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 12> kShortDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 12> kLongDays = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                        "Friday", "Saturday", "Sunday"};

// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t daysFromCivil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool clock(Reader& r, int& h, int& mi, int& se) {
  return r.digits(2, h) && r.literal(":") && r.digits(2, mi) && r.literal(":") && r.digits(2, se);
}

std::optional<std::int64_t> toEpoch(int year, int month, int day, int h, int mi, int se) {
  if (month < 0 || month > 11 || day < 1 || day > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  return daysFromCivil(year, month + 1, day) * 86400 + h * 3600 + mi * 60 + se;
}

}  // namespace

std::optional<std::int64_t> parseHttpDate(std::string_view value) {
  int wday = 0, day = 0, month = 0, year = 0, h = 0, mi = 0, se = 0;
  {  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    Reader r{value};
    if (r.oneOf(kShortDays, 7, wday) && r.literal(", ") && r.digits(2, day) && r.literal(" ") &&
        r.oneOf(kMonths, 12, month) && r.literal(" ") && r.digits(4, year) && r.literal(" ") &&
        clock(r, h, mi, se) && r.literal(" GMT") && r.done()) {
      return toEpoch(year, month, day, h, mi, se);
    }
  }
  {  // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"; a two-digit year within 50 years of now
     // (RFC 9110 §5.6.7) is, for any plausible clock, 2000-2049 or 1950-1999.
    Reader r{value};
    if (r.oneOf(kLongDays, 7, wday) && r.literal(", ") && r.digits(2, day) && r.literal("-") &&
        r.oneOf(kMonths, 12, month) && r.literal("-") && r.digits(2, year) && r.literal(" ") &&
        clock(r, h, mi, se) && r.literal(" GMT") && r.done()) {
      return toEpoch(year < 50 ? 2000 + year : 1900 + year, month, day, h, mi, se);
    }
  }
  {  // asctime: "Sun Nov  6 08:49:37 1994"
    Reader r{value};
    if (r.oneOf(kShortDays, 7, wday) && r.literal(" ") && r.oneOf(kMonths, 12, month) && r.literal(" ")) {
      bool dayOk = r.literal(" ") ? r.digits(1, day) : r.digits(2, day);
      if (dayOk && r.literal(" ") && clock(r, h, mi, se) && r.literal(" ") && r.digits(4, year) && r.done()) {
        return toEpoch(year, month, day, h, mi, se);
      }
    }
  }
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> parseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::isdigit(static_cast<unsigned char>(value.front()))) {
    // delta-seconds; saturate absurd values instead of overflowing (the cap applies later).
    constexpr std::int64_t kMaxSeconds = std::int64_t{1} << 40;
    std::int64_t seconds = 0;
    for (char c : value) {
      if (c < '0' || c > '9') return std::nullopt;
      seconds = std::min(kMaxSeconds, seconds * 10 + (c - '0'));
    }
    return std::chrono::milliseconds{seconds * 1000};
  }
  std::optional<std::int64_t> epoch = parseHttpDate(value);
  if (!epoch) return std::nullopt;
  // In whole seconds: an HTTP-date has no finer resolution, and a far-future year must not
  // overflow the clock's nanosecond representation.
  std::int64_t nowSeconds = std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count();
  std::int64_t delta = std::min<std::int64_t>(*epoch - nowSeconds, std::int64_t{1} << 40);
  return std::chrono::milliseconds{std::max<std::int64_t>(delta, 0) * 1000};
}

}  // namespace tether::client
