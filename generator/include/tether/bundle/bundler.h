// `tether bundle`: one self-contained document from a multi-file spec.
//
// References stay references where OpenAPI has a place for the target: a schema,
// parameter, response, request body, header, example, link, callback or security scheme
// from another file becomes an entry of the bundle's `components` (named as
// oas::ComponentNames says) and every reference to it points there. Path items and
// references in places with no components section (a description, an extension) are
// inlined. References inside the entry document that do not cross files are kept as
// written. The output is deterministic, byte for byte.
//
// Bundling works on the document, not on the IR, by design: it must carry every field,
// extension and description through verbatim, which the IR does not hold.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "tether/load/loader.h"

namespace tether::bundle {

// The bundled document; problems (e.g. a reference cycle that would have to be inlined)
// go to spec.diagnostics.
nlohmann::ordered_json bundle(load::LoadedSpec& spec);

// Serializations of the bundle: 2-space JSON and block-style YAML, each ending in "\n".
std::string toJsonText(const nlohmann::ordered_json& document);
std::string toYamlText(const nlohmann::ordered_json& document);

}  // namespace tether::bundle
