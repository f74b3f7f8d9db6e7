// Dialects and vocabularies: which keywords a schema's `$schema` turns on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tether/schema/options.h"

namespace tether::schema::detail {

enum Vocab : std::uint32_t {
  kVocabCore = 1u << 0,
  kVocabApplicator = 1u << 1,
  kVocabUnevaluated = 1u << 2,
  kVocabValidation = 1u << 3,
  kVocabMetaData = 1u << 4,
  kVocabFormatAnnotation = 1u << 5,
  kVocabFormatAssertion = 1u << 6,
  kVocabContent = 1u << 7,
  kVocabAll = kVocabCore | kVocabApplicator | kVocabUnevaluated | kVocabValidation |
              kVocabMetaData | kVocabFormatAnnotation | kVocabContent,
};

// The dialect named by a well-known `$schema` URI, if it is one.
std::optional<Dialect> dialectFromUri(std::string_view uri);

// The vocabulary bit of a 2019-09/2020-12 vocabulary URI (0 when unknown).
std::uint32_t vocabFromUri(std::string_view uri);

inline bool isLegacy(Dialect d) { return d == Dialect::Draft7 || d == Dialect::OpenApi30; }

// Keywords whose value is one subschema / an object of subschemas / an array of them,
// in the given dialect. Used both to index identifiers and to compile.
bool isSchemaKeyword(Dialect d, std::string_view keyword);
bool isSchemaMapKeyword(Dialect d, std::string_view keyword);
bool isSchemaArrayKeyword(Dialect d, std::string_view keyword);

}  // namespace tether::schema::detail
