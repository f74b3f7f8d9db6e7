// JSON bodies: a linear pre-scan enforces size, UTF-8 and nesting depth with an exact
// position, so nlohmann's parser only ever sees shallow, valid-UTF-8 text (its parser is
// iterative, but the value it builds is destroyed recursively: depth must be bounded
// before any value exists).
#include <cctype>
#include <string>
#include <type_traits>

#include "tether/http/body.h"

namespace tether::http {

namespace {

struct Position {
  std::size_t line = 1, column = 1;
};

Position positionOf(std::string_view text, std::size_t offset) {
  Position pos;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {  // count characters, not bytes
      ++pos.column;
    }
  }
  return pos;
}

JsonResult failure(std::string_view text, std::size_t offset, const std::string& what) {
  Position pos = positionOf(text, offset);
  Problem p = makeProblem(400, code::kBadRequest,
                          what + " at line " + std::to_string(pos.line) + ", column " + std::to_string(pos.column) + ".");
  p.extra = {{"line", pos.line}, {"column", pos.column}, {"offset", offset}};
  p.errors.push_back({"", p.detail});
  return JsonResult{nullptr, std::move(p)};
}

// Depth of arrays/objects outside strings; reports the offset where the limit is passed.
std::optional<std::size_t> tooDeep(std::string_view text, int maxDepth) {
  int depth = 0;
  bool inString = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        inString = false;
      }
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > maxDepth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::nullopt;
}

// nlohmann's message without its "[json.exception.parse_error.101] parse error at line
// 1, column 3: " prefix: the position is reported by us.
std::string parserMessage(const std::string& what) {
  std::size_t colon = what.find(": ");
  std::string message = colon == std::string::npos ? what : what.substr(colon + 2);
  if (!message.empty()) message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(message[0])));
  return message;
}

// Builds the value with nlohmann's DOM builder and keeps the first error instead of
// throwing it: where it starts and what it says.
class Capture : public nlohmann::detail::json_sax_dom_parser<nlohmann::json> {
 public:
  explicit Capture(nlohmann::json& into) : json_sax_dom_parser(into, /*allow_exceptions=*/false) {}

  template <class Exception>
  bool parse_error(std::size_t position, const std::string& lastToken, const Exception& e) {
    failed = true;
    if constexpr (std::is_same_v<Exception, nlohmann::json::parse_error>) {
      offset = e.byte > 0 ? e.byte - 1 : 0;  // 1-based, one past the offending character
    } else {
      // A number out of range: position is just past it and lastToken is the number.
      offset = position >= lastToken.size() ? position - lastToken.size() : 0;
    }
    message = e.what();
    return false;
  }

  bool failed = false;
  std::size_t offset = 0;
  std::string message;
};

}  // namespace

JsonResult parseJsonBody(std::string_view body, const BodyLimits& limits) {
  if (body.size() > limits.maxBytes) {
    return JsonResult{nullptr, makeProblem(413, code::kPayloadTooLarge,
                                           "The body has " + std::to_string(body.size()) + " bytes; the limit is " +
                                               std::to_string(limits.maxBytes) + ".")};
  }
  std::size_t bad = 0;
  if (!validUtf8(body, &bad)) return failure(body, bad, "Invalid UTF-8");
  if (std::optional<std::size_t> at = tooDeep(body, limits.maxDepth)) {
    return failure(body, *at, "Nesting deeper than " + std::to_string(limits.maxDepth) + " levels");
  }
  // The SAX interface reports every error the parser can raise, a number too large for a
  // double (out_of_range.406) as well as a syntax error, with the offset where it ends.
  nlohmann::json value;
  Capture capture(value);
  if (!nlohmann::json::sax_parse(body, &capture) || capture.failed) {
    return failure(body, capture.offset, parserMessage(capture.message));
  }
  return JsonResult{std::move(value), std::nullopt};
}

}  // namespace tether::http
