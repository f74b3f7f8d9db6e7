// The compiled validation program: a flat, inspectable data structure.
//
// A schema compiles to a set of Blocks. A Block is a contiguous range of Instructions
// that all apply to the same instance location. Instructions that apply subschemas
// (properties, items, allOf, $ref, ...) name their child Blocks through a range of
// Child entries, never through pointers or closures, so the same program can be
// evaluated by the runtime evaluator or translated into C++ source by a code generator.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
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
  std::string absolute;            // absolute location of the schema itself
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
  std::uint32_t root = 0;  // the entry Block
  bool uses_dynamic_scope = false;

  // A readable listing of the program, one instruction a line (for debugging and tests).
  std::string dump() const;
};

}  // namespace tether::schema
