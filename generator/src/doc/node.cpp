#include "tether/doc/node.h"

#include <algorithm>
#include <cstdlib>

#include "tether/doc/json_pointer.h"

namespace tether::doc {

namespace {
// Below this many members a linear scan beats hashing.
constexpr std::size_t kIndexThreshold = 16;
}  // namespace

const Node* Node::get(std::string_view key) const {
  const Member* member = findMember(key);
  return member != nullptr ? member->value : nullptr;
}

Node* Node::get(std::string_view key) {
  const Member* member = findMember(key);
  return member != nullptr ? member->value : nullptr;
}

const Member* Node::findMember(std::string_view key) const {
  if (kind != Kind::Object) return nullptr;
  if (index_) {
    auto it = index_->find(key);
    return it == index_->end() ? nullptr : &members[it->second];
  }
  for (const Member& member : members) {
    if (member.key == key) return &member;
  }
  return nullptr;
}

std::string_view Node::getString(std::string_view key, std::string_view fallback) const {
  const Node* value = get(key);
  return value != nullptr && value->isString() ? std::string_view(value->text) : fallback;
}

bool Node::getBool(std::string_view key, bool fallback) const {
  const Node* value = get(key);
  return value != nullptr && value->isBool() ? value->boolean : fallback;
}

std::string Node::keyInParent() const {
  if (parent == nullptr) return {};
  if (parent->isArray()) return std::to_string(indexInParent);
  return parent->members[indexInParent].key;
}

std::string Node::pointer() const {
  // Each token is escaped straight into the result: the IR asks every type for its
  // pointer, and a copy of each key and of its escaped form per level was a tenth of the
  // IR's time on EC2.
  std::vector<const Node*> chain;
  for (const Node* node = this; node->parent != nullptr; node = node->parent) chain.push_back(node);
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    out += '/';
    const Node& node = **it;
    if (node.parent->isArray()) {
      out += std::to_string(node.indexInParent);
      continue;
    }
    appendPointerToken(out, node.parent->members[node.indexInParent].key);
  }
  return out;
}

double Node::asDouble() const {
  if (kind == Kind::Number) return std::strtod(text.c_str(), nullptr);
  if (kind == Kind::Boolean) return boolean ? 1.0 : 0.0;
  return 0.0;
}

void Node::indexMembers() {
  if (kind != Kind::Object || members.size() < kIndexThreshold) return;
  index_ = std::make_unique<std::unordered_map<std::string_view, std::uint32_t>>();
  index_->reserve(members.size());
  for (std::uint32_t i = 0; i < members.size(); ++i) {
    // The first occurrence wins; the readers report duplicates before this runs.
    index_->emplace(members[i].key, i);
  }
}

const char* Node::kindName() const { return doc::kindName(kind); }

const char* kindName(Node::Kind kind) {
  switch (kind) {
    case Node::Kind::Null: return "null";
    case Node::Kind::Boolean: return "boolean";
    case Node::Kind::Number: return "number";
    case Node::Kind::String: return "string";
    case Node::Kind::Array: return "array";
    case Node::Kind::Object: return "object";
  }
  return "?";
}

Node* Arena::make(Node::Kind kind, Location location) {
  if (blockUsed_ == blockSize_) {
    blockSize_ = blockSize_ == 0 ? 16 : std::min<std::size_t>(2 * blockSize_, 4096);
    blocks_.push_back(std::make_unique<Node[]>(blockSize_));
    blockUsed_ = 0;
  }
  Node& node = blocks_.back()[blockUsed_++];
  ++size_;
  node.kind = kind;
  node.location = location;
  return &node;
}

void appendItem(Node& array, Node* child) {
  child->parent = &array;
  child->indexInParent = static_cast<std::uint32_t>(array.items.size());
  array.items.push_back(child);
}

void appendMember(Node& object, std::string key, Location keyLocation, Node* child) {
  child->parent = &object;
  child->indexInParent = static_cast<std::uint32_t>(object.members.size());
  object.members.push_back(Member{std::move(key), keyLocation, child});
}

Node* deepCopy(const Node& source, Arena& arena, std::size_t& budget) {
  // Iterative, so a deep aliased subtree cannot exhaust the stack.
  struct Pending {
    const Node* from;
    Node* into;
  };
  if (budget == 0) return nullptr;
  --budget;
  Node* root = arena.make(source.kind, source.location);
  std::vector<Pending> stack{{&source, root}};
  while (!stack.empty()) {
    Pending job = stack.back();
    stack.pop_back();
    Node& to = *job.into;
    to.boolean = job.from->boolean;
    to.integerLiteral = job.from->integerLiteral;
    to.text = job.from->text;
    for (const Node* item : job.from->items) {
      if (budget == 0) return nullptr;
      --budget;
      Node* copy = arena.make(item->kind, item->location);
      appendItem(to, copy);
      stack.push_back({item, copy});
    }
    for (const Member& member : job.from->members) {
      if (budget == 0) return nullptr;
      --budget;
      Node* copy = arena.make(member.value->kind, member.value->location);
      appendMember(to, member.key, member.keyLocation, copy);
      stack.push_back({member.value, copy});
    }
    to.indexMembers();
  }
  return root;
}

}  // namespace tether::doc
