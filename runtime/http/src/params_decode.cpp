// Parameter decoding: the server side of the OpenAPI style/explode table. Every split is
// made on the raw (still %-encoded) text and each piece decoded afterwards, so an encoded
// delimiter ("%2C") stays data.
#include <functional>

#include "codec_util.h"
#include "tether/http/params.h"

namespace tether::http {

namespace {

using detail::split;
using detail::splitAny;
using detail::trim;
using Decode = std::function<std::string(std::string_view)>;

std::string pathDecode(std::string_view s) { return percentDecode(s, false); }
std::string queryDecode(std::string_view s) { return percentDecode(s, true); }
std::string headerDecode(std::string_view s) {
  std::string_view t = trim(s);
  if (!validUtf8(t)) throw DecodeError("header value is not valid UTF-8");
  return std::string(t);
}

nlohmann::json arrayOf(const std::vector<std::string_view>& pieces, Scalar scalar, const Decode& decode) {
  nlohmann::json out = nlohmann::json::array();
  for (std::string_view piece : pieces) out.push_back(typeScalar(decode(piece), scalar));
  return out;
}

// "R,100,G,200" (explode false): alternating keys and values.
nlohmann::json objectFromPairs(const std::vector<std::string_view>& pieces, const Shape& shape, const Decode& decode) {
  if (pieces.size() % 2 != 0) throw DecodeError("object value has a key without a value");
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i < pieces.size(); i += 2) detail::addTextField(out, decode(pieces[i]), decode(pieces[i + 1]), shape);
  return out;
}

// "R=100,G=200" (explode true): one assignment per piece.
nlohmann::json objectFromAssignments(const std::vector<std::string_view>& pieces, const Shape& shape,
                                     const Decode& decode) {
  nlohmann::json out = nlohmann::json::object();
  for (std::string_view piece : pieces) {
    std::size_t eq = piece.find('=');
    if (eq == std::string_view::npos) throw DecodeError("object member '" + std::string(piece.substr(0, 64)) + "' has no '='");
    detail::addTextField(out, decode(piece.substr(0, eq)), decode(piece.substr(eq + 1)), shape);
  }
  return out;
}

// The value part of simple, label and form: primitive, delimited array, or object.
nlohmann::json fromDelimited(std::string_view text, const std::vector<std::string_view>& delimiters, bool explode,
                             const Shape& shape, const Decode& decode) {
  switch (shape.kind) {
    case Shape::Primitive:
      return typeScalar(decode(text), shape.scalar);
    case Shape::Array:
      if (text.empty()) return nlohmann::json::array();
      return arrayOf(splitAny(text, delimiters), shape.scalar, decode);
    case Shape::Object:
      if (text.empty()) return nlohmann::json::object();
      return explode ? objectFromAssignments(splitAny(text, delimiters), shape, decode)
                     : objectFromPairs(splitAny(text, delimiters), shape, decode);
  }
  return nullptr;
}

nlohmann::json decodeMatrix(std::string_view raw, const ParamSpec& spec) {
  if (raw.empty() || raw.front() != ';') {
    throw DecodeError("matrix-style parameter '" + spec.name + "' must start with ';'");
  }
  std::vector<std::string_view> items = split(raw.substr(1), ";");
  if (spec.explode && spec.shape.kind == Shape::Object) return objectFromAssignments(items, spec.shape, pathDecode);
  // Every other case is a list of ";name" / ";name=value" items naming this parameter.
  std::vector<std::string_view> values;
  for (std::string_view item : items) {
    std::size_t eq = item.find('=');
    if (pathDecode(item.substr(0, eq)) != spec.name) {
      throw DecodeError("matrix-style parameter '" + spec.name + "' has an item for another name");
    }
    values.push_back(eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1));
  }
  if (spec.explode && spec.shape.kind == Shape::Array) {
    if (values.size() == 1 && values[0].empty()) return nlohmann::json::array();
    return arrayOf(values, spec.shape.scalar, pathDecode);
  }
  if (values.size() != 1) throw DecodeError("matrix-style parameter '" + spec.name + "' is repeated");
  return fromDelimited(values[0], {","}, false, spec.shape, pathDecode);
}

nlohmann::json decodeLabel(std::string_view raw, const ParamSpec& spec) {
  if (raw.empty() || raw.front() != '.') {
    throw DecodeError("label-style parameter '" + spec.name + "' must start with '.'");
  }
  std::string_view rest = raw.substr(1);
  if (spec.shape.kind == Shape::Primitive) return typeScalar(pathDecode(rest), spec.shape.scalar);
  return fromDelimited(rest, {spec.explode ? "." : ","}, spec.explode, spec.shape, pathDecode);
}

std::vector<std::string_view> delimitersOf(Style style) {
  switch (style) {
    case Style::SpaceDelimited: return {" ", "+", "%20"};
    case Style::PipeDelimited: return {"|", "%7C", "%7c"};
    default: return {","};
  }
}

// Nested deepObject keys past this are refused: an 8 KiB query could otherwise build a
// value thousands of levels deep ("a[b][b][b]..."), which a JSON body cannot be (its depth
// is checked before parsing, BodyLimits::maxDepth) and which validators, model readers
// and dump() walk recursively.
constexpr std::size_t kMaxDeepObjectDepth = 32;

// deepObject: color[R]=100&color[G]=200, nested brackets giving nested objects.
std::optional<nlohmann::json> decodeDeepObject(const Query& query, const ParamSpec& spec) {
  std::optional<nlohmann::json> out;
  for (const Query::Item& item : query.items()) {
    if (item.key.size() <= spec.name.size() || item.key.compare(0, spec.name.size(), spec.name) != 0 ||
        item.key[spec.name.size()] != '[') {
      continue;
    }
    std::string key = queryDecode(item.rawKey);
    std::vector<std::string> path;
    std::size_t i = spec.name.size();
    while (i < key.size()) {
      std::size_t close = key.find(']', i);
      if (key[i] != '[' || close == std::string::npos) throw DecodeError("malformed deepObject key '" + key.substr(0, 64) + "'");
      if (close == i + 1) throw DecodeError("empty deepObject key in '" + key.substr(0, 64) + "'");
      if (path.size() == kMaxDeepObjectDepth) {
        throw DecodeError("deepObject key '" + key.substr(0, 64) + "' nests deeper than " +
                          std::to_string(kMaxDeepObjectDepth) + " levels");
      }
      path.push_back(key.substr(i + 1, close - i - 1));
      i = close + 1;
    }
    if (!out) out = nlohmann::json::object();
    nlohmann::json* node = &*out;
    for (std::size_t k = 0; k + 1 < path.size(); ++k) {
      nlohmann::json& child = (*node)[path[k]];
      if (child.is_null()) child = nlohmann::json::object();
      if (!child.is_object()) throw DecodeError("deepObject key '" + key.substr(0, 64) + "' conflicts with a value");
      node = &child;
    }
    std::string value = queryDecode(item.rawValue);
    if (path.size() == 1) {
      detail::addTextField(*node, path[0], value, spec.shape);
    } else {
      if (node->contains(path.back()) && (*node)[path.back()].is_object()) {
        throw DecodeError("deepObject key '" + key.substr(0, 64) + "' conflicts with an object");
      }
      detail::addTextField(*node, path.back(), value, Shape::object());
    }
  }
  return out;
}

struct Cookie {
  std::string_view name, value;
};

std::vector<Cookie> cookiesOf(const std::vector<std::string>& fields) {
  std::vector<Cookie> out;
  for (const std::string& field : fields) {
    for (std::string_view piece : split(field, ";")) {
      piece = trim(piece);
      if (piece.empty()) continue;
      std::size_t eq = piece.find('=');
      if (eq == std::string_view::npos) continue;  // not a cookie-pair; RFC 6265 ignores it
      out.push_back({trim(piece.substr(0, eq)), trim(piece.substr(eq + 1))});
    }
  }
  return out;
}

}  // namespace

std::optional<nlohmann::json> decodePath(std::string_view rawSegment, const ParamSpec& spec) {
  switch (spec.style) {
    case Style::Matrix: return decodeMatrix(rawSegment, spec);
    case Style::Label: return decodeLabel(rawSegment, spec);
    default: return fromDelimited(rawSegment, {","}, spec.explode, spec.shape, pathDecode);
  }
}

std::optional<nlohmann::json> decodeQuery(const Query& query, const ParamSpec& spec) {
  if (spec.style == Style::DeepObject) return decodeDeepObject(query, spec);
  std::vector<const Query::Item*> matches;
  for (const Query::Item& item : query.items()) {
    if (item.key == spec.name) matches.push_back(&item);
  }
  const bool exploded = spec.explode || spec.shape.kind == Shape::Primitive;
  if (exploded && spec.shape.kind == Shape::Object) {
    // Exploded form objects spread their members over the query: R=100&G=200.
    std::optional<nlohmann::json> out;
    for (const Query::Item& item : query.items()) {
      if (!detail::takesKey(spec.shape, item.key)) continue;
      if (!out) out = nlohmann::json::object();
      detail::addTextField(*out, queryDecode(item.rawKey), queryDecode(item.rawValue), spec.shape);
    }
    return out;
  }
  if (matches.empty()) return std::nullopt;
  // A parameter that holds one value, sent twice (?limit=2&limit=3), is ambiguous: taking
  // either would be a guess that a cache, a proxy or a WAF in front may guess differently.
  if (matches.size() > 1 && (spec.shape.kind == Shape::Primitive || !exploded)) {
    throw DecodeError("query parameter '" + spec.name + "' is repeated");
  }
  if (spec.shape.kind == Shape::Primitive) return typeScalar(queryDecode(matches.front()->rawValue), spec.shape.scalar);
  if (exploded) {  // an exploded array: color=blue&color=black
    if (matches.size() == 1 && matches.front()->rawValue.empty()) return nlohmann::json::array();
    std::vector<std::string_view> values;
    for (const Query::Item* item : matches) values.push_back(item->rawValue);
    return arrayOf(values, spec.shape.scalar, queryDecode);
  }
  return fromDelimited(matches.front()->rawValue, delimitersOf(spec.style), false, spec.shape, queryDecode);
}

std::optional<nlohmann::json> decodeHeader(const Headers& headers, const ParamSpec& spec) {
  std::vector<std::string> fields = headers.getAll(spec.name);
  if (fields.empty()) return std::nullopt;
  if (spec.shape.kind == Shape::Primitive) return typeScalar(headerDecode(fields.front()), spec.shape.scalar);
  // Repeated fields are one comma-separated list (RFC 9110 section 5.3).
  std::string joined;
  for (const std::string& field : fields) {
    if (trim(field).empty()) continue;
    if (!joined.empty()) joined += ',';
    joined += field;
  }
  return fromDelimited(trim(joined), {","}, spec.explode, spec.shape, headerDecode);
}

std::optional<nlohmann::json> decodeCookie(const Headers& headers, const ParamSpec& spec) {
  const std::vector<std::string> fields = headers.getAll("Cookie");  // the cookies view into it
  std::vector<Cookie> cookies = cookiesOf(fields);
  if (spec.explode && spec.shape.kind == Shape::Object) {
    std::optional<nlohmann::json> out;
    for (const Cookie& cookie : cookies) {
      if (!detail::takesKey(spec.shape, cookie.name)) continue;
      if (!out) out = nlohmann::json::object();
      detail::addTextField(*out, pathDecode(cookie.name), pathDecode(cookie.value), spec.shape);
    }
    return out;
  }
  std::vector<std::string_view> values;
  for (const Cookie& cookie : cookies) {
    if (cookie.name == spec.name) values.push_back(cookie.value);
  }
  if (values.empty()) return std::nullopt;
  if (spec.explode && spec.shape.kind == Shape::Array) return arrayOf(values, spec.shape.scalar, pathDecode);
  return fromDelimited(values.front(), {","}, false, spec.shape, pathDecode);
}

}  // namespace tether::http
