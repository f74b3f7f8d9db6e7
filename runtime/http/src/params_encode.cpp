// Parameter encoding: the client side of the OpenAPI style/explode table, producing the
// percent-encoded forms of the OpenAPI 3.1.1 "Style Examples" (with '|', '[' and ']'
// encoded as the specification requires).
#include <stdexcept>

#include "codec_util.h"
#include "tether/http/params.h"

namespace tether::http {

namespace {

using detail::scalarText;

std::string enc(const nlohmann::json& value, Reserved reserved = Reserved::Encode) {
  return percentEncode(scalarText(value), reserved);
}

std::string join(const std::vector<std::string>& parts, std::string_view delimiter) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += delimiter;
    out += parts[i];
  }
  return out;
}

// Array items, or object members as "k<sep>v" pieces, each already encoded.
std::vector<std::string> pieces(const nlohmann::json& value, std::string_view memberSeparator,
                                Reserved reserved = Reserved::Encode) {
  std::vector<std::string> out;
  if (value.is_array()) {
    for (const nlohmann::json& item : value) out.push_back(enc(item, reserved));
  } else if (value.is_object()) {
    for (const auto& member : value.items()) {
      out.push_back(percentEncode(member.key(), reserved) + std::string(memberSeparator) + enc(member.value(), reserved));
    }
  } else {
    out.push_back(enc(value, reserved));
  }
  return out;
}

std::string simpleValue(const nlohmann::json& value, bool explode) {
  return join(pieces(value, explode ? "=" : ","), ",");
}

void appendPair(std::string& query, std::string_view key, std::string_view value) {
  if (!query.empty()) query += '&';
  query += key;
  query += '=';
  query += value;
}

void appendDeep(std::string& query, const std::string& prefix, const nlohmann::json& value, Reserved reserved) {
  if (value.is_object()) {
    for (const auto& member : value.items()) {
      appendDeep(query, prefix + "%5B" + percentEncode(member.key()) + "%5D", member.value(), reserved);
    }
  } else if (value.is_array()) {
    for (const nlohmann::json& item : value) appendDeep(query, prefix, item, reserved);
  } else {
    appendPair(query, prefix, enc(value, reserved));
  }
}

// Control characters would end the header field; everything else passes as it is.
std::string headerSafe(std::string text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace

std::string encodePath(const nlohmann::json& value, const ParamSpec& spec) {
  const bool structured = value.is_array() || value.is_object();
  switch (spec.style) {
    case Style::Simple:
      return value.is_null() ? std::string() : simpleValue(value, spec.explode);
    case Style::Label: {
      if (value.is_null()) return ".";
      if (!spec.explode) return "." + join(pieces(value, ","), ",");
      // '.' is unreserved, so RFC 6570 leaves it as it is; here it is the delimiter, and a
      // '.' inside an item is sent as %2E so that decoding gives the items back.
      std::vector<std::string> items = pieces(value, "=");
      for (std::string& item : items) {
        std::string escaped;
        for (char c : item) escaped += c == '.' ? std::string("%2E") : std::string(1, c);
        item = std::move(escaped);
      }
      return "." + join(items, ".");
    }
    case Style::Matrix: {
      const std::string name = percentEncode(spec.name);
      if (value.is_null() || (value.is_string() && value.get_ref<const std::string&>().empty()) ||
          (structured && value.empty())) {
        return ";" + name;
      }
      if (spec.explode && value.is_object()) return ";" + join(pieces(value, "="), ";");
      if (spec.explode && value.is_array()) return ";" + name + "=" + join(pieces(value, ""), ";" + name + "=");
      return ";" + name + "=" + join(pieces(value, ","), ",");
    }
    default:
      throw std::invalid_argument("style not allowed for path parameter '" + spec.name + "'");
  }
}

void appendQuery(std::string& query, const nlohmann::json& value, const ParamSpec& spec) {
  if (value.is_null()) return;  // undefined: nothing is sent
  const Reserved reserved = spec.allowReserved ? Reserved::Allow : Reserved::Encode;
  const std::string name = percentEncode(spec.name);
  if (spec.style == Style::DeepObject) {
    appendDeep(query, name, value, reserved);
    return;
  }
  if (!value.is_array() && !value.is_object()) {
    appendPair(query, name, enc(value, reserved));
    return;
  }
  if (spec.explode) {
    if (value.is_array()) {
      for (const nlohmann::json& item : value) appendPair(query, name, enc(item, reserved));
    } else {
      for (const auto& member : value.items()) appendPair(query, percentEncode(member.key(), reserved), enc(member.value(), reserved));
    }
    return;
  }
  std::string_view delimiter = spec.style == Style::SpaceDelimited ? "%20" : spec.style == Style::PipeDelimited ? "%7C" : ",";
  appendPair(query, name, join(pieces(value, delimiter, reserved), delimiter));
}

std::string encodeHeader(const nlohmann::json& value, const ParamSpec& spec) {
  if (value.is_null()) return {};
  if (!value.is_array() && !value.is_object()) return headerSafe(scalarText(value));
  std::vector<std::string> parts;
  if (value.is_array()) {
    for (const nlohmann::json& item : value) parts.push_back(headerSafe(scalarText(item)));
  } else {
    for (const auto& member : value.items()) {
      parts.push_back(headerSafe(member.key()) + (spec.explode ? "=" : ",") + headerSafe(scalarText(member.value())));
    }
  }
  return join(parts, ",");
}

std::string encodeCookie(const nlohmann::json& value, const ParamSpec& spec) {
  const std::string name = percentEncode(spec.name);
  if (value.is_null()) return name + "=";
  if (!value.is_array() && !value.is_object()) return name + "=" + enc(value);
  if (!spec.explode) return name + "=" + join(pieces(value, ","), ",");
  std::vector<std::string> cookies;
  if (value.is_array()) {
    for (const nlohmann::json& item : value) cookies.push_back(name + "=" + enc(item));
  } else {
    for (const auto& member : value.items()) cookies.push_back(percentEncode(member.key()) + "=" + enc(member.value()));
  }
  return join(cookies, "; ");
}

}  // namespace tether::http
