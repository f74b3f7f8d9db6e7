#include "operations.h"

#include <algorithm>
#include <map>

#include "tether/naming/namer.h"

namespace tether::codegen {

std::vector<TagGroup> groupByTag(const ir::Api& api) {
  std::vector<TagGroup> groups;
  std::map<std::string, std::size_t> index;
  naming::Scope files;
  for (const ir::Tag& tag : api.tags) {
    index[tag.name] = groups.size();
    groups.push_back({tag.name, tag.cppName, files.claim(tag.name, naming::Case::Snake), tag.description, {}});
  }
  for (const ir::Operation& op : api.operations) {
    std::string tag = op.tags.empty() ? "" : op.tags.front();
    auto it = index.find(tag);
    if (it == index.end()) {
      // Untagged operations: a "default" group, named so it cannot clash with a tag's.
      naming::Scope probe;
      index[tag] = groups.size();
      std::string cpp = "Default";
      for (const TagGroup& g : groups) {
        if (g.cppName == cpp) cpp = "Untagged";
      }
      groups.push_back({tag.empty() ? "default" : tag, cpp, files.claim(cpp, naming::Case::Snake), "", {}});
      it = index.find(tag);
    }
    groups[it->second].operations.push_back(&op);
  }
  std::erase_if(groups, [](const TagGroup& g) { return g.operations.empty(); });
  return groups;
}

MediaKind mediaKind(const std::string& mediaType) {
  std::string base = mediaType.substr(0, mediaType.find(';'));
  for (char& c : base) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (base == "application/json" || base.ends_with("+json") || base == "text/json") return MediaKind::Json;
  if (base == "application/x-www-form-urlencoded") return MediaKind::Form;
  if (base.starts_with("multipart/")) return MediaKind::Multipart;
  return MediaKind::Raw;
}

std::string pascal(const std::string& camel) {
  std::string out = camel;
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

namespace {

std::string scalarOf(const ir::Api& api, ir::TypeId id) {
  if (id == ir::kNoType) return "Any";
  const ir::Type& type = api.type(id);
  ir::TypeKind kind = type.kind == ir::TypeKind::Enum ? type.enumBase : type.kind;
  switch (kind) {
    case ir::TypeKind::Integer:
      return "Integer";
    case ir::TypeKind::Number:
      return "Number";
    case ir::TypeKind::Boolean:
      return "Boolean";
    case ir::TypeKind::String:
      return "String";
    default:
      return "Any";
  }
}

std::string quote(const std::string& text) { return cppString(text); }

std::string objectShape(const ir::Api& api, const ir::Type& type) {
  std::string props, arrays;
  for (const ir::Field& f : type.fields) {
    const ir::Type& ft = api.type(f.type);
    bool isArray = ft.kind == ir::TypeKind::Array;
    std::string scalar = scalarOf(api, isArray ? ft.items : f.type);
    props += (props.empty() ? "" : ", ") + std::string("{") + quote(f.jsonName) + ", tether::http::Scalar::" + scalar + "}";
    if (isArray) arrays += (arrays.empty() ? "" : ", ") + quote(f.jsonName);
  }
  return "tether::http::Shape{tether::http::Shape::Object, tether::http::Scalar::String, {" + props + "}, {" + arrays +
         "}}";
}

}  // namespace

std::string bodyShapeExpr(ir::TypeId id, const ir::Api& api) {
  if (id == ir::kNoType || api.type(id).kind != ir::TypeKind::Object) return "tether::http::Shape::object()";
  return objectShape(api, api.type(id));
}

std::string paramSpecExpr(const ir::Parameter& p, const ir::Api& api) {
  static const std::map<std::string, std::string> styles = {
      {"simple", "Simple"}, {"label", "Label"}, {"matrix", "Matrix"}, {"form", "Form"},
      {"spaceDelimited", "SpaceDelimited"}, {"pipeDelimited", "PipeDelimited"}, {"deepObject", "DeepObject"}};
  std::string location = p.in == ir::ParameterLocation::Path     ? "Path"
                         : p.in == ir::ParameterLocation::Query  ? "Query"
                         : p.in == ir::ParameterLocation::Header ? "Header"
                                                                 : "Cookie";
  auto style = styles.find(p.style);
  std::string styleName = style == styles.end() ? (p.in == ir::ParameterLocation::Query || p.in == ir::ParameterLocation::Cookie ? "Form" : "Simple")
                                                : style->second;
  std::string shape;
  const ir::Type* type = p.type == ir::kNoType ? nullptr : &api.type(p.type);
  if (!p.mediaType.empty() || type == nullptr) {
    shape = "tether::http::Shape::primitive(tether::http::Scalar::" + std::string(p.mediaType.empty() ? "Any" : "String") + ")";
  } else if (type->kind == ir::TypeKind::Array) {
    shape = "tether::http::Shape::array(tether::http::Scalar::" + scalarOf(api, type->items) + ")";
  } else if (type->kind == ir::TypeKind::Object) {
    shape = objectShape(api, *type);
  } else if (type->kind == ir::TypeKind::Map) {
    shape = "tether::http::Shape::object({})";
  } else {
    shape = "tether::http::Shape::primitive(tether::http::Scalar::" + scalarOf(api, p.type) + ")";
  }
  return "tether::http::ParamSpec{" + quote(p.name) + ", tether::http::Location::" + location +
         ", tether::http::Style::" + styleName + ", " + (p.explode ? "true" : "false") + ", " +
         (p.allowReserved ? "true" : "false") + ", " + shape + "}";
}

std::string responseName(const std::string& status) {
  if (status == "default") return "Default";
  return "Status" + status;
}

bool fixedStatus(const std::string& status) {
  return status.size() == 3 && std::isdigit(static_cast<unsigned char>(status[1])) &&
         std::isdigit(static_cast<unsigned char>(status[2]));
}

int defaultStatus(const std::string& status) {
  if (status == "default") return 500;
  if (!status.empty() && std::isdigit(static_cast<unsigned char>(status[0]))) return (status[0] - '0') * 100;
  return 500;
}

std::vector<std::string> bodyNames(const std::vector<ir::MediaType>& contents) {
  if (contents.size() == 1) return {"body"};
  naming::Scope scope;
  std::vector<std::string> names;
  for (const ir::MediaType& m : contents) {
    switch (mediaKind(m.mediaType)) {
      case MediaKind::Json:
        names.push_back(scope.claim("body_json", naming::Case::Snake));
        break;
      case MediaKind::Form:
        names.push_back(scope.claim("body_form", naming::Case::Snake));
        break;
      case MediaKind::Multipart:
        names.push_back(scope.claim("body_multipart", naming::Case::Snake));
        break;
      case MediaKind::Raw:
        names.push_back(scope.claim("body_raw", naming::Case::Snake));
        break;
    }
  }
  return names;
}

std::vector<std::size_t> partOfGroups(const std::vector<TagGroup>& groups, std::size_t parts) {
  std::vector<std::size_t> load(std::max<std::size_t>(parts, 1), 0);
  std::vector<std::size_t> out;
  for (const TagGroup& group : groups) {
    std::size_t target = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[target] += group.operations.size();
    out.push_back(target);
  }
  return out;
}

}  // namespace tether::codegen
