// The compiled validation program: a flat, inspectable data structure.
//
// A schema compiles to a set of Blocks. A Block is a contiguous range of Instructions
// that all apply to the same instance location. Instructions that apply subschemas
// (properties, items, allOf, $ref, ...) name their child Blocks through a range of
// Child entries, never through pointers or closures, so the same program can be
// evaluated by the runtime evaluator or translated into C++ source by a code generator.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tether::schema {

class Regex;  // a compiled ECMA-262 pattern (see regex.h)

inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// Bits of the `type` keyword, shared by the Type opcode and nullable handling.
enum TypeBits : std::uint8_t {
  kTypeNull = 1u << 0,
  kTypeBoolean = 1u << 1,
  kTypeObject = 1u << 2,
  kTypeArray = 1u << 3,
  kTypeNumber = 1u << 4,
  kTypeString = 1u << 5,
  kTypeInteger = 1u << 6,
};

// Block::leaf values.
inline constexpr std::uint8_t kLeafNone = 0;
inline constexpr std::uint8_t kLeafAny = 1;
inline constexpr std::uint8_t kLeafType = 2;

// The formats known to the engine. Unknown formats compile to no instruction.
enum class Format : std::uint8_t {
  DateTime, Date, Time, Duration, Email, IdnEmail, Hostname, IdnHostname, Ipv4, Ipv6,
  Uri, UriReference, Iri, IriReference, UriTemplate, Uuid, JsonPointer,
  RelativeJsonPointer, Regex,
};

// Operand meaning per opcode is documented on each entry. `a`/`b` are the two generic
// operands; children are Program::children[child_begin, child_begin + child_count).
enum class Op : std::uint8_t {
  Fail,                  // the `false` schema: always fails
  Type,                  // a = TypeBits mask
  Const,                 // a = index into Program::values
  Enum,                  // a = index into Program::values (an array of allowed values)
  MultipleOf,            // a = index into Program::values (a positive number)
  Minimum,               // a = value index
  Maximum,               // a = value index
  ExclusiveMinimum,      // a = value index
  ExclusiveMaximum,      // a = value index
  MinLength,             // a = code-point count
  MaxLength,             // a = code-point count
  Pattern,               // a = index into Program::regexes
  FormatAssert,          // a = Format
  MinItems,              // a = count
  MaxItems,              // a = count
  UniqueItems,           // no operands
  MinProperties,         // a = count
  MaxProperties,         // a = count
  Required,              // a = index into Program::name_lists (names that must be present)
  DependentRequired,     // a = name index (trigger); b = name_lists index (required names)
  Properties,            // children: key = name index, one per declared property, sorted by name
  PatternProperties,     // children: key = regex index
  AdditionalProperties,  // a = name_lists index (declared names); b = regex_lists index; 1 child
  PropertyNames,         // 1 child applied to each name (as a string instance)
  PrefixItems,           // children in order, applied to items 0..n-1
  Items,                 // a = first index the child applies to; 1 child
  Contains,              // a = minContains; b = maxContains (kNone = unbounded); 1 child
  UnevaluatedItems,      // 1 child
  UnevaluatedProperties, // 1 child
  AllOf,                 // children
  AnyOf,                 // children
  OneOf,                 // children
  Not,                   // 1 child
  IfThenElse,            // 3 children: if, then, else (block kNone when absent)
  DependentSchemas,      // children: key = name index (trigger property)
  Ref,                   // 1 child: the static target
  DynamicRef,            // 1 child: the static target; a = name index of the anchor, b = 1
                         // when the target carries a matching $dynamicAnchor (dynamic)
  ReadOnly,              // fails when evaluated for a request (Direction::Request)
  WriteOnly,             // fails when evaluated for a response (Direction::Response)
  ContentAssert,         // draft 7 only: a = 1 when contentEncoding is base64; b = 1 when
                         // contentMediaType is application/json (the decoded text must parse)
};

const char* opName(Op op);

struct Child {
  std::uint32_t block = kNone;  // the child schema's Block (kNone: absent)
  std::uint32_t key = kNone;    // name or regex index for keyed children
  std::uint32_t path = kNone;   // Program::strings index: keyword path from the parent
                                // schema to the child schema, e.g. "/properties/foo"
};

struct Instruction {
  Op op = Op::Fail;
  // Set on Required/Properties/AdditionalProperties instructions whose work the Block's
  // ObjectPlan does in one walk over the instance's members (fast mode only: the detailed
  // mode still runs every instruction, so its errors keep their order).
  bool fused = false;
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  std::uint32_t child_begin = 0;
  std::uint32_t child_count = 0;
  std::uint32_t location = 0;  // index into Program::locations
};

// Where an instruction's keyword sits: relative to the schema of its Block (so the
// evaluator can build the dynamic keywordLocation through $ref) and absolutely.
struct Location {
  std::string relative;  // e.g. "/properties" or "/type"
  std::string absolute;  // e.g. "https://example.com/s.json#/properties/foo/type"
};

struct Block {
  std::uint32_t begin = 0;  // instruction range [begin, end)
  std::uint32_t end = 0;
  std::uint32_t resource = kNone;  // Program::resources index of the enclosing resource
  bool collects = false;           // holds unevaluated*: gathers evaluated annotations
  // When the schema is nothing but a `$ref`, the target Block: the fast boolean mode jumps
  // straight there (the detailed mode still walks the Ref to report "/$ref" locations).
  std::uint32_t forward = kNone;
  std::uint32_t object_plan = kNone;  // Program::object_plans index (fast mode), or kNone
  // Leaves the fast mode decides without running the block: kLeafNone, kLeafAny (no
  // instruction: every instance is valid) or kLeafType (a lone `type`: leaf_types).
  std::uint8_t leaf = 0;
  std::uint8_t leaf_types = 0;
  // The fast mode's own view of the block: its `type` (0: none) tested first, then its
  // object plan, then Program::fast_code[fast_begin, fast_end): the other instructions,
  // neither fused nor the type. In the fast mode the order of keywords changes nothing but
  // the time to the first failure.
  std::uint8_t fast_types = 0;
  std::uint32_t fast_begin = 0;
  std::uint32_t fast_end = 0;
  std::string absolute;            // absolute location of the schema itself
};

// A property name as the NameTable sees it: its first 8 bytes and, past 8 bytes, its last
// 8, zero beyond its end. With the length they decide equality for names of up to 16 bytes
// (nearly every property name), so a lookup compares two words instead of bytes.
struct KeyWords {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};

[[gnu::always_inline]] inline KeyWords keyWords(const std::string& s) {
  const char* p = s.data();
  const std::size_t n = s.size();
  KeyWords w;
#if defined(__GLIBCXX__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  // A libstdc++ string always has 16 readable bytes at data() (its small-string buffer, or
  // a heap block for more than 15 characters): whole-word loads, masked, without branches.
  std::memcpy(&w.first, p, 8);
  w.first &= n >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * (n & 7))) - 1;
  std::memcpy(&w.last, p + (n > 8 ? n - 8 : 0), 8);
  w.last = n > 8 ? w.last : 0;
#else
  std::memcpy(&w.first, p, n < 8 ? n : 8);
  if (n > 8) std::memcpy(&w.last, p + n - 8, 8);
#endif
  return w;
}

// The hash of a name for NameTable (its top bits pick the slot). Deterministic on one host
// (the table is built and probed by the same process; generated code dispatches on the
// names themselves instead). One multiplication, as it sits on every member's lookup path:
// the top bits of a product depend on every bit below them, and `last` is rotated so its
// bytes reach the top half too.
inline std::uint64_t nameHash(const KeyWords& w, std::size_t n) {
  return (w.first ^ ((w.last << 32) | (w.last >> 32)) ^ n) * 0x9E3779B97F4A7C15ull;
}

// What the fast mode applies to an object member, resolved at compile time: the Block
// after `$ref` forwards, and whether that Block is a leaf decided without entering it.
// Without a dynamic scope only; with one, `block` is the child itself and `leaf` is none.
// A Block that is no more than a `type` and an ObjectPlan, and collects nothing (most
// object schemas), is walked straight from its target: `plan` names the plan and
// `leaf_types` the types.
struct FastTarget {
  std::uint32_t block = kNone;     // kNone: nothing applies to the member
  std::uint8_t leaf = kLeafNone;   // as Block::leaf
  std::uint8_t leaf_types = 0;     // as Block::leaf_types, or the block's fast_types with `plan`
  std::uint32_t plan = kNone;      // Program::object_plans index of a type-and-plan Block
};

// One property name an object schema knows about: 64 bytes, one cache line per lookup.
struct alignas(64) NameEntry {
  KeyWords words;                  // keyWords(name)
  std::uint32_t length = 0;        // the name's bytes: NameTable::chars[offset, offset + length)
  std::uint32_t offset = 0;
  std::uint32_t name = kNone;      // Program::strings index
  std::uint32_t property = kNone;  // Program::children index of its `properties` child
  std::uint32_t required = kNone;  // its bit in ObjectPlan::required_mask, when required
  FastTarget target;               // what applies to a member of this name (its property
                                   // schema, else additionalProperties, else nothing)
  std::uint64_t required_bit = 0;  // 1 << required, or 0
  // The required names that sort before this one (ObjectPlan::required_mask bits). An
  // object's members come in name order (std::map), so one of them still unseen when a
  // member of this name comes is missing: the fast mode fails there, before validating
  // the member or any after it (what ajv gets from testing `required` first).
  std::uint64_t required_before = 0;
};
static_assert(sizeof(NameEntry) == 64);

// An open-addressing hash table (linear probing) of names, built at compile time. The
// slots hold the entries themselves (a free slot has length kNone), so a lookup loads one
// slot, not an index and then an entry.
struct NameTable {
  std::vector<NameEntry> slots;    // power-of-two size
  std::uint32_t shift = 64;        // 64 - log2(slots.size()): the hash's top bits index
  std::vector<NameEntry> entries;  // the same entries, sorted by name (for code generators)
  std::string chars;               // the names, back to back (for names past 16 bytes)

  std::size_t slotOf(const KeyWords& w, std::size_t n) const {
    return static_cast<std::size_t>(nameHash(w, n) >> shift) & (slots.size() - 1);
  }

  [[gnu::always_inline]] const NameEntry* find(const std::string& key) const {
    const KeyWords w = keyWords(key);
    const std::size_t n = key.size();
    const std::size_t mask = slots.size() - 1;
    for (std::size_t s = slotOf(w, n);; s = (s + 1) & mask) {
      const NameEntry& entry = slots[s];
      if (entry.words.first == w.first && entry.words.last == w.last && entry.length == n &&
          (n <= 16 || std::memcmp(chars.data() + entry.offset, key.data(), n) == 0))
        return &entry;
      if (entry.length == kNone) return nullptr;
    }
  }
};

// What a Block asks of an object's members, gathered from its `required`, `properties`
// and `additionalProperties` so the fast mode walks the members once: each member is
// looked up in the table, checked against the required names before it
// (NameEntry::required_before), applied to its property schema (or to
// additionalProperties), and counted against the required names.
struct ObjectPlan {
  std::uint64_t required_mask = 0;    // one bit per required name (at most 64)
  std::uint32_t required_count = 0;   // the bits set in required_mask
  std::uint32_t additional = kNone;   // Program::children index of additionalProperties
  FastTarget additional_target;       // what applies to a member not in the table
  NameTable names;                    // the names it knows (held here: one load less)
};

// A schema resource (a schema with $id, or a document root), for the dynamic scope.
struct Resource {
  std::string uri;
  std::vector<std::pair<std::string, std::uint32_t>> dynamic_anchors;  // name -> block
};

struct Program {
  std::vector<Instruction> instructions;
  std::vector<Block> blocks;
  std::vector<Child> children;
  std::vector<Location> locations;
  std::vector<Resource> resources;
  std::vector<nlohmann::json> values;              // const/enum/number operands
  std::vector<std::string> strings;                // names and keyword paths
  std::vector<std::vector<std::uint32_t>> name_lists;   // lists of string indices (sorted by
                                                        // name for AdditionalProperties)
  std::vector<std::vector<std::uint32_t>> regex_lists;  // lists of regex indices
  std::vector<std::shared_ptr<const Regex>> regexes;
  std::vector<ObjectPlan> object_plans;
  std::vector<std::uint32_t> fast_code;  // instruction indices, per Block (fast mode)
  std::vector<FastTarget> fast_targets;  // per Program::children entry: fastTarget(its block)
  std::uint32_t root = 0;  // the entry Block
  bool uses_dynamic_scope = false;
  // `pattern`s left out under CompileOptions::skip_invalid_patterns: where, what, and why.
  struct SkippedPattern {
    std::string location;  // absolute keyword location (URI#pointer)
    std::string source;
    std::string error;
  };
  std::vector<SkippedPattern> skipped_patterns;

  // A readable listing of the program, one instruction a line (for debugging and tests).
  std::string dump() const;
  // What the fast mode applies for Block `block` (see FastTarget), once the program is
  // complete.
  FastTarget fastTarget(std::uint32_t block) const;
};

}  // namespace tether::schema
