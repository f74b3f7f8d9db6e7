// The located document tree: what the loader reads YAML and JSON into.
//
// nlohmann::json cannot say where a value came from, and every diagnostic of this
// project must name the file, the line and the JSON Pointer. So the loader builds this
// small tree instead: each node knows its source location, its parent and its position in
// the parent, which is enough to print "file:line:col" and "#/paths/~1pets/get" for any
// node. Objects keep their members in source order (generated code follows the spec's
// order). Numbers keep their literal text so that nothing is rounded on the way through.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tether::doc {

// 1-based line and column (in bytes) inside the source file with index `file`.
struct Location {
  std::uint32_t file = 0;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

class Node;

struct Member {
  std::string key;
  Location keyLocation;
  Node* value = nullptr;
};

class Node {
 public:
  enum class Kind : std::uint8_t { Null, Boolean, Number, String, Array, Object };

  Kind kind = Kind::Null;
  bool boolean = false;
  // For numbers: true when the literal has no fraction and no exponent.
  bool integerLiteral = false;
  // String value, or the literal text of a number.
  std::string text;
  std::vector<Node*> items;
  std::vector<Member> members;
  Location location;
  Node* parent = nullptr;
  // Position inside the parent's items or members.
  std::uint32_t indexInParent = 0;

  bool isNull() const { return kind == Kind::Null; }
  bool isBool() const { return kind == Kind::Boolean; }
  bool isNumber() const { return kind == Kind::Number; }
  bool isString() const { return kind == Kind::String; }
  bool isArray() const { return kind == Kind::Array; }
  bool isObject() const { return kind == Kind::Object; }
  bool isScalar() const { return kind != Kind::Array && kind != Kind::Object; }

  // Object member lookup; nullptr when absent or when this is not an object.
  const Node* get(std::string_view key) const;
  Node* get(std::string_view key);
  // The string value of member `key`, or `fallback` when absent or not a string.
  std::string_view getString(std::string_view key, std::string_view fallback = {}) const;
  // The boolean value of member `key`, or `fallback`.
  bool getBool(std::string_view key, bool fallback) const;
  const Member* findMember(std::string_view key) const;

  // The key (for a member of an object) or index (for an array item) under the parent.
  std::string keyInParent() const;
  // The JSON Pointer of this node inside its own file ("" for the root).
  std::string pointer() const;
  double asDouble() const;

  // Builds the member index of a large object; called once the object is complete.
  void indexMembers();

  const char* kindName() const;

 private:
  std::unique_ptr<std::unordered_map<std::string_view, std::uint32_t>> index_;
};

const char* kindName(Node::Kind kind);

// Owns the nodes of one source file. Node addresses are stable for the document's life.
class Arena {
 public:
  Node* make(Node::Kind kind, Location location);
  std::size_t size() const { return size_; }

 private:
  // Nodes live in blocks that never move (a std::deque of nodes this size allocated a
  // block per four of them: a large spec's millions of nodes were mostly malloc calls).
  // Blocks double from 16 nodes up to 4096, so the small files of a multi-file spec
  // (DigitalOcean: 1,500 of them) do not each hold a large block.
  std::vector<std::unique_ptr<Node[]>> blocks_;
  std::size_t size_ = 0;
  std::size_t blockUsed_ = 0;
  std::size_t blockSize_ = 0;
};

// Appends `child` to an array or object, setting its parent links.
void appendItem(Node& array, Node* child);
void appendMember(Node& object, std::string key, Location keyLocation, Node* child);

// Deep copy of `source` into `arena` (used to expand YAML aliases). Each copied node is
// counted against `budget`; returns nullptr once the budget is exhausted.
Node* deepCopy(const Node& source, Arena& arena, std::size_t& budget);

}  // namespace tether::doc
