#include "numbers.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace tether::schema::detail {

namespace {

// 128-bit intermediates for exact modular arithmetic (a GCC/Clang extension).
__extension__ typedef unsigned __int128 Uint128;

static_assert(std::numeric_limits<long double>::digits >= 64,
              "exact int64/double comparison relies on an 80-bit long double");

long double asLongDouble(const nlohmann::json& n) {
  if (n.is_number_unsigned()) return static_cast<long double>(n.get<std::uint64_t>());
  if (n.is_number_integer()) return static_cast<long double>(n.get<std::int64_t>());
  return static_cast<long double>(n.get<double>());
}

// A decimal: negative, digits (no leading zeros, no trailing zeros), exponent, so that
// value = digits * 10^exponent. Zero has empty digits.
struct Decimal {
  bool negative = false;
  std::string digits;
  int exponent = 0;
};

Decimal toDecimal(const nlohmann::json& n) {
  char buf[64];
  std::to_chars_result r{};
  if (n.is_number_unsigned()) r = std::to_chars(buf, buf + sizeof buf, n.get<std::uint64_t>());
  else if (n.is_number_integer()) r = std::to_chars(buf, buf + sizeof buf, n.get<std::int64_t>());
  else r = std::to_chars(buf, buf + sizeof buf, n.get<double>(), std::chars_format::scientific);
  std::string_view text(buf, static_cast<std::size_t>(r.ptr - buf));
  Decimal d;
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') { d.negative = true; ++i; }
  int frac_digits = 0;
  bool in_frac = false;
  for (; i < text.size() && text[i] != 'e'; ++i) {
    if (text[i] == '.') { in_frac = true; continue; }
    d.digits += text[i];
    if (in_frac) ++frac_digits;
  }
  int exp = 0;
  if (i < text.size() && text[i] == 'e') {
    ++i;
    bool neg = false;
    if (text[i] == '-') { neg = true; ++i; } else if (text[i] == '+') { ++i; }
    for (; i < text.size(); ++i) exp = exp * 10 + (text[i] - '0');
    if (neg) exp = -exp;
  }
  d.exponent = exp - frac_digits;
  std::size_t lead = d.digits.find_first_not_of('0');
  d.digits = lead == std::string::npos ? std::string{} : d.digits.substr(lead);
  while (!d.digits.empty() && d.digits.back() == '0') { d.digits.pop_back(); ++d.exponent; }
  return d;
}

// (digits as integer) mod m, for m < 2^64.
Uint128 modDigits(const std::string& digits, Uint128 m) {
  Uint128 r = 0;
  for (char c : digits) r = (r * 10 + static_cast<unsigned>(c - '0')) % m;
  return r;
}

}  // namespace

int compareNumbers(const nlohmann::json& a, const nlohmann::json& b) {
  if (!a.is_number_float() && !b.is_number_float()) {
    bool an = a.is_number_integer() && !a.is_number_unsigned() && a.get<std::int64_t>() < 0;
    bool bn = b.is_number_integer() && !b.is_number_unsigned() && b.get<std::int64_t>() < 0;
    if (an != bn) return an ? -1 : 1;
    if (an) {
      auto x = a.get<std::int64_t>(), y = b.get<std::int64_t>();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    auto x = a.get<std::uint64_t>(), y = b.get<std::uint64_t>();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  long double x = asLongDouble(a), y = asLongDouble(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

bool isIntegral(const nlohmann::json& n) {
  if (!n.is_number_float()) return n.is_number();
  double d = n.get<double>();
  return std::isfinite(d) && std::floor(d) == d;
}

bool isMultipleOf(const nlohmann::json& value, const nlohmann::json& divisor) {
  if (value.is_number_float() && !std::isfinite(value.get<double>())) return false;
  if (!value.is_number_float() && !divisor.is_number_float()) {  // integers: plain modulo
    std::uint64_t m = divisor.get<std::uint64_t>();              // positive (compiler-checked)
    std::uint64_t v = value.is_number_unsigned() || value.get<std::int64_t>() >= 0
                          ? value.get<std::uint64_t>()
                          : 0 - static_cast<std::uint64_t>(value.get<std::int64_t>());
    return m != 0 && v % m == 0;
  }
  Decimal v = toDecimal(value);
  Decimal d = toDecimal(divisor);
  if (v.digits.empty()) return true;   // zero is a multiple of everything
  if (d.digits.empty()) return false;  // the compiler rejects multipleOf <= 0
  // value/divisor = (vd/dd) * 10^(ve-de). With both digit strings free of trailing zeros,
  // a negative power of ten can never be cancelled, so ve < de means "not a multiple".
  if (v.exponent < d.exponent) return false;
  if (d.digits.size() > 19) {
    // Divisors with more than 19 significant digits do not occur in practice; fall back.
    long double q = asLongDouble(value) / asLongDouble(divisor);
    return std::isfinite(q) && std::floor(q) == q;
  }
  Uint128 m = 0;
  for (char c : d.digits) m = m * 10 + static_cast<unsigned>(c - '0');
  Uint128 r = modDigits(v.digits, m);
  for (int k = d.exponent; k < v.exponent; ++k) r = (r * 10) % m;
  return r == 0;
}

}  // namespace tether::schema::detail
