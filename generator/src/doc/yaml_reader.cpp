// YAML through yaml-cpp's event API: our handler builds the located tree directly, so
// yaml-cpp's own node graph is never built, and anchors are ours to bound.
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <regex>
#include <sstream>
#include <unordered_map>

#include "tether/doc/readers.h"
#include "utf8.h"

namespace tether::doc {

namespace {

// Thrown from inside the event handler to abandon the parse with a located message.
struct Abort {
  ReadError error;
};

bool isPlainNull(std::string_view v) {
  return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL";
}

bool isPlainBool(std::string_view v, bool& value) {
  if (v == "true" || v == "True" || v == "TRUE") return value = true, true;
  if (v == "false" || v == "False" || v == "FALSE") return value = false, true;
  return false;
}

bool allOf(std::string_view s, std::size_t from, bool (*pred)(char)) {
  if (from >= s.size()) return false;
  for (std::size_t i = from; i < s.size(); ++i) {
    if (!pred(s[i])) return false;
  }
  return true;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isOctal(char c) { return c >= '0' && c <= '7'; }
bool isHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// YAML 1.2 core-schema number resolution. On success `json` holds a JSON number literal.
bool resolveNumber(std::string_view v, std::string& json, bool& integer) {
  if (v.empty()) return false;
  std::size_t sign = (v[0] == '-' || v[0] == '+') ? 1 : 0;
  if (allOf(v, sign, isDigit)) {
    // Decimal integer; JSON allows neither '+' nor leading zeros.
    std::string_view digits = v.substr(sign);
    while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
    json = (v[0] == '-' ? "-" : "") + std::string(digits);
    integer = true;
    return true;
  }
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'o' || v[1] == 'x')) {
    bool octal = v[1] == 'o';
    if (!allOf(v, 2, octal ? isOctal : isHex) || v.size() > 18) return false;
    json = std::to_string(std::stoull(std::string(v.substr(2)), nullptr, octal ? 8 : 16));
    integer = true;
    return true;
  }
  static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (!std::regex_match(v.begin(), v.end(), kFloat)) return false;
  // Normalize to JSON: no '+', a digit on both sides of the point.
  std::string out(v[0] == '-' ? "-" : "");
  std::string_view body = v.substr(sign);
  if (body[0] == '.') out += '0';
  std::size_t exp = body.find_first_of("eE");
  std::string_view mantissa = body.substr(0, exp);
  out += mantissa;
  if (!mantissa.empty() && mantissa.back() == '.') out += '0';
  if (exp != std::string_view::npos) {
    out += 'e';
    std::string_view e = body.substr(exp + 1);
    if (!e.empty() && e[0] == '+') e.remove_prefix(1);
    out += e;
  }
  json = out;
  integer = false;
  return true;
}

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(std::uint32_t file, Arena& arena, const ReadLimits& limits)
      : file_(file), arena_(arena), limits_(limits), aliasBudget_(limits.maxAliasNodes) {}

  Node* root() const { return root_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (expectingKey()) return takeKey("null", mark);
    add(arena_.make(Node::Kind::Null, at(mark)), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) throw Abort{{at(mark), "alias to an unknown anchor"}};
    const Node* target = it->second;
    if (expectingKey()) {
      if (!target->isScalar()) throw Abort{{at(mark), "mapping keys must be scalars"}};
      return takeKey(target->isNull() ? "null" : target->text, mark);
    }
    Node* copy = deepCopy(*target, arena_, aliasBudget_);
    if (copy == nullptr) {
      throw Abort{{at(mark), "YAML aliases expand to more than " +
                                 std::to_string(limits_.maxAliasNodes) +
                                 " nodes (an alias bomb?)"}};
    }
    add(copy, 0);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    // Escapes ("\x85") can produce bytes that are not UTF-8 even in a valid file.
    for (std::size_t i = 0; i < value.size();) {
      if (static_cast<unsigned char>(value[i]) < 0x80) {
        ++i;
      } else if (std::size_t length = utf8::validSequenceLength(value, i)) {
        i += length;
      } else {
        throw Abort{{at(mark), "a string escape produces invalid UTF-8"}};
      }
    }
    if (expectingKey()) return takeKey(value, mark);
    Node* node = arena_.make(Node::Kind::String, at(mark));
    node->text = value;
    resolveScalar(*node, tag, value, mark);
    add(node, anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(Node::Kind::Array, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(Node::Kind::Object, mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    Node* node;
    YAML::anchor_t anchor;
    bool haveKey = false;
    std::string key;
    Location keyLocation;
  };

  Location at(const YAML::Mark& mark) const {
    return Location{file_, static_cast<std::uint32_t>(mark.line + 1),
                    static_cast<std::uint32_t>(mark.column + 1)};
  }

  bool expectingKey() const {
    return !stack_.empty() && stack_.back().node->isObject() && !stack_.back().haveKey;
  }

  void takeKey(std::string key, const YAML::Mark& mark) {
    Frame& top = stack_.back();
    top.key = std::move(key);
    top.keyLocation = at(mark);
    top.haveKey = true;
  }

  void open(Node::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (expectingKey()) throw Abort{{at(mark), "mapping keys must be scalars"}};
    if (stack_.size() >= limits_.maxDepth) {
      throw Abort{{at(mark), "nesting is deeper than " + std::to_string(limits_.maxDepth) + " levels"}};
    }
    Node* node = arena_.make(kind, at(mark));
    attach(node);
    stack_.push_back(Frame{node, anchor, false, {}, {}});
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    Node& node = *frame.node;
    if (node.isObject()) {
      applyMergeKeys(node);
      if (const Member* dup = findDuplicateKey(node)) {
        throw Abort{{dup->keyLocation, "duplicate key '" + dup->key + "'"}};
      }
      node.indexMembers();
    }
    if (frame.anchor != 0) anchors_[frame.anchor] = &node;
  }

  // "<<: *base" copies the members of the aliased mapping(s) that the mapping lacks.
  void applyMergeKeys(Node& object) {
    bool hasMerge = false;
    for (const Member& m : object.members) hasMerge |= m.key == "<<";
    if (!hasMerge) return;
    std::vector<Member> own;
    std::vector<const Node*> sources;
    for (Member& m : object.members) {
      if (m.key != "<<") {
        own.push_back(std::move(m));
      } else if (m.value->isObject()) {
        sources.push_back(m.value);
      } else if (m.value->isArray()) {
        for (const Node* item : m.value->items) {
          if (!item->isObject()) throw Abort{{item->location, "'<<' merges only mappings"}};
          sources.push_back(item);
        }
      } else {
        throw Abort{{m.keyLocation, "'<<' merges only mappings"}};
      }
    }
    object.members.clear();
    for (Member& m : own) appendMember(object, std::move(m.key), m.keyLocation, m.value);
    for (const Node* source : sources) {
      for (const Member& m : source->members) {
        bool present = false;
        for (const Member& existing : object.members) present |= existing.key == m.key;
        if (present) continue;
        appendMember(object, m.key, m.keyLocation, m.value);
      }
    }
  }

  void attach(Node* node) {
    if (stack_.empty()) {
      if (root_ == nullptr) root_ = node;
      return;
    }
    Frame& top = stack_.back();
    if (top.node->isArray()) {
      appendItem(*top.node, node);
    } else {
      appendMember(*top.node, std::move(top.key), top.keyLocation, node);
      top.haveKey = false;
    }
  }

  void add(Node* node, YAML::anchor_t anchor) {
    attach(node);
    if (anchor != 0) anchors_[anchor] = node;
  }

  void resolveScalar(Node& node, const std::string& tag, const std::string& value,
                     const YAML::Mark& mark) {
    static const std::string kPrefix = "tag:yaml.org,2002:";
    if (tag == "!" || tag == kPrefix + "str" || tag == kPrefix + "binary") return;  // string
    bool plain = tag == "?";
    std::string resolved;
    bool integer = false;
    bool flag = false;
    if ((plain || tag == kPrefix + "null") && isPlainNull(value)) {
      node.kind = Node::Kind::Null;
      node.text.clear();
    } else if ((plain || tag == kPrefix + "bool") && isPlainBool(value, flag)) {
      node.kind = Node::Kind::Boolean;
      node.boolean = flag;
      node.text.clear();
    } else if ((plain || tag == kPrefix + "int" || tag == kPrefix + "float") &&
               resolveNumber(value, resolved, integer)) {
      node.kind = Node::Kind::Number;
      node.text = resolved;
      node.integerLiteral = integer;
    } else if (!plain && tag.rfind(kPrefix, 0) == 0) {
      throw Abort{{at(mark), "value '" + value + "' does not match its tag !!" + tag.substr(kPrefix.size())}};
    }
  }

  std::uint32_t file_;
  Arena& arena_;
  const ReadLimits& limits_;
  std::size_t aliasBudget_;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, const Node*> anchors_;
  Node* root_ = nullptr;
};

}  // namespace

// yaml-cpp passes bytes through unchecked; everything downstream needs valid UTF-8.
std::optional<ReadError> checkUtf8(std::string_view text, std::uint32_t file) {
  std::uint32_t line = 1;
  std::size_t lineStart = 0;
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c == '\n') {
        ++line;
        lineStart = i + 1;
      }
      ++i;
      continue;
    }
    std::size_t length = utf8::validSequenceLength(text, i);
    if (length == 0) {
      return ReadError{Location{file, line, static_cast<std::uint32_t>(i - lineStart + 1)},
                       "invalid UTF-8 (YAML and JSON documents must be UTF-8)"};
    }
    i += length;
  }
  return std::nullopt;
}

ReadResult readYaml(std::string_view text, std::uint32_t file, Arena& arena,
                    const ReadLimits& limits) {
  ReadResult result;
  if (auto error = checkUtf8(text, file)) {
    result.error = error;
    return result;
  }
  std::istringstream stream{std::string(text)};
  TreeBuilder builder(file, arena, limits);
  try {
    YAML::Parser parser(stream);
    if (!parser.HandleNextDocument(builder) || builder.root() == nullptr) {
      result.error = ReadError{Location{file, 1, 1}, "the document is empty"};
      return result;
    }
  } catch (const Abort& abort) {
    result.error = abort.error;
    return result;
  } catch (const YAML::Exception& e) {
    // yaml-cpp bounds its own recursion (at 500 levels) with a misleading "bad file".
    bool tooDeep = dynamic_cast<const YAML::DeepRecursion*>(&e) != nullptr;
    std::string message = tooDeep ? "nesting is deeper than the YAML reader allows" : e.msg;
    result.error = ReadError{Location{file, static_cast<std::uint32_t>(e.mark.line + 1),
                                      static_cast<std::uint32_t>(e.mark.column + 1)},
                             tooDeep ? message : "invalid YAML: " + message};
    return result;
  }
  result.root = builder.root();
  return result;
}

ReadResult readDocument(std::string_view text, std::string_view path, std::uint32_t file,
                        Arena& arena, const ReadLimits& limits) {
  auto endsWith = [&](std::string_view suffix) {
    return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
  };
  if (endsWith(".json")) return readJson(text, file, arena, limits);
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && (text[first] == '{' || text[first] == '[')) {
    // Flow-style YAML that is also JSON takes the fast reader; anything else is YAML.
    // (A failed attempt leaves unreachable nodes in the arena; they are few and harmless.)
    ReadResult asJson = readJson(text, file, arena, limits);
    if (!asJson.error) return asJson;
  }
  return readYaml(text, file, arena, limits);
}

}  // namespace tether::doc
