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
  bool formLike = p.in == ir::ParameterLocation::Query || p.in == ir::ParameterLocation::Cookie;
  auto style = styles.find(p.style);
  std::string styleName = style == styles.end() ? (formLike ? "Form" : "Simple") : style->second;
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
  // Designated members, each only when it differs from tether::http::ParamSpec's default
  // (query, form, explode, not reserved).
  std::string out = "{.name = " + quote(p.name);
  if (location != "Query") out += ", .in = tether::http::Location::" + location;
  if (styleName != "Form") out += ", .style = tether::http::Style::" + styleName;
  if (!p.explode) out += ", .explode = false";
  if (p.allowReserved) out += ", .allowReserved = true";
  return out + ", .shape = " + shape + "}";
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

SharedParams::SharedParams(const ir::Api& api) : api_(api) {
  naming::Scope names;
  for (const auto& component : api.parameters) {
    byComponent_.push_back(entries_.size());
    entries_.push_back({names.claim(component.cppName, naming::Case::Pascal), component.name, &component.value});
  }
  std::map<std::string, std::pair<const ir::Parameter*, std::size_t>> uses;
  std::vector<std::string> order;
  std::vector<std::pair<const ir::Parameter*, const std::string*>> keys;  // each inline parameter's
  for (const ir::Operation& op : api.operations) {
    for (const ir::Parameter& p : op.parameters) {
      if (p.component >= 0) continue;
      auto [it, added] = uses.emplace(key(p), std::pair{&p, 0});
      if (added) order.push_back(it->first);
      ++it->second.second;
      keys.emplace_back(&p, &it->first);
    }
  }
  for (const std::string& k : order) {
    const auto& [first, count] = uses.at(k);
    if (count < 2) continue;
    byKey_[k] = entries_.size();
    entries_.push_back({names.claim(first->name, naming::Case::Pascal), "", first});
  }
  for (const auto& [p, k] : keys) {
    auto it = byKey_.find(*k);
    byParameter_.emplace(p, it == byKey_.end() ? kNotShared : it->second);
  }
}

std::string SharedParams::key(const ir::Parameter& p) const {
  std::string k = p.name + '\n' + ir::toString(p.in) + '\n' + p.style + '\n' + p.mediaType + '\n' + p.description;
  k += std::string(1, p.required ? 'r' : '-') + (p.explode ? 'e' : '-') + (p.allowReserved ? 'a' : '-') +
       (p.deprecated ? 'd' : '-');
  if (p.type != ir::kNoType) {
    const ir::Type& type = api_.type(p.type);
    // A named type is itself; an inline one is its schema (each operation has its own).
    k += type.named ? "#" + type.name : type.schema.dump();
  }
  return k;
}

const SharedParams::Entry* SharedParams::find(const ir::Parameter& p) const {
  if (p.component >= 0) return &entries_[byComponent_[static_cast<std::size_t>(p.component)]];
  if (auto known = byParameter_.find(&p); known != byParameter_.end()) {
    return known->second == kNotShared ? nullptr : &entries_[known->second];
  }
  auto it = byKey_.find(key(p));
  return it == byKey_.end() ? nullptr : &entries_[it->second];
}


std::string SharedParams::comment(const Entry& entry) {
  const ir::Parameter& p = *entry.param;
  std::string origin = entry.component.empty() ? "" : " (components/parameters/" + entry.component + ")";
  return (p.description.empty() ? "" : p.description + "\n") + "The " + ir::toString(p.in) + " parameter \"" + p.name +
         "\"" + origin + ".";
}


std::vector<GroupSlice> sliceGroups(const std::vector<TagGroup>& groups, std::size_t parts) {
  parts = std::max<std::size_t>(parts, 1);
  std::size_t total = 0;
  for (const TagGroup& group : groups) total += group.operations.size();
  const std::size_t share = std::max<std::size_t>((total + parts - 1) / parts, 1);
  std::vector<std::size_t> load(parts, 0);
  std::vector<GroupSlice> out;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::size_t size = groups[g].operations.size();
    const std::size_t run = size > share && size > kSliceAbove ? share : size;
    for (std::size_t begin = 0; begin < size; begin += run) {
      const std::size_t end = std::min(size, begin + run);
      const auto part = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
      load[part] += end - begin;
      out.push_back({g, begin, end, part});
    }
    if (run < size) {
      const std::size_t runs = (size + run - 1) / run;
      for (std::size_t n = 0; n < runs; ++n) {
        out[out.size() - runs + n].run = n + 1;
        out[out.size() - runs + n].runs = runs;
      }
    }
  }
  return out;
}

std::string runRange(const GroupSlice& slice, const TagGroup& group) {
  return "operations " + std::to_string(slice.begin + 1) + " to " + std::to_string(slice.end) + " of " +
         std::to_string(group.operations.size());
}

std::string groupComment(const TagGroup& group) {
  return group.description.empty() ? "Operations of \"" + group.name + "\"." : group.description;
}

void printRunsClassHead(emit::Printer& p, const std::string& comment, const std::string& type, std::size_t runs) {
  p.print("\n");
  printComment(p, comment + "\n\nIts operations are declared in runs, one per part (" + type +
                      "Part1 ...),\nso that no unit compiles them all.");
  const std::string head = "class " + type + " : ";
  p.print("$head$", {{"head", head}});
  for (std::size_t n = 1; n <= runs; ++n) {
    p.print("$indent$public $type$Part$n$$comma$", {{"indent", n == 1 ? "" : std::string(head.size(), ' ')},
                                                     {"type", type},
                                                     {"n", std::to_string(n)},
                                                     {"comma", n == runs ? "" : ",\n"}});
  }
}

std::string htmlEscaped(const std::string& text) {
  static constexpr std::pair<char, std::string_view> kEntities[] = {
      {'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}, {'"', "&quot;"}, {'\'', "&apos;"}};
  if (text.find_first_of("&<>\"'") == std::string::npos) return text;
  std::string out;
  for (char c : text) {
    const auto* entity =
        std::find_if(std::begin(kEntities), std::end(kEntities), [c](const auto& e) { return e.first == c; });
    if (entity == std::end(kEntities)) {
      out += c;
    } else {
      out += entity->second;
    }
  }
  return out;
}

void printComment(emit::Printer& p, const std::string& text) {
  // commentLines indents each line itself; the text goes in raw (no $ substitution).
  p.raw(commentLines(text, std::string(static_cast<std::size_t>(p.indentation()), ' ')));
}

}  // namespace tether::codegen
