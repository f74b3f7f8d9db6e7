// The models emitter: prepares the data of templates/models/ from the IR's types. All text
// that depends on the spec (names, literals, type expressions, comments) is made here; the
// templates hold the shape of the code.
#include "tether/codegen/models.h"

#include <algorithm>
#include <set>
#include <utility>

#include "render.h"
#include "tether/codegen/cpp_types.h"
#include "tether/naming/namer.h"

namespace tether::codegen {

namespace {

using ir::Type;
using ir::TypeId;

std::string typeComment(const Type& type) {
  std::string text = type.description.empty() ? type.title : type.description;
  if (type.deprecated) text += (text.empty() ? "" : "\n") + std::string("Deprecated.");
  if (!type.named) text += (text.empty() ? "" : "\n") + std::string("The schema at ") + type.origin.pointer + ".";
  return text.empty() ? "" : commentLines(text);
}

std::string fieldComment(const ir::Field& field) {
  std::string text = field.description;
  auto add = [&text](const std::string& note) { text += (text.empty() ? "" : "\n") + note; };
  if (field.readOnly) add("Read-only: sent by the server, never accepted in a request.");
  if (field.writeOnly) add("Write-only: accepted in a request, never returned.");
  if (field.deprecated) add("Deprecated.");
  if (field.defaultValue) add("Default when absent: " + field.defaultValue->dump() + ".");
  return text.empty() ? "" : commentLines(text, "  ");
}

// Runs of blank lines (left by sections that render nothing) become one, so unformatted
// output (--no-format, the golden tests) reads as well as formatted output.
std::string tidy(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t newlines = 0;
  for (char c : text) {
    if (c == '\n') {
      if (++newlines > 2) continue;
    } else {
      newlines = 0;
    }
    out += c;
  }
  return out;
}

class ModelsEmitter {
 public:
  ModelsEmitter(const ir::Api& api, const CodegenOptions& options) : api_(api), options_(options), types_(api) {}

  GeneratedFiles emit() {
    GeneratedFiles files;
    const std::vector<TypeId>& order = types_.order();
    Data header = common("Models: one C++ type per schema, with JSON reading and writing.");
    Data forward = list();
    for (TypeId id : order) {
      DeclKind kind = types_.declKind(id);
      if (kind != DeclKind::Struct && kind != DeclKind::Union) continue;
      Data f;
      f.set("keyword", "struct");
      f.set("name", api_.type(id).cppName);
      forward.push_back(f);
    }
    header.set("forward", forward);
    Data decls = list();
    for (TypeId id : order) decls.push_back(declaration(id));
    header.set("decls", decls);
    files.push_back({"models.h", finish(tidy(render("models.h", header)), options_)});

    // Definitions, chunked so a large spec compiles in parallel.
    std::vector<TypeId> defined;
    for (TypeId id : order) {
      if (types_.declKind(id) != DeclKind::Alias) defined.push_back(id);
    }
    std::vector<PartRange> ranges = partRanges(defined.size(), options_.parts);
    for (std::size_t n = 0; n < ranges.size(); ++n) {
      Data source = common("Models: JSON reading and writing (part " + std::to_string(n + 1) + ").");
      source.set("header", "models.h");
      Data part = list();
      for (std::size_t i = ranges[n].begin; i < ranges[n].end; ++i) part.push_back(declaration(defined[i]));
      source.set("decls", part);
      files.push_back({"models_" + std::to_string(n + 1) + ".cpp", finish(tidy(render("models.cpp", source)), options_)});
    }
    files.push_back({"models_catalog.cpp", finish(tidy(render("models.cpp", catalog(order))), options_)});
    return files;
  }

 private:
  // The catalog: reserialize() by schema name for every declared type, so a test can
  // round-trip any example of any spec without knowing its C++ types.
  Data catalog(const std::vector<TypeId>& order) const {
    Data source = common("Models: the catalog of every type by its schema name.");
    source.set("header", "models.h");
    source.set("decls", list());
    std::vector<std::pair<std::string, std::string>> names;  // schema name, C++ name
    // A schema that admits null reads null: its entry is the Nullable of its type.
    for (TypeId id : order) {
      names.emplace_back(api_.type(id).name, types_.expr(id, api_.type(id).nullable || admitsNullEnum(id)));
    }
    // Byte order, as std::string_view compares, for the generated binary search.
    std::sort(names.begin(), names.end());
    Data entries = list();
    for (const auto& [name, cppName] : names) {
      Data e;
      e.set("literal", cppString(name));
      e.set("name", cppName);
      entries.push_back(e);
    }
    Data table;
    table.set("entries", entries);
    if (!names.empty()) table.set("count", std::to_string(names.size()));
    source.set("catalog", table);
    return source;
  }

  Data common(const std::string& what) const {
    Data d;
    d.set("banner", banner(api_, options_, what));
    d.set("namespace", options_.cppNamespace);
    return d;
  }

  Data declaration(TypeId id) const {
    const Type& type = api_.type(id);
    Data d;
    d.set("name", type.cppName);
    d.set("comment", typeComment(type));
    switch (types_.declKind(id)) {
      case DeclKind::Enum:
        enumData(type, d);
        break;
      case DeclKind::Alias:
        d.set("isAlias", true);
        d.set("target", types_.aliasTarget(id));
        break;
      case DeclKind::Struct:
        structData(type, d);
        break;
      case DeclKind::Union:
        unionData(type, d);
        break;
      case DeclKind::None:
        break;
    }
    return d;
  }

  void enumData(const Type& type, Data& d) const {
    d.set("isEnum", true);
    d.set("adl", true);
    Data values = list();
    bool strings = true;
    for (const CppTypes::Enumerator& e : types_.enumerators(type.id)) {
      Data v;
      v.set("name", e.name);
      v.set("type", type.cppName);
      if (e.value.is_string()) {
        v.set("literal", cppString(e.value.get<std::string>()));
      } else {
        strings = false;
        // INT64_MIN has no literal of its own (-9223372036854775808 is the negation of a
        // literal too large for long); above INT64_MAX the literal must be unsigned.
        std::string digits = e.value.dump();
        bool huge = e.value.is_number_unsigned() && e.value.get<std::uint64_t>() > 9223372036854775807u;
        v.set("literal", huge ? digits + "u"
                         : digits == "-9223372036854775808" ? std::string("(-9223372036854775807 - 1)")
                                                            : digits);
      }
      values.push_back(v);
    }
    d.set(strings ? "stringEnum" : "integerEnum", true);
    d.set("enumerators", values);
  }

  void structData(const Type& type, Data& d) const {
    d.set("isStruct", true);
    d.set("adl", true);
    naming::Scope members;
    Data fields = list();
    int required = 0;
    for (const ir::Field& field : type.fields) {
      members.claimExact(field.cppName);
      Data f;
      f.set("name", field.cppName);
      f.set("comment", fieldComment(field));
      f.set("type", types_.memberExpr(field.type, field.nullable || admitsNullEnum(field.type), field.required, type.id));
      f.set("literal", cppString(field.jsonName));
      f.set("required", field.required);
      if (field.required) {
        Data slot;
        slot.set("index", std::to_string(required++));
        f.set("slot", slot);
        f.set("missing", cppString("missing required member \"" + field.jsonName + "\""));
      }
      fields.push_back(f);
    }
    d.set("fields", fields);
    if (required > 0) d.set("requiredCount", std::to_string(required));
    std::string extraName = members.claim("additional_properties", naming::Case::Snake);
    d.set("extraName", extraName);
    Data extra;
    extra.set("name", extraName);
    switch (type.extra) {
      case ir::ExtraProperties::Allowed:
        d.set("extraAllowed", true);
        extra.set("type", "nlohmann::json");
        extra.set("init", " = nlohmann::json::object()");
        extra.set("what", "any value");
        d.set("extra", extra);
        break;
      case ir::ExtraProperties::Typed:
        d.set("extraTyped", true);
        extra.set("type", "std::map<std::string, " + types_.useExpr(type.extraType) + ">");
        extra.set("init", "");
        extra.set("what", "each one checked against additionalProperties");
        d.set("extra", extra);
        break;
      case ir::ExtraProperties::Forbidden:
        d.set("extraForbidden", true);
        break;
    }
  }

  void unionData(const Type& type, Data& d) const {
    d.set("isUnion", true);
    d.set("adl", true);
    std::string alternatives;
    for (TypeId variant : type.variants) {
      if (!alternatives.empty()) alternatives += ", ";
      alternatives += types_.needsBox(type.id, variant) ? "tether::model::Box<" + api_.type(variant).cppName + ">"
                                                       : types_.useExpr(variant);
    }
    if (type.variants.empty()) alternatives = "nlohmann::json";
    d.set("alternatives", alternatives);
    std::string what = type.kind == ir::TypeKind::OneOf ? "Exactly one of" : "At least one of";
    if (type.discriminator) {
      what += " the alternatives, chosen by the member \"" + type.discriminator->propertyName + "\".";
      Data disc;
      disc.set("property", cppString(type.discriminator->propertyName));
      Data mapping = list();
      for (const auto& [value, target] : type.discriminator->mapping) {
        for (std::size_t i = 0; i < type.variants.size(); ++i) {
          if (type.variants[i] != target) continue;
          Data m;
          m.set("literal", cppString(value));
          m.set("index", std::to_string(i));
          mapping.push_back(m);
          break;
        }
      }
      disc.set("mapping", mapping);
      d.set("discriminator", disc);
    } else {
      what += " the alternatives; reading takes the first that reads.";
    }
    d.set("unionWhat", what);
  }

  // An enum that lists null among its values admits null wherever it is used.
  bool admitsNullEnum(TypeId id) const {
    if (id == ir::kNoType || types_.declKind(id) != DeclKind::Enum) return false;
    for (const ir::Json& value : api_.type(id).enumValues) {
      if (value.is_null()) return true;
    }
    return false;
  }

  const ir::Api& api_;
  const CodegenOptions& options_;
  CppTypes types_;
};

}  // namespace

GeneratedFiles emitModels(const ir::Api& api, const CodegenOptions& options) {
  return ModelsEmitter(api, options).emit();
}

}  // namespace tether::codegen
