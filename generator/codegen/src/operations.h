// What the server and client emitters share about operations: grouping by tag, body media
// kinds, parameter specs (the tether::http::ParamSpec literal), response alternatives.
#pragma once

#include <string>
#include <vector>

#include "tether/codegen/cpp_types.h"
#include "tether/ir/model.h"

namespace tether::codegen {

struct TagGroup {
  std::string name;     // the spec's tag ("Projects"), or "default"
  std::string cppName;  // "Projects"
  std::string fileStem; // "projects"
  std::string description;
  std::vector<const ir::Operation*> operations;
};

// Operations grouped by their first tag, in the order of the spec's tags.
std::vector<TagGroup> groupByTag(const ir::Api& api);

enum class MediaKind { Json, Form, Multipart, Raw };
MediaKind mediaKind(const std::string& mediaType);

// "listPets" -> "ListPets".
std::string pascal(const std::string& camel);

// A C++ expression constructing the tether::http::ParamSpec of a parameter.
std::string paramSpecExpr(const ir::Parameter& p, const ir::Api& api);
// A C++ expression constructing the tether::http::Shape of an object body (form, multipart).
std::string bodyShapeExpr(ir::TypeId id, const ir::Api& api);

// "200" -> "Status200", "4XX" -> "Status4XX", "default" -> "Default".
std::string responseName(const std::string& status);
// The status a range or default alternative starts with: "4XX" -> 400, "default" -> 500.
int defaultStatus(const std::string& status);
bool fixedStatus(const std::string& status);

// Names for the bodies of one message: "body" when there is one media type, else
// "body_json", "body_form", ... (unique).
std::vector<std::string> bodyNames(const std::vector<ir::MediaType>& contents);

// The part (0-based, < parts) of each tag group: groups go to the parts whole, each to the
// part with the fewest operations so far.
std::vector<std::size_t> partOfGroups(const std::vector<TagGroup>& groups, std::size_t parts);

}  // namespace tether::codegen
