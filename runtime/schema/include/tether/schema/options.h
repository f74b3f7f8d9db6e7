// Options shared by the compiler and the evaluator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace tether::schema {

// The schema dialect used when a schema carries no (known) `$schema`.
enum class Dialect : std::uint8_t {
  Draft2020_12,  // JSON Schema 2020-12 (the OpenAPI 3.1 dialect)
  Draft2019_09,  // only as far as the cross-draft tests need: items/additionalItems
  Draft7,        // JSON Schema draft 7
  OpenApi30,     // the OpenAPI 3.0 Schema Object: draft-4-ish, nullable, boolean exclusives
};

// Which way a payload travels: readOnly properties may not appear in requests and
// writeOnly properties may not appear in responses.
enum class Direction : std::uint8_t { None, Request, Response };

struct CompileOptions {
  Dialect default_dialect = Dialect::Draft2020_12;
  // Assert `format` (the format-assertion vocabulary) instead of annotating it.
  bool format_assertion = false;
  // The base URI of the root schema when it has no absolute `$id`.
  std::string base_uri = "urn:tether:root";
  // Schemas nested deeper than this fail to compile (protects the compiler's stack).
  std::size_t max_schema_depth = 2000;
  // Patterns from real-world specs: a pattern that is not ECMA-262 u-mode is read as its
  // author meant it, first without the needless backslash of Annex B identity escapes
  // (\: \# \- outside a class: Regex::withoutIdentityEscapes), then with the idioms of other
  // engines rewritten (\p{Alnum}, \A...\z, [\w-.]: Regex::fromForeignDialect). Off by
  // default (the test suite expects the strict grammar); on for generated code.
  bool lenient_patterns = false;
  // A `pattern` that still does not compile is left out (the string is not checked against
  // it) and listed in Program::skipped_patterns, instead of failing the whole compile.
  bool skip_invalid_patterns = false;
};

struct EvaluateOptions {
  Direction direction = Direction::None;
  // Subschema applications nested deeper than this stop evaluation with an error
  // ("maximum evaluation depth exceeded"). The evaluator is recursive; this limit is what
  // keeps a 100k-deep instance from overflowing the stack.
  std::size_t max_depth = 1500;
  // Whether the Program's `format` assertions (Op::FormatAssert, compiled in under
  // CompileOptions::format_assertion) hold. Generated validators are compiled with them, and
  // their callers choose per evaluation: a server asserts the formats of requests unless it
  // is configured not to (tether::server::RouteOptions::assertFormats), and checks its own
  // responses without them. Off, a format is the annotation JSON Schema makes it by default.
  bool assert_formats = true;
};

}  // namespace tether::schema
