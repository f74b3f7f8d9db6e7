// An iterative JSON reader: an explicit stack instead of recursion, so nesting depth is
// bounded by ReadLimits, not by the C++ stack.
#include <algorithm>
#include <cstring>

#include "tether/doc/readers.h"
#include "utf8.h"

namespace tether::doc {

namespace {

struct Frame {
  Node* container;
  std::string key;
  Location keyLocation;
};

class JsonReader {
 public:
  JsonReader(std::string_view text, std::uint32_t file, Arena& arena, const ReadLimits& limits)
      : text_(text), file_(file), arena_(arena), limits_(limits) {}

  ReadResult run() {
    ReadResult result;
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 byte order mark
    if (!parse()) {
      result.error = error_;
      return result;
    }
    result.root = root_;
    return result;
  }

 private:
  bool parse() {
    if (!parseValue()) return false;
    while (!stack_.empty()) {
      skipWhitespace();
      Frame& top = stack_.back();
      if (atEnd()) return fail(here(), "unexpected end of input inside " +
                                           std::string(top.container->isArray() ? "an array" : "an object"));
      char c = text_[pos_];
      if (top.container->isArray()) {
        if (c == ',') {
          ++pos_;
          if (!parseValue()) return false;
        } else if (c == ']') {
          ++pos_;
          stack_.pop_back();
        } else {
          return fail(here(), std::string("expected ',' or ']' but found ") + describe(c));
        }
      } else {
        if (c == ',') {
          ++pos_;
          if (!parseKeyAndValue()) return false;
        } else if (c == '}') {
          ++pos_;
          if (!closeObject()) return false;
        } else {
          return fail(here(), std::string("expected ',' or '}' but found ") + describe(c));
        }
      }
    }
    skipWhitespace();
    if (!atEnd()) return fail(here(), "unexpected text after the JSON value");
    return true;
  }

  bool closeObject() {
    Node* object = stack_.back().container;
    stack_.pop_back();
    if (const Member* dup = findDuplicateKey(*object)) {
      return fail(dup->keyLocation, "duplicate key '" + dup->key + "'");
    }
    object->indexMembers();
    return true;
  }

  bool parseKeyAndValue() {
    skipWhitespace();
    if (atEnd() || text_[pos_] != '"') {
      return fail(here(), "expected a string key" +
                              (atEnd() ? std::string() : " but found " + describe(text_[pos_])));
    }
    Frame& top = stack_.back();
    top.keyLocation = here();
    if (!parseString(top.key)) return false;
    skipWhitespace();
    if (atEnd() || text_[pos_] != ':') return fail(here(), "expected ':' after the key");
    ++pos_;
    return parseValue();
  }

  // Parses one value; containers are opened and left on the stack for parse() to fill.
  bool parseValue() {
    skipWhitespace();
    if (atEnd()) return fail(here(), "unexpected end of input, expected a value");
    Location location = here();
    char c = text_[pos_];
    Node* node = nullptr;
    switch (c) {
      case '{':
      case '[': {
        ++pos_;
        node = arena_.make(c == '{' ? Node::Kind::Object : Node::Kind::Array, location);
        attach(node);
        if (stack_.size() >= limits_.maxDepth) {
          return fail(location, "nesting is deeper than " + std::to_string(limits_.maxDepth) + " levels");
        }
        stack_.push_back(Frame{node, {}, {}});
        skipWhitespace();
        if (c == '[') {
          if (!atEnd() && text_[pos_] == ']') {
            ++pos_;
            stack_.pop_back();
            return true;
          }
          return parseValue();
        }
        if (!atEnd() && text_[pos_] == '}') {
          ++pos_;
          stack_.pop_back();
          return true;
        }
        return parseKeyAndValue();
      }
      case '"': {
        node = arena_.make(Node::Kind::String, location);
        if (!parseString(node->text)) return false;
        break;
      }
      case 't':
      case 'f':
      case 'n': {
        const char* word = c == 't' ? "true" : c == 'f' ? "false" : "null";
        std::size_t length = std::strlen(word);
        if (text_.substr(pos_, length) != word) return fail(location, "invalid literal");
        pos_ += length;
        node = arena_.make(c == 'n' ? Node::Kind::Null : Node::Kind::Boolean, location);
        node->boolean = c == 't';
        break;
      }
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          node = arena_.make(Node::Kind::Number, location);
          if (!parseNumber(*node)) return false;
          break;
        }
        return fail(location, std::string("unexpected ") + describe(c) + ", expected a value");
    }
    attach(node);
    return true;
  }

  void attach(Node* node) {
    if (stack_.empty()) {
      root_ = node;
    } else if (Frame& top = stack_.back(); top.container->isArray()) {
      appendItem(*top.container, node);
    } else {
      appendMember(*top.container, std::move(top.key), top.keyLocation, node);
      top.key.clear();
    }
  }

  bool parseNumber(Node& node) {
    std::size_t start = pos_;
    auto digits = [&] {
      std::size_t from = pos_;
      while (!atEnd() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ - from;
    };
    if (text_[pos_] == '-') ++pos_;
    if (atEnd()) return fail(here(), "incomplete number");
    if (text_[pos_] == '0') {
      ++pos_;
    } else if (digits() == 0) {
      return fail(here(), "invalid number");
    }
    bool integer = true;
    if (!atEnd() && text_[pos_] == '.') {
      ++pos_;
      integer = false;
      if (digits() == 0) return fail(here(), "expected digits after the decimal point");
    }
    if (!atEnd() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      integer = false;
      if (!atEnd() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) return fail(here(), "expected digits in the exponent");
    }
    node.text.assign(text_.substr(start, pos_ - start));
    node.integerLiteral = integer;
    return true;
  }

  bool parseString(std::string& out) {
    Location start = here();
    ++pos_;  // opening quote
    out.clear();
    while (true) {
      // Copy the run of plain characters in one go.
      std::size_t run = pos_;
      while (run < text_.size()) {
        unsigned char c = static_cast<unsigned char>(text_[run]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++run;
      }
      out.append(text_, pos_, run - pos_);
      pos_ = run;
      if (atEnd()) return fail(start, "unterminated string");
      unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) {
        return fail(here(), c == '\n' ? "unterminated string (raw newline)"
                                      : "raw control character in a string");
      }
      if (c >= 0x80) {
        std::size_t length = utf8::validSequenceLength(text_, pos_);
        if (length == 0) return fail(here(), "invalid UTF-8 in a string");
        out.append(text_, pos_, length);
        pos_ += length;
        continue;
      }
      if (!parseEscape(out)) return false;
    }
  }

  bool parseEscape(std::string& out) {
    Location location = here();
    ++pos_;  // backslash
    if (atEnd()) return fail(location, "unterminated escape");
    char e = text_[pos_++];
    switch (e) {
      case '"': out += '"'; return true;
      case '\\': out += '\\'; return true;
      case '/': out += '/'; return true;
      case 'b': out += '\b'; return true;
      case 'f': out += '\f'; return true;
      case 'n': out += '\n'; return true;
      case 'r': out += '\r'; return true;
      case 't': out += '\t'; return true;
      case 'u': break;
      default: return fail(location, std::string("invalid escape '\\") + e + "'");
    }
    auto hex4 = [&](std::uint32_t& value) {
      if (pos_ + 4 > text_.size()) return false;
      value = 0;
      for (int i = 0; i < 4; ++i) {
        char h = text_[pos_++];
        value <<= 4;
        if (h >= '0' && h <= '9') value |= static_cast<std::uint32_t>(h - '0');
        else if (h >= 'a' && h <= 'f') value |= static_cast<std::uint32_t>(h - 'a' + 10);
        else if (h >= 'A' && h <= 'F') value |= static_cast<std::uint32_t>(h - 'A' + 10);
        else return false;
      }
      return true;
    };
    std::uint32_t code = 0;
    if (!hex4(code)) return fail(location, "invalid \\u escape");
    if (code >= 0xD800 && code <= 0xDBFF) {
      std::uint32_t low = 0;
      if (text_.substr(pos_, 2) != "\\u") return fail(location, "unpaired surrogate in \\u escape");
      pos_ += 2;
      if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) {
        return fail(location, "unpaired surrogate in \\u escape");
      }
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    } else if (code >= 0xDC00 && code <= 0xDFFF) {
      return fail(location, "unpaired surrogate in \\u escape");
    }
    utf8::append(out, code);
    return true;
  }

  void skipWhitespace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\n') {
        ++line_;
        lineStart_ = pos_ + 1;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        break;
      }
      ++pos_;
    }
  }

  bool atEnd() const { return pos_ >= text_.size(); }

  Location here() const {
    return Location{file_, line_, static_cast<std::uint32_t>(pos_ - lineStart_ + 1)};
  }

  static std::string describe(char c) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
      return "byte 0x" + std::string(1, "0123456789abcdef"[(c >> 4) & 0xF]) +
             std::string(1, "0123456789abcdef"[c & 0xF]);
    }
    return std::string("'") + c + "'";
  }

  bool fail(Location location, std::string message) {
    error_ = ReadError{location, std::move(message)};
    return false;
  }

  std::string_view text_;
  std::uint32_t file_;
  Arena& arena_;
  const ReadLimits& limits_;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::size_t lineStart_ = 0;
  std::vector<Frame> stack_;
  Node* root_ = nullptr;
  ReadError error_;
};

}  // namespace

ReadResult readJson(std::string_view text, std::uint32_t file, Arena& arena,
                    const ReadLimits& limits) {
  return JsonReader(text, file, arena, limits).run();
}

const Member* findDuplicateKey(const Node& object) {
  const auto& members = object.members;
  if (members.size() < 2) return nullptr;
  if (members.size() <= 16) {
    for (std::size_t i = 1; i < members.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (members[i].key == members[j].key) return &members[i];
      }
    }
    return nullptr;
  }
  std::vector<std::uint32_t> order(members.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return members[a].key < members[b].key;
  });
  const Member* found = nullptr;
  for (std::size_t i = 1; i < order.size(); ++i) {
    if (members[order[i]].key == members[order[i - 1]].key) {
      // Report the repetition that comes first in the file.
      const Member* candidate = &members[std::max(order[i], order[i - 1])];
      if (found == nullptr || candidate < found) found = candidate;
    }
  }
  return found;
}

}  // namespace tether::doc
