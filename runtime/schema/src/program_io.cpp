// See program_io.h. The text is a sequence of tokens: numbers in decimal followed by a
// space ("-" for kNone) and strings as "<length>:<bytes>". Locations, which are most of a
// Program's text, are written relative to the Block of their instruction (nearly every
// absolute location is the block's location plus the relative one), and block locations
// relative to the previous block's (front coding): they share long prefixes.
#include "tether/schema/program_io.h"

#include <charconv>
#include <unordered_map>
#include <stdexcept>

#include "fast_plan.h"
#include "tether/schema/regex.h"

namespace tether::schema {

namespace {

constexpr std::string_view kMagic = "tether-program-1 ";
constexpr std::size_t kLookBack = 16;

class Writer {
 public:
  void num(std::uint64_t n) {
    if (n == kNone) {
      out_ += "- ";
      return;
    }
    char buf[24];
    auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
    out_.append(buf, end);
    out_ += ' ';
  }
  // Signed differences (zigzag), for fields that nearly always follow their predecessor.
  void delta(std::int64_t d) { num(d >= 0 ? static_cast<std::uint64_t>(d) * 2 : static_cast<std::uint64_t>(-d) * 2 - 1); }
  void str(std::string_view s) {
    num(s.size());
    out_.pop_back();
    out_ += ':';
    out_ += s;
  }
  std::string& text() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  std::uint64_t num() {
    if (pos_ < text_.size() && text_[pos_] == '-') {
      expect(pos_ + 1, ' ');
      pos_ += 2;
      return kNone;
    }
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), n);
    if (ec != std::errc{}) bad("a number");
    pos_ = static_cast<std::size_t>(end - text_.data());
    expect(pos_, ' ');
    ++pos_;
    return n;
  }
  std::uint32_t u32() {
    std::uint64_t n = num();
    if (n > kNone) bad("a 32-bit number");
    return static_cast<std::uint32_t>(n);
  }
  std::int64_t delta() {
    std::uint64_t z = num();
    return (z & 1) ? -static_cast<std::int64_t>((z + 1) / 2) : static_cast<std::int64_t>(z / 2);
  }
  std::string str() {
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), n);
    if (ec != std::errc{}) bad("a string length");
    pos_ = static_cast<std::size_t>(end - text_.data());
    expect(pos_, ':');
    ++pos_;
    if (n > text_.size() - pos_) bad("a string");
    std::string s(text_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  // A count of elements that each take at least one byte (bounds allocations on bad text).
  std::size_t count() {
    std::uint64_t n = num();
    if (n > text_.size()) bad("a count");
    return static_cast<std::size_t>(n);
  }
  bool done() const { return pos_ == text_.size(); }
  bool peekNone() const { return pos_ < text_.size() && text_[pos_] == '-'; }
  void skip(std::size_t n) { pos_ += n; }

  [[noreturn]] void bad(const char* what) const {
    throw std::runtime_error("embedded schema program: expected " + std::string(what) + " at byte " +
                             std::to_string(pos_));
  }

 private:
  void expect(std::size_t at, char c) const {
    if (at >= text_.size() || text_[at] != c) bad("a separator");
  }
  std::string_view text_;
  std::size_t pos_ = 0;
};

std::size_t commonPrefix(std::string_view a, std::string_view b) {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

// The Block whose instruction carries each location (kNone for a location no instruction
// uses).
std::vector<std::uint32_t> locationOwners(const Program& p) {
  std::vector<std::uint32_t> owner(p.locations.size(), kNone);
  for (std::uint32_t b = 0; b < p.blocks.size(); ++b)
    for (std::uint32_t i = p.blocks[b].begin; i < p.blocks[b].end; ++i)
      if (p.instructions[i].location < owner.size()) owner[p.instructions[i].location] = b;
  return owner;
}

// How a location's absolute URI derives from its block's: 0 = block + relative, 1 = block
// + "#" + relative (the block is a document root), 2 = written out.
int locationMode(const std::string& block, const Location& loc) {
  if (loc.absolute.size() == block.size() + loc.relative.size() && loc.absolute.starts_with(block) &&
      loc.absolute.ends_with(loc.relative))
    return 0;
  if (loc.absolute.size() == block.size() + 1 + loc.relative.size() && loc.absolute.starts_with(block) &&
      loc.absolute[block.size()] == '#' && loc.absolute.ends_with(loc.relative))
    return 1;
  return 2;
}

// The operands of `ins` name elements of `p` (see Op).
bool operandsInRange(const Program& p, const Instruction& ins) {
  auto keys = [&](std::size_t limit) {
    for (std::uint32_t k = 0; k < ins.child_count; ++k)
      if (p.children[ins.child_begin + k].key >= limit) return false;
    return true;
  };
  switch (ins.op) {
    case Op::Const: case Op::Enum: case Op::MultipleOf: case Op::Minimum: case Op::Maximum:
    case Op::ExclusiveMinimum: case Op::ExclusiveMaximum:
      return ins.a < p.values.size();
    case Op::Pattern: return ins.a < p.regexes.size();
    case Op::FormatAssert: return ins.a <= static_cast<std::uint32_t>(Format::Regex);
    case Op::Required: return ins.a < p.name_lists.size();
    case Op::DependentRequired: return ins.a < p.strings.size() && ins.b < p.name_lists.size();
    case Op::Properties: case Op::DependentSchemas: return keys(p.strings.size());
    case Op::PatternProperties: return keys(p.regexes.size());
    case Op::AdditionalProperties:
      return ins.a < p.name_lists.size() && ins.b < p.regex_lists.size() && ins.child_count >= 1;
    case Op::DynamicRef: return ins.a < p.strings.size() && ins.child_count >= 1;
    case Op::PropertyNames: case Op::Items: case Op::Contains: case Op::UnevaluatedItems:
    case Op::UnevaluatedProperties: case Op::Not: case Op::Ref:
      return ins.child_count >= 1 && p.children[ins.child_begin].block != kNone;
    case Op::IfThenElse: return ins.child_count >= 3 && p.children[ins.child_begin].block != kNone;
    default: return true;
  }
}

// Chains of $ref-only Blocks end (the compiler rejects loops; damaged text may not).
bool refChainsEnd(const Program& p) {
  auto next = [&](std::uint32_t b) -> std::uint32_t {
    const Block& block = p.blocks[b];
    if (block.end - block.begin != 1 || block.collects) return kNone;
    const Instruction& only = p.instructions[block.begin];
    return only.op == Op::Ref ? p.children[only.child_begin].block : kNone;
  };
  std::vector<std::uint8_t> state(p.blocks.size(), 0);  // 1: on the current chain, 2: ends
  for (std::uint32_t start = 0; start < p.blocks.size(); ++start) {
    std::vector<std::uint32_t> chain;
    std::uint32_t b = start;
    while (b != kNone && state[b] == 0) {
      state[b] = 1;
      chain.push_back(b);
      b = next(b);
    }
    if (b != kNone && state[b] == 1) return false;
    for (std::uint32_t c : chain) state[c] = 2;
  }
  return true;
}

}  // namespace

std::string writeProgram(const Program& p) {
  Writer w;
  w.text() += kMagic;
  w.num(p.root);
  w.num(p.uses_dynamic_scope ? 1 : 0);
  w.num(p.strings.size());
  for (const std::string& s : p.strings) w.str(s);
  w.num(p.blocks.size());
  std::int64_t next_begin = 0;
  for (std::size_t i = 0; i < p.blocks.size(); ++i) {
    const Block& b = p.blocks[i];
    w.delta(static_cast<std::int64_t>(b.begin) - next_begin);
    w.num(b.end - b.begin);
    w.num(b.resource);
    w.num(b.collects ? 1 : 0);
    // Front coding against the closest of the previous kLookBack locations.
    std::size_t best = 0, shared = 0;
    for (std::size_t back = 1; back <= kLookBack && back <= i; ++back) {
      std::size_t n = commonPrefix(p.blocks[i - back].absolute, b.absolute);
      if (n > shared) best = back, shared = n;
    }
    w.num(best);
    w.num(shared);
    w.str(std::string_view(b.absolute).substr(shared));
    next_begin = b.end;
  }
  w.num(p.instructions.size());
  std::int64_t next_child = 0, next_location = 0;
  for (const Instruction& ins : p.instructions) {
    w.num(static_cast<std::uint64_t>(ins.op));
    w.num(ins.a);
    w.num(ins.b);
    w.delta(static_cast<std::int64_t>(ins.child_begin) - next_child);
    w.num(ins.child_count);
    w.delta(static_cast<std::int64_t>(ins.location) - next_location);
    next_child = static_cast<std::int64_t>(ins.child_begin) + ins.child_count;
    next_location = static_cast<std::int64_t>(ins.location) + 1;
  }
  w.num(p.children.size());
  std::int64_t previous_block = 0;
  for (const Child& c : p.children) {
    if (c.block == kNone) {
      w.num(kNone);
    } else {
      w.delta(static_cast<std::int64_t>(c.block) - previous_block);
      previous_block = c.block;
    }
    w.num(c.key);
    w.num(c.path);
  }
  // Relative locations repeat ("/type", "/$ref"): a dictionary, then indices.
  std::vector<std::string> relatives;
  std::unordered_map<std::string, std::uint32_t> relative_index;
  for (const Location& l : p.locations)
    if (relative_index.emplace(l.relative, static_cast<std::uint32_t>(relatives.size())).second)
      relatives.push_back(l.relative);
  w.num(relatives.size());
  for (const std::string& r : relatives) w.str(r);
  std::vector<std::uint32_t> owner = locationOwners(p);
  w.num(p.locations.size());
  for (std::size_t i = 0; i < p.locations.size(); ++i) {
    const Location& l = p.locations[i];
    int mode = owner[i] == kNone ? 2 : locationMode(p.blocks[owner[i]].absolute, l);
    w.num(relative_index.at(l.relative) * 3 + static_cast<std::uint32_t>(mode));
    if (mode == 2) w.str(l.absolute);
  }
  w.num(p.resources.size());
  for (const Resource& r : p.resources) {
    w.str(r.uri);
    w.num(r.dynamic_anchors.size());
    for (const auto& [name, block] : r.dynamic_anchors) {
      w.str(name);
      w.num(block);
    }
  }
  w.num(p.values.size());
  for (const nlohmann::json& v : p.values) w.str(v.dump());
  for (const auto* lists : {&p.name_lists, &p.regex_lists}) {
    w.num(lists->size());
    for (const auto& list : *lists) {
      w.num(list.size());
      for (std::uint32_t n : list) w.num(n);
    }
  }
  w.num(p.regexes.size());
  for (const auto& r : p.regexes) w.str(r->source());
  return std::move(w.text());
}

Program readProgram(std::string_view text) {
  if (!text.starts_with(kMagic))
    throw std::runtime_error("embedded schema program: not written by this version of tether (expected \"" +
                             std::string(kMagic.substr(0, kMagic.size() - 1)) + "\")");
  Reader r(text);
  r.skip(kMagic.size());
  Program p;
  p.root = r.u32();
  p.uses_dynamic_scope = r.num() != 0;
  p.strings.resize(r.count());
  for (std::string& s : p.strings) s = r.str();
  p.blocks.resize(r.count());
  std::int64_t next_begin = 0;
  for (std::size_t i = 0; i < p.blocks.size(); ++i) {
    Block& b = p.blocks[i];
    b.begin = static_cast<std::uint32_t>(next_begin + r.delta());
    b.end = b.begin + r.u32();
    b.resource = r.u32();
    b.collects = r.num() != 0;
    std::uint64_t back = r.num(), shared = r.num();
    if (back > i || back > kLookBack) r.bad("a previous location");
    const std::string& base = back == 0 ? std::string() : p.blocks[i - back].absolute;
    if (shared > base.size()) r.bad("a shared prefix");
    b.absolute = base.substr(0, shared) + r.str();
    next_begin = b.end;
  }
  p.instructions.resize(r.count());
  std::int64_t next_child = 0, next_location = 0;
  for (Instruction& ins : p.instructions) {
    std::uint64_t op = r.num();
    if (op > static_cast<std::uint64_t>(Op::ContentAssert)) r.bad("an opcode");
    ins.op = static_cast<Op>(op);
    ins.a = r.u32();
    ins.b = r.u32();
    ins.child_begin = static_cast<std::uint32_t>(next_child + r.delta());
    ins.child_count = r.u32();
    ins.location = static_cast<std::uint32_t>(next_location + r.delta());
    next_child = static_cast<std::int64_t>(ins.child_begin) + ins.child_count;
    next_location = static_cast<std::int64_t>(ins.location) + 1;
  }
  p.children.resize(r.count());
  std::int64_t previous_block = 0;
  for (Child& c : p.children) {
    if (r.peekNone()) {
      c.block = r.u32();
    } else {
      previous_block += r.delta();
      c.block = static_cast<std::uint32_t>(previous_block);
    }
    c.key = r.u32();
    c.path = r.u32();
  }
  std::vector<std::string> relatives(r.count());
  for (std::string& s : relatives) s = r.str();
  p.locations.resize(r.count());
  std::vector<int> modes(p.locations.size());
  for (std::size_t i = 0; i < p.locations.size(); ++i) {
    std::uint64_t code = r.num();
    if (code / 3 >= relatives.size()) r.bad("a relative location");
    p.locations[i].relative = relatives[code / 3];
    modes[i] = static_cast<int>(code % 3);
    if (modes[i] == 2) p.locations[i].absolute = r.str();
  }
  p.resources.resize(r.count());
  for (Resource& res : p.resources) {
    res.uri = r.str();
    res.dynamic_anchors.resize(r.count());
    for (auto& [name, block] : res.dynamic_anchors) {
      name = r.str();
      block = r.u32();
    }
  }
  p.values.resize(r.count());
  for (nlohmann::json& v : p.values) v = nlohmann::json::parse(r.str());
  for (auto* lists : {&p.name_lists, &p.regex_lists}) {
    lists->resize(r.count());
    for (auto& list : *lists) {
      list.resize(r.count());
      for (std::uint32_t& n : list) n = r.u32();
    }
  }
  p.regexes.resize(r.count());
  for (auto& re : p.regexes) {
    std::string source = r.str(), error;
    re = Regex::compile(source, error);
    if (!re) throw std::runtime_error("embedded schema program: pattern \"" + source + "\" does not compile: " + error);
  }
  if (!r.done()) r.bad("the end");

  // Every index must name an element, so that a damaged text fails here and not in the
  // evaluator.
  auto check = [&](bool ok) {
    if (!ok) throw std::runtime_error("embedded schema program: an index is out of range");
  };
  check(p.root < p.blocks.size());
  for (const Block& b : p.blocks) check(b.begin <= b.end && b.end <= p.instructions.size() && b.resource < p.resources.size());
  for (const Instruction& ins : p.instructions)
    check(ins.location < p.locations.size() && ins.child_begin <= p.children.size() &&
          ins.child_count <= p.children.size() - ins.child_begin);
  for (const Child& c : p.children) check((c.block == kNone || c.block < p.blocks.size()) && (c.path == kNone || c.path < p.strings.size()));
  for (const auto& list : p.name_lists)
    for (std::uint32_t n : list) check(n < p.strings.size());
  for (const auto& list : p.regex_lists)
    for (std::uint32_t n : list) check(n < p.regexes.size());
  for (const Resource& res : p.resources)
    for (const auto& anchor : res.dynamic_anchors) check(anchor.second < p.blocks.size());
  for (const Instruction& ins : p.instructions) check(operandsInRange(p, ins));
  check(refChainsEnd(p));
  for (std::uint32_t b = 0; b < p.blocks.size(); ++b)
    for (std::uint32_t i = p.blocks[b].begin; i < p.blocks[b].end; ++i) {
      Location& l = p.locations[p.instructions[i].location];
      int mode = modes[p.instructions[i].location];
      if (mode == 0) l.absolute = p.blocks[b].absolute + l.relative;
      if (mode == 1) l.absolute = p.blocks[b].absolute + "#" + l.relative;
    }
  detail::prepareFastMode(p);
  return p;
}

std::uint64_t fastFingerprint(const Program& p) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&](std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xFF;
      h *= 0x100000001b3ull;
    }
  };
  mix(p.blocks.size());
  mix(p.instructions.size());
  for (const Block& b : p.blocks) {
    mix(b.forward);
    mix(b.leaf | (b.leaf_types << 8) | (b.fast_types << 16));
    mix(b.object_plan);
    mix(b.fast_begin);
    mix(b.fast_end);
  }
  for (const Instruction& ins : p.instructions) mix(ins.fused ? 1 : 0);
  for (std::uint32_t i : p.fast_code) mix(i);
  auto target = [&](const FastTarget& t) {
    mix(t.block);
    mix(t.leaf | (t.leaf_types << 8));
    mix(t.plan);
  };
  for (const FastTarget& t : p.fast_targets) target(t);
  for (const ObjectPlan& plan : p.object_plans) {
    mix(plan.required_mask);
    mix(plan.additional);
    target(plan.additional_target);
    for (const NameEntry& e : plan.names.entries) {
      mix(e.name);
      mix(e.property);
      mix(e.required_before);
      mix(e.required_bit);
      target(e.target);
    }
  }
  return h;
}

}  // namespace tether::schema
