#include "dialect.h"

namespace tether::schema::detail {

std::optional<Dialect> dialectFromUri(std::string_view uri) {
  while (!uri.empty() && uri.back() == '#') uri.remove_suffix(1);
  if (uri == "https://json-schema.org/draft/2020-12/schema") return Dialect::Draft2020_12;
  if (uri == "https://json-schema.org/draft/2019-09/schema") return Dialect::Draft2019_09;
  if (uri == "http://json-schema.org/draft-07/schema" || uri == "https://json-schema.org/draft-07/schema" ||
      uri == "http://json-schema.org/draft-06/schema")
    return Dialect::Draft7;
  if (uri == "http://json-schema.org/draft-04/schema" ||
      uri == "https://spec.openapis.org/oas/3.0/schema/2021-09-28")
    return Dialect::OpenApi30;
  if (uri.rfind("https://spec.openapis.org/oas/3.1/dialect", 0) == 0) return Dialect::Draft2020_12;
  return std::nullopt;
}

std::uint32_t vocabFromUri(std::string_view uri) {
  for (std::string_view prefix : {"https://json-schema.org/draft/2020-12/vocab/",
                                  "https://json-schema.org/draft/2019-09/vocab/"}) {
    if (uri.rfind(prefix, 0) != 0) continue;
    std::string_view name = uri.substr(prefix.size());
    if (name == "core") return kVocabCore;
    if (name == "applicator") return kVocabApplicator;
    if (name == "unevaluated") return kVocabUnevaluated;
    if (name == "validation") return kVocabValidation;
    if (name == "meta-data") return kVocabMetaData;
    if (name == "format-annotation" || name == "format") return kVocabFormatAnnotation;
    if (name == "format-assertion") return kVocabFormatAssertion;
    if (name == "content") return kVocabContent;
  }
  if (uri.rfind("https://spec.openapis.org/oas/3.1/vocab/base", 0) == 0) return kVocabMetaData;
  return 0;
}

bool isSchemaKeyword(Dialect d, std::string_view k) {
  if (k == "additionalProperties" || k == "propertyNames" || k == "contains" || k == "not" ||
      k == "if" || k == "then" || k == "else")
    return true;
  if (isLegacy(d)) return k == "items" || k == "additionalItems";
  if (d == Dialect::Draft2019_09)
    return k == "items" || k == "additionalItems" || k == "unevaluatedItems" ||
           k == "unevaluatedProperties" || k == "contentSchema";
  return k == "items" || k == "unevaluatedItems" || k == "unevaluatedProperties" ||
         k == "contentSchema";
}

bool isSchemaMapKeyword(Dialect d, std::string_view k) {
  if (k == "properties" || k == "patternProperties" || k == "dependencies") return true;
  if (isLegacy(d)) return k == "definitions";
  return k == "$defs" || k == "dependentSchemas" || k == "definitions";
}

bool isSchemaArrayKeyword(Dialect d, std::string_view k) {
  if (k == "allOf" || k == "anyOf" || k == "oneOf") return true;
  if (isLegacy(d) || d == Dialect::Draft2019_09) return k == "items";
  return k == "prefixItems";
}

}  // namespace tether::schema::detail
