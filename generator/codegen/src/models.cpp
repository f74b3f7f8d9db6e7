// The models emitter: prepares the data of templates/models/ from the IR's types. All text
// that depends on the spec (names, literals, type expressions, comments) is made here; the
// templates hold the shape of the code.
#include "tether/codegen/models.h"

#include <algorithm>
#include <functional>
#include <map>
#include <utility>
#include <vector>

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

// Splits `weights` into `parts` consecutive slices of about equal total weight (some may be
// empty), so no unit of a large spec is much longer to compile than the others.
std::vector<PartRange> weightedRanges(const std::vector<std::size_t>& weights, std::size_t parts) {
  parts = std::max<std::size_t>(parts, 1);
  std::size_t total = 0;
  for (std::size_t w : weights) total += w;
  std::vector<PartRange> out;
  std::size_t begin = 0, sum = 0;
  for (std::size_t n = 0; n < parts; ++n) {
    std::size_t end = begin;
    // Slice n ends where the running total reaches (n + 1) / parts of the whole.
    while (end < weights.size() && (n + 1 == parts || (sum + weights[end]) * parts <= total * (n + 1))) {
      sum += weights[end++];
    }
    if (end == begin && end < weights.size() && n + 1 < parts && sum * parts < total * (n + 1)) sum += weights[end++];
    out.push_back({begin, end});
    begin = end;
  }
  return out;
}

class ModelsEmitter {
 public:
  ModelsEmitter(const CppTypes& types, const CodegenOptions& options)
      : api_(types.api()), options_(options), types_(types) {
    for (TypeId id : types_.order()) {
      if (types_.sameAs(id) != id) sames_[types_.sameAs(id)].push_back(id);
    }
  }

  GeneratedFiles emit() {
    GeneratedFiles files;
    // The declarations: every type but those that share another's (they are aliases,
    // written right after the declaration they share).
    std::vector<TypeId> declared;
    for (TypeId id : types_.order()) {
      if (types_.sameAs(id) == id) declared.push_back(id);
    }
    Data header = common("Models: one C++ type per schema, with JSON reading and writing.");
    Data forward = forwardDeclarations(declared);
    header.set("hasForward", !forward.is_empty_list());
    put(header, "forward", std::move(forward));
    Data decls = list();
    for (TypeId id : declared) append(decls, declaration(id));
    put(header, "decls", std::move(decls));
    files.push_back({"models.h", finish(tidy(render("models.h", header)), options_)});

    // Definitions, chunked so a large spec compiles in parallel.
    std::vector<TypeId> defined;
    std::vector<std::size_t> weights;
    for (TypeId id : declared) {
      if (types_.declKind(id) == DeclKind::Alias) continue;
      defined.push_back(id);
      const Type& type = api_.type(id);
      weights.push_back(4 + type.fields.size() + type.enumValues.size() + type.variants.size());
    }
    std::vector<PartRange> ranges = weightedRanges(weights, options_.parts);
    for (std::size_t n = 0; n < ranges.size(); ++n) {
      Data source = common("Models: JSON reading and writing (part " + std::to_string(n + 1) + ").");
      source.set("header", "models.h");
      Data part = list();
      for (std::size_t i = ranges[n].begin; i < ranges[n].end; ++i) append(part, declaration(defined[i]));
      put(source, "decls", std::move(part));
      files.push_back({"models_" + std::to_string(n + 1) + ".cpp", finish(tidy(render("models.cpp", source)), options_)});
    }
    files.push_back({"models_catalog.cpp", finish(tidy(render("models.cpp", catalog(types_.order()))), options_)});
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
      append(entries, std::move(e));
    }
    Data table;
    put(table, "entries", std::move(entries));
    if (!names.empty()) table.set("count", std::to_string(names.size()));
    put(source, "catalog", std::move(table));
    return source;
  }

  Data common(const std::string& what) const {
    Data d;
    d.set("banner", banner(api_, options_, what));
    d.set("namespace", options_.cppNamespace);
    return d;
  }

  // The structs and unions named before their declaration (behind a Box, a vector or a
  // map): only those need a forward declaration.
  Data forwardDeclarations(const std::vector<TypeId>& declared) const {
    std::vector<bool> done(api_.types.size(), false), needed(api_.types.size(), false);
    std::function<void(TypeId)> mention = [&](TypeId t) {
      if (t == ir::kNoType) return;
      t = types_.sameAs(t);
      DeclKind kind = types_.declKind(t);
      const Type& type = api_.type(t);
      if (kind == DeclKind::Struct || kind == DeclKind::Union) {
        if (!done[static_cast<std::size_t>(t)]) needed[static_cast<std::size_t>(t)] = true;
      } else if (kind == DeclKind::None) {
        if (type.kind == ir::TypeKind::Array) mention(type.items);
        if (type.kind == ir::TypeKind::Map) mention(type.extraType);
      }
    };
    for (TypeId id : declared) {
      const Type& type = api_.type(id);
      switch (types_.declKind(id)) {
        case DeclKind::Struct:
          for (const ir::Field& field : type.fields) mention(field.type);
          if (type.extra == ir::ExtraProperties::Typed) mention(type.extraType);
          break;
        case DeclKind::Union:
          for (TypeId variant : type.variants) mention(variant);
          break;
        case DeclKind::Alias:
          if (type.kind == ir::TypeKind::Array) mention(type.items);
          if (type.kind == ir::TypeKind::Map) mention(type.extraType);
          break;
        default:
          break;
      }
      done[static_cast<std::size_t>(id)] = true;
    }
    Data forward = list();
    for (TypeId id : declared) {
      if (!needed[static_cast<std::size_t>(id)]) continue;
      Data f;
      f.set("name", api_.type(id).cppName);
      append(forward, std::move(f));
    }
    return forward;
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
    // The inline schemas that are the same as this one: their names, as aliases.
    auto same = sames_.find(id);
    if (same != sames_.end()) {
      Data aliases = list();
      for (TypeId alias : same->second) {
        Data a;
        a.set("name", api_.type(alias).cppName);
        a.set("comment", typeComment(api_.type(alias)));
        a.set("target", type.cppName);
        append(aliases, std::move(a));
      }
      put(d, "sames", std::move(aliases));
    }
    return d;
  }

  void enumData(const Type& type, Data& d) const {
    d.set("isEnum", true);
    Data values = list();
    bool strings = true;
    for (const CppTypes::Enumerator& e : types_.enumerators(type.id)) {
      Data v;
      v.set("name", e.name);
      std::string literal;
      if (e.value.is_string()) {
        literal = cppString(e.value.get<std::string>());
      } else {
        strings = false;
        // INT64_MIN has no literal of its own (-9223372036854775808 is the negation of a
        // literal too large for long); above INT64_MAX the literal must be unsigned.
        std::string digits = e.value.dump();
        bool huge = e.value.is_number_unsigned() && e.value.get<std::uint64_t>() > 9223372036854775807u;
        literal = huge ? digits + "u" : digits == "-9223372036854775808" ? std::string("(-9223372036854775807 - 1)") : digits;
      }
      // {enumerator, JSON value}: spelled here, as `{{` would open a mustache tag.
      v.set("entry", "{" + type.cppName + "::" + e.name + ", " + literal + "}");
      append(values, std::move(v));
    }
    d.set("macro", strings ? "TETHER_MODEL_STRING_ENUM" : "TETHER_MODEL_INTEGER_ENUM");
    d.set("table", strings ? "EnumText" : "EnumInteger");
    put(d, "enumerators", std::move(values));
  }

  void structData(const Type& type, Data& d) const {
    d.set("isStruct", true);
    naming::Scope members;
    Data fields = list();
    for (const ir::Field& field : type.fields) {
      members.claimExact(field.cppName);
      Data f;
      f.set("name", field.cppName);
      f.set("comment", fieldComment(field));
      f.set("type", types_.memberExpr(field.type, field.nullable || admitsNullEnum(field.type), field.required, type.id));
      // {"json", v.member}: spelled here, as `{{` would open a mustache tag.
      f.set("entry", "{" + cppString(field.jsonName) + ", v." + field.cppName + "}");
      append(fields, std::move(f));
    }
    put(d, "fields", std::move(fields));
    if (!type.fields.empty()) {
      Data table;
      table.set("count", std::to_string(type.fields.size()));
      table.set("open", "{{");
      table.set("close", "}}");
      put(d, "table", std::move(table));
    }
    std::string extraName = members.claim("additional_properties", naming::Case::Snake);
    Data extra;
    extra.set("name", extraName);
    switch (type.extra) {
      case ir::ExtraProperties::Allowed:
        extra.set("type", "nlohmann::json");
        extra.set("init", " = nlohmann::json::object()");
        extra.set("what", "any value");
        put(d, "extra", std::move(extra));
        d.set("readExtra", "tether::model::Extra::any(out." + extraName + ")");
        d.set("writeExtra", ", value." + extraName);
        break;
      case ir::ExtraProperties::Typed:
        extra.set("type", "std::map<std::string, " + types_.useExpr(type.extraType) + ">");
        extra.set("init", "");
        extra.set("what", "each one checked against additionalProperties");
        put(d, "extra", std::move(extra));
        d.set("readExtra", "tether::model::Extra::typed(out." + extraName + ")");
        d.set("writeExtra", ", value." + extraName);
        break;
      case ir::ExtraProperties::Forbidden:
        d.set("readExtra", "tether::model::Extra::forbidden()");
        d.set("writeExtra", "");
        break;
    }
    // A struct with no members and no others reads and writes nothing of its own: its
    // parameters stay unnamed.
    bool empty = type.fields.empty() && type.extra == ir::ExtraProperties::Forbidden;
    d.set("out", empty ? "" : " out");
    d.set("value", empty ? "" : " value");
  }

  void unionData(const Type& type, Data& d) const {
    d.set("isUnion", true);
    std::string alternatives;
    for (TypeId variant : type.variants) {
      if (!alternatives.empty()) alternatives += ", ";
      alternatives += types_.needsBox(type.id, variant)
                          ? "tether::model::Box<" + api_.type(types_.sameAs(variant)).cppName + ">"
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
          m.set("entry", "{" + cppString(value) + ", " + std::to_string(i) + "}");
          append(mapping, std::move(m));
          break;
        }
      }
      put(disc, "mapping", std::move(mapping));
      put(d, "discriminator", std::move(disc));
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
  const CppTypes& types_;
  std::map<TypeId, std::vector<TypeId>> sames_;  // declaration -> the types that share it
};

}  // namespace

GeneratedFiles emitModels(const ir::Api& api, const CodegenOptions& options) {
  return emitModels(CppTypes(api), options);
}

GeneratedFiles emitModels(const CppTypes& types, const CodegenOptions& options) {
  return ModelsEmitter(types, options).emit();
}

}  // namespace tether::codegen
