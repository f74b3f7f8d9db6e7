// Format validators. Each follows the RFC the JSON Schema spec names for the format;
// comments cite the rule where the check is not obvious.
#include "formats.h"

#include <cstdint>
#include <string>
#include <vector>

#include "idna.h"

#include <nlohmann/json.hpp>
#include "tether/schema/regex.h"
#include "unicode.h"

namespace tether::schema::detail {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isHexDigit(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool digits(std::string_view s, std::size_t at, std::size_t n, int& value) {
  if (at + n > s.size()) return false;
  value = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (!isDigit(s[i])) return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

// RFC 3339 full-date.
bool checkDate(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  if (!digits(s, 0, 4, y) || !digits(s, 5, 2, m) || !digits(s, 8, 2, d)) return false;
  if (m < 1 || m > 12 || d < 1) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max = days[m - 1] + (m == 2 && leap ? 1 : 0);
  return d <= max;
}

// RFC 3339 full-time, with the leap-second rule: second 60 only at 23:59 UTC.
bool checkTime(std::string_view s) {
  int h = 0, m = 0, sec = 0;
  if (s.size() < 9 || s[2] != ':' || s[5] != ':') return false;
  if (!digits(s, 0, 2, h) || !digits(s, 3, 2, m) || !digits(s, 6, 2, sec)) return false;
  std::size_t i = 8;
  if (i < s.size() && s[i] == '.') {
    ++i;
    std::size_t start = i;
    while (i < s.size() && isDigit(s[i])) ++i;
    if (i == start) return false;
  }
  if (i >= s.size()) return false;
  int offset_minutes = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    if (i + 1 != s.size()) return false;
  } else if (s[i] == '+' || s[i] == '-') {
    int oh = 0, om = 0;
    if (s.size() != i + 6 || s[i + 3] != ':' || !digits(s, i + 1, 2, oh) || !digits(s, i + 4, 2, om)) return false;
    if (oh > 23 || om > 59) return false;
    offset_minutes = (s[i] == '+' ? 1 : -1) * (oh * 60 + om);
  } else {
    return false;
  }
  if (h > 23 || m > 59 || sec > 60) return false;
  if (sec == 60) {
    int utc = ((h * 60 + m - offset_minutes) % 1440 + 1440) % 1440;
    if (utc != 23 * 60 + 59) return false;
  }
  return true;
}

bool checkDateTime(std::string_view s) {
  if (s.size() < 11 || (s[10] != 'T' && s[10] != 't')) return false;
  return checkDate(s.substr(0, 10)) && checkTime(s.substr(11));
}

// RFC 3339 appendix A duration: "P" then consecutive date units (Y M D: a unit may only
// be followed by the next one, so P1Y2D is invalid), then "T" and consecutive time units
// (H M S), or "PnW" alone.
bool checkDuration(std::string_view s) {
  if (s.size() < 2 || s[0] != 'P') return false;
  std::size_t i = 1;
  auto units = [&](std::string_view order) -> int {
    int read = 0, last = -1;
    while (i < s.size() && s[i] != 'T') {
      std::size_t start = i;
      while (i < s.size() && isDigit(s[i])) ++i;
      if (i == start || i >= s.size()) return -1;
      auto pos = order.find(s[i]);
      if (pos == std::string_view::npos) return -1;
      if (last >= 0 && static_cast<int>(pos) != last + 1) return -1;
      last = static_cast<int>(pos);
      ++i;
      ++read;
    }
    return read;
  };
  // Weeks stand alone.
  if (s.back() == 'W') {
    for (std::size_t k = 1; k + 1 < s.size(); ++k)
      if (!isDigit(s[k])) return false;
    return s.size() > 2;
  }
  int date_units = units("YMD");
  if (date_units < 0) return false;
  if (i < s.size()) {
    ++i;  // 'T'
    int time_units = units("HMS");
    return time_units > 0 && i == s.size();
  }
  return date_units > 0;
}

bool checkIpv4(std::string_view s) {
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    std::size_t start = i;
    int value = 0;
    while (i < s.size() && isDigit(s[i]) && i - start < 4) value = value * 10 + (s[i++] - '0');
    std::size_t len = i - start;
    if (len == 0 || len > 3 || value > 255 || (len > 1 && s[start] == '0')) return false;
    ++parts;
    if (i == s.size()) break;
    if (s[i] != '.' || parts == 4) return false;
    ++i;
  }
  return parts == 4;
}

bool checkIpv6(std::string_view s) {
  if (s.empty()) return false;
  int groups = 0;
  bool compressed = false;
  std::size_t i = 0;
  if (s.rfind("::", 0) == 0) {
    compressed = true;
    i = 2;
    if (i == s.size()) return true;
  } else if (s[0] == ':') {
    return false;
  }
  while (i < s.size()) {
    std::size_t start = i;
    while (i < s.size() && isHexDigit(s[i])) ++i;
    if (i < s.size() && s[i] == '.') {  // embedded IPv4 as the last 32 bits
      if (!checkIpv4(s.substr(start))) return false;
      groups += 2;
      i = s.size();
      break;
    }
    std::size_t len = i - start;
    if (len == 0 || len > 4) return false;
    ++groups;
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (compressed) return false;
      compressed = true;
      ++i;
      if (i == s.size()) break;
    } else if (i == s.size()) {
      return false;
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

bool checkUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !isHexDigit(s[i])) return false;
  }
  return true;
}

bool checkJsonPointer(std::string_view s) {
  if (s.empty()) return true;
  if (s[0] != '/') return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i] == '~' && (i + 1 >= s.size() || (s[i + 1] != '0' && s[i + 1] != '1'))) return false;
  return true;
}

bool checkRelativeJsonPointer(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && isDigit(s[i])) ++i;
  if (i == 0 || (i > 1 && s[0] == '0')) return false;
  std::string_view rest = s.substr(i);
  if (rest.size() > 0 && (rest[0] == '+' || rest[0] == '-')) {  // index manipulation
    std::size_t j = 1;
    while (j < rest.size() && isDigit(rest[j])) ++j;
    if (j == 1 || (j > 2 && rest[1] == '0')) return false;
    rest = rest.substr(j);
  }
  return rest == "#" || checkJsonPointer(rest);
}

// RFC 3986 characters.
bool isUnreserved(char c) { return isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~'; }
bool isSubDelim(char c) {
  return c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' || c == '+' ||
         c == ',' || c == ';' || c == '=';
}

// Checks that every char of `s` is allowed (pchar-ish set `extra`), with valid %XX and,
// for IRIs, non-ASCII (ucschar) allowed.
bool checkChars(std::string_view s, std::string_view extra, bool iri) {
  // The allowed ASCII characters as a 128-bit set: unreserved, sub-delims and `extra`.
  struct Set {
    std::uint64_t bits[2] = {0, 0};
    void add(unsigned char c) { bits[c >> 6] |= std::uint64_t{1} << (c & 63); }
  };
  static const Set base = [] {
    Set set;
    for (unsigned c = 0; c < 0x80; ++c)
      if (isUnreserved(static_cast<char>(c)) || isSubDelim(static_cast<char>(c))) set.add(static_cast<unsigned char>(c));
    return set;
  }();
  Set set = base;
  for (char c : extra) set.add(static_cast<unsigned char>(c));
  const std::uint64_t* allowed = set.bits;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80 && (allowed[c >> 6] & (std::uint64_t{1} << (c & 63)))) continue;
    if (c == '%') {
      if (i + 2 >= s.size() || !isHexDigit(s[i + 1]) || !isHexDigit(s[i + 2])) return false;
      i += 2;
      continue;
    }
    if (c >= 0x80 && iri) continue;
    return false;
  }
  return true;
}

bool checkAuthority(std::string_view a, bool iri) {
  auto at = a.rfind('@');
  if (at != std::string_view::npos) {
    if (!checkChars(a.substr(0, at), ":", iri)) return false;
    a = a.substr(at + 1);
  }
  std::string_view host = a, port;
  if (!a.empty() && a[0] == '[') {
    auto close = a.find(']');
    if (close == std::string_view::npos) return false;
    std::string_view literal = a.substr(1, close - 1);
    if (literal.empty()) return false;
    if (literal[0] == 'v' || literal[0] == 'V') {
      if (!checkChars(literal, ":", false)) return false;
    } else if (!checkIpv6(literal)) {
      return false;
    }
    host = {};
    std::string_view after = a.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return false;
      port = after.substr(1);
    }
  } else {
    auto colon = a.rfind(':');
    if (colon != std::string_view::npos) {
      host = a.substr(0, colon);
      port = a.substr(colon + 1);
    }
  }
  for (char c : port)
    if (!isDigit(c)) return false;
  return checkChars(host, "", iri);
}

bool checkUriReference(std::string_view s, bool require_scheme, bool iri) {
  // Fragment and query.
  std::string_view fragment, query;
  if (auto h = s.find('#'); h != std::string_view::npos) {
    fragment = s.substr(h + 1);
    s = s.substr(0, h);
    if (!checkChars(fragment, ":@/?", iri)) return false;
  }
  if (auto q = s.find('?'); q != std::string_view::npos) {
    query = s.substr(q + 1);
    s = s.substr(0, q);
    if (!checkChars(query, ":@/?", iri)) return false;
  }
  // Scheme.
  auto colon = s.find(':');
  auto slash = s.find('/');
  bool has_scheme = colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash);
  if (has_scheme) {
    std::string_view scheme = s.substr(0, colon);
    if (scheme.empty() || !isAlpha(scheme[0])) return false;
    for (char c : scheme)
      if (!isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.') return false;
    s = s.substr(colon + 1);
  } else if (require_scheme) {
    return false;
  }
  if (s.rfind("//", 0) == 0) {
    std::string_view rest = s.substr(2);
    auto end = rest.find('/');
    if (!checkAuthority(rest.substr(0, end), iri)) return false;
    s = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  }
  return checkChars(s, ":@/", iri);
}

// RFC 6570: literals and {expressions} with an optional operator and varspecs.
bool checkUriTemplate(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '}') return false;
    if (c != '{') {
      auto u = static_cast<unsigned char>(c);
      if (u <= 0x20 || u == 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' ||
          c == '|')
        return false;
      continue;
    }
    auto close = s.find('}', i);
    if (close == std::string_view::npos) return false;
    std::string_view expr = s.substr(i + 1, close - i - 1);
    if (!expr.empty() && std::string_view("+#./;?&=,!@|").find(expr[0]) != std::string_view::npos) expr.remove_prefix(1);
    if (expr.empty()) return false;
    std::size_t start = 0;
    while (start <= expr.size()) {
      auto comma = expr.find(',', start);
      std::string_view var = expr.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      if (!var.empty() && var.back() == '*') var.remove_suffix(1);
      else if (auto colon = var.find(':'); colon != std::string_view::npos) {
        std::string_view len = var.substr(colon + 1);
        if (len.empty() || len.size() > 4 || len[0] == '0') return false;
        for (char d : len)
          if (!isDigit(d)) return false;
        var = var.substr(0, colon);
      }
      if (var.empty() || var.front() == '.' || var.back() == '.' || var.find("..") != std::string_view::npos)
        return false;
      for (char v : var)
        if (!isAlpha(v) && !isDigit(v) && v != '_' && v != '.' && v != '%') return false;
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    i = close;
  }
  return true;
}

// RFC 5321 Mailbox (with RFC 6531 UTF-8 when `idn`).
bool checkEmail(std::string_view s, bool idn) {
  auto at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size()) return false;
  std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
  if (local.size() >= 2 && local.front() == '"' && local.back() == '"') {
    for (std::size_t i = 1; i + 1 < local.size(); ++i) {
      char c = local[i];
      if (c == '\\') { ++i; continue; }
      if (c == '"' || static_cast<unsigned char>(c) < 0x20) return false;
    }
  } else {
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
    for (char c : local) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        if (!idn) return false;
        continue;
      }
      if (isAlpha(c) || isDigit(c) || c == '.' || std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos)
        continue;
      return false;
    }
  }
  if (domain.front() == '[') {
    if (domain.back() != ']') return false;
    std::string_view literal = domain.substr(1, domain.size() - 2);
    if (literal.rfind("IPv6:", 0) == 0) return checkIpv6(literal.substr(5));
    return checkIpv4(literal);
  }
  return idn ? checkIdnHostname(domain) : checkHostname(domain);
}

bool checkRegex(std::string_view s) {
  std::string error;
  if (Regex::compile(s, error)) return true;
  // PCRE2 10.42 rejects variable-length lookbehind, which ECMA-262 allows.
  return Regex::translate(s, error).has_value() && error.find("lookbehind") != std::string::npos;
}

}  // namespace

std::optional<Format> formatFromName(std::string_view n) {
  static const std::pair<const char*, Format> table[] = {
      {"date-time", Format::DateTime}, {"date", Format::Date}, {"time", Format::Time},
      {"duration", Format::Duration}, {"email", Format::Email}, {"idn-email", Format::IdnEmail},
      {"hostname", Format::Hostname}, {"idn-hostname", Format::IdnHostname}, {"ipv4", Format::Ipv4},
      {"ipv6", Format::Ipv6}, {"uri", Format::Uri}, {"uri-reference", Format::UriReference},
      {"iri", Format::Iri}, {"iri-reference", Format::IriReference}, {"uri-template", Format::UriTemplate},
      {"uuid", Format::Uuid}, {"json-pointer", Format::JsonPointer},
      {"relative-json-pointer", Format::RelativeJsonPointer}, {"regex", Format::Regex},
  };
  for (auto& [name, format] : table)
    if (n == name) return format;
  return std::nullopt;
}

const char* formatName(Format f) {
  switch (f) {
    case Format::DateTime: return "date-time";
    case Format::Date: return "date";
    case Format::Time: return "time";
    case Format::Duration: return "duration";
    case Format::Email: return "email";
    case Format::IdnEmail: return "idn-email";
    case Format::Hostname: return "hostname";
    case Format::IdnHostname: return "idn-hostname";
    case Format::Ipv4: return "ipv4";
    case Format::Ipv6: return "ipv6";
    case Format::Uri: return "uri";
    case Format::UriReference: return "uri-reference";
    case Format::Iri: return "iri";
    case Format::IriReference: return "iri-reference";
    case Format::UriTemplate: return "uri-template";
    case Format::Uuid: return "uuid";
    case Format::JsonPointer: return "json-pointer";
    case Format::RelativeJsonPointer: return "relative-json-pointer";
    case Format::Regex: return "regex";
  }
  return "?";
}

bool checkFormat(Format f, std::string_view v) {
  switch (f) {
    case Format::DateTime: return checkDateTime(v);
    case Format::Date: return checkDate(v);
    case Format::Time: return checkTime(v);
    case Format::Duration: return checkDuration(v);
    case Format::Email: return checkEmail(v, false);
    case Format::IdnEmail: return checkEmail(v, true);
    case Format::Hostname: return checkHostname(v);
    case Format::IdnHostname: return checkIdnHostname(v);
    case Format::Ipv4: return checkIpv4(v);
    case Format::Ipv6: return checkIpv6(v);
    case Format::Uri: return checkUriReference(v, true, false);
    case Format::UriReference: return checkUriReference(v, false, false);
    case Format::Iri: return checkUriReference(v, true, true);
    case Format::IriReference: return checkUriReference(v, false, true);
    case Format::UriTemplate: return checkUriTemplate(v);
    case Format::Uuid: return checkUuid(v);
    case Format::JsonPointer: return checkJsonPointer(v);
    case Format::RelativeJsonPointer: return checkRelativeJsonPointer(v);
    case Format::Regex: return checkRegex(v);
  }
  return true;
}

bool checkContent(bool base64, bool json, std::string_view value) {
  std::string decoded;
  if (base64) {
    if (value.size() % 4 != 0) return false;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (std::size_t i = 0; i < value.size(); ++i) {
      char c = value[i];
      int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= 'a' && c <= 'z' ? c - 'a' + 26
            : c >= '0' && c <= '9' ? c - '0' + 52 : c == '+' ? 62 : c == '/' ? 63 : -1;
      if (c == '=') {
        if (i + 2 < value.size()) return false;
        continue;
      }
      if (v < 0) return false;
      buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        decoded += static_cast<char>((buffer >> bits) & 0xFF);
      }
    }
    value = decoded;
  }
  if (json) return nlohmann::json::accept(value);
  return true;
}

}  // namespace tether::schema::detail
