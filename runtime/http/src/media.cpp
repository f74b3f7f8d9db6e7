#include "tether/http/media.h"

#include <charconv>

#include "codec_util.h"
#include "tether/http/headers.h"

namespace tether::http {

namespace {

bool token(std::string_view t) { return isToken(t); }

// A parameter value: a token or a quoted-string; `text` starts at the value and is
// advanced past it.
std::optional<std::string> paramValue(std::string_view& text) {
  std::string value;
  if (!text.empty() && text.front() == '"') {
    std::size_t i = 1;
    while (i < text.size() && text[i] != '"') {
      if (text[i] == '\\' && i + 1 < text.size()) ++i;
      value += text[i];
      ++i;
    }
    if (i >= text.size()) return std::nullopt;  // unterminated quote
    text.remove_prefix(i + 1);
    return value;
  }
  std::size_t end = 0;
  while (end < text.size() && text[end] != ';' && text[end] != ',' && text[end] != ' ' && text[end] != '\t') ++end;
  value = std::string(text.substr(0, end));
  if (!token(value)) return std::nullopt;
  text.remove_prefix(end);
  return value;
}

std::optional<double> parseQ(std::string_view v) {
  // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
  if (v.empty() || v.size() > 5 || (v[0] != '0' && v[0] != '1')) return std::nullopt;
  if (v.size() > 1 && v[1] != '.') return std::nullopt;
  for (std::size_t i = 2; i < v.size(); ++i) {
    if (v[i] < '0' || v[i] > '9' || (v[0] == '1' && v[i] != '0')) return std::nullopt;
  }
  double q = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), q);
  if (ec != std::errc() || end != v.data() + v.size()) {
    if (v.size() == 2) return v[0] == '1' ? 1.0 : 0.0;  // "1." / "0."
    return std::nullopt;
  }
  return q;
}

// Parses one media type (or range) at the start of `text`, stopping at ',' or the end.
std::optional<MediaType> parseOne(std::string_view& text, bool allowQ) {
  MediaType mt;
  text = detail::trim(text);
  std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::size_t end = slash + 1;
  while (end < text.size() && isTokenChar(text[end])) ++end;
  std::string_view type = text.substr(0, slash);
  std::string_view subtype = text.substr(slash + 1, end - slash - 1);
  if (!token(type) || !token(subtype)) return std::nullopt;
  if (type == "*" && subtype != "*") return std::nullopt;
  mt.type = toLower(type);
  mt.subtype = toLower(subtype);
  text.remove_prefix(end);
  while (true) {
    text = detail::trim(text);
    if (text.empty() || text.front() == ',') return mt;
    if (text.front() != ';') return std::nullopt;
    text.remove_prefix(1);
    text = detail::trim(text);
    if (text.empty() || text.front() == ',') return mt;  // a trailing ';' is tolerated
    std::size_t eq = text.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string_view name = detail::trim(text.substr(0, eq));
    if (!token(name)) return std::nullopt;
    text.remove_prefix(eq + 1);
    text = detail::trim(text);
    std::optional<std::string> value = paramValue(text);
    if (!value) return std::nullopt;
    std::string lowered = toLower(name);
    if (allowQ && lowered == "q") {
      std::optional<double> q = parseQ(*value);
      if (!q) return std::nullopt;
      mt.q = *q;
      // Accept extensions after q are not media type parameters; skip them.
      allowQ = false;
    } else {
      mt.params.emplace_back(std::move(lowered), std::move(*value));
    }
  }
}

}  // namespace

std::string MediaType::suffix() const {
  std::size_t plus = subtype.rfind('+');
  return plus == std::string::npos ? std::string() : subtype.substr(plus + 1);
}

std::optional<std::string> MediaType::param(std::string_view name) const {
  for (const auto& p : params) {
    if (iequals(p.first, name)) return p.second;
  }
  return std::nullopt;
}

std::optional<MediaType> parseMediaType(std::string_view text) {
  std::optional<MediaType> mt = parseOne(text, false);
  if (!mt || !text.empty()) return std::nullopt;
  return mt;
}

std::vector<MediaType> parseAccept(std::string_view text) {
  std::vector<MediaType> out;
  while (!text.empty()) {
    std::string_view rest = text;
    std::optional<MediaType> mt = parseOne(rest, true);
    if (mt) out.push_back(std::move(*mt));
    // Skip to the next range whether or not this one parsed (quoted commas are rare
    // enough in Accept that a malformed range only loses itself).
    std::size_t comma = mt ? rest.find(',') : text.find(',');
    if (comma == std::string_view::npos) break;
    text = (mt ? rest : text).substr(comma + 1);
  }
  return out;
}

int matchSpecificity(const MediaType& range, const MediaType& concrete) {
  if (range.type == "*" && range.subtype == "*") return 0;
  if (range.type != concrete.type) return -1;
  if (range.subtype == "*") return 1;
  if (range.subtype.rfind("*+", 0) == 0) {  // "application/*+json"
    return concrete.suffix() == range.subtype.substr(2) ? 2 : -1;
  }
  if (range.subtype != concrete.subtype) return -1;
  for (const auto& p : range.params) {
    std::optional<std::string> value = concrete.param(p.first);
    // charset values are case-insensitive; other parameters are compared as sent.
    if (!value || (p.first == "charset" ? !iequals(*value, p.second) : *value != p.second)) return -1;
  }
  return range.params.empty() ? 3 : 4;
}

std::optional<std::string> negotiate(std::string_view accept, const std::vector<std::string>& offered) {
  if (offered.empty()) return std::nullopt;
  std::vector<MediaType> ranges = parseAccept(accept);
  // No Accept, or one with no readable range, accepts anything (RFC 9110 12.5.1 lets a
  // server disregard an unreadable Accept rather than answer 406).
  if (ranges.empty()) return offered.front();
  std::optional<std::string> best;
  double bestQ = 0;
  for (const std::string& offerText : offered) {
    std::optional<MediaType> offer = parseMediaType(offerText);
    if (!offer) continue;
    if (offer->wildcard()) {
      // A wildcard offer ("image/*") is answered with the client's first acceptable
      // concrete type inside it.
      for (const MediaType& range : ranges) {
        if (!range.wildcard() && range.q > bestQ && matchSpecificity(*offer, range) >= 0) {
          best = range.essence();
          bestQ = range.q;
        }
      }
      continue;
    }
    int bestSpecificity = -1;
    double q = 0;
    for (const MediaType& range : ranges) {
      int s = matchSpecificity(range, *offer);
      if (s > bestSpecificity) {
        bestSpecificity = s;
        q = range.q;
      }
    }
    if (bestSpecificity >= 0 && q > bestQ) {
      best = offerText;
      bestQ = q;
    }
  }
  return best;
}

std::optional<std::string> matchContentType(std::string_view contentType, const std::vector<std::string>& declared) {
  std::optional<MediaType> actual = parseMediaType(contentType);
  if (!actual || actual->wildcard()) return std::nullopt;
  std::optional<std::string> best;
  int bestSpecificity = -1;
  for (const std::string& d : declared) {
    std::optional<MediaType> range = parseMediaType(d);
    if (!range) continue;
    int s = matchSpecificity(*range, *actual);
    if (s > bestSpecificity) {
      bestSpecificity = s;
      best = d;
    }
  }
  return best;
}

bool isJsonMediaType(std::string_view mediaType) {
  std::optional<MediaType> mt = parseMediaType(mediaType);
  return mt && mt->type == "application" && (mt->subtype == "json" || mt->suffix() == "json");
}

}  // namespace tether::http
