// The schema compiler: walks a schema (following $ref through the Resolver) and emits
// one Block of Instructions per distinct subschema location. Blocks are memoized by
// location, so recursive schemas compile to cyclic block graphs, never infinitely.
#include "tether/schema/compiler.h"

#include <algorithm>
#include <unordered_map>

#include "dialect.h"
#include "fast_plan.h"
#include "formats.h"
#include "json_pointer.h"
#include "numbers.h"
#include "resolver.h"
#include "tether/schema/regex.h"
#include "uri.h"

namespace tether::schema {

namespace {

using detail::SchemaInfo;
using detail::SchemaRef;
using nlohmann::json;

// An instruction whose children are not yet appended to Program::children (children
// of one instruction must be contiguous, and compiling a child appends other ranges).
struct Pending {
  Instruction ins;
  std::vector<Child> kids;
};

bool isInPlace(Op op) {
  switch (op) {
    case Op::AllOf: case Op::AnyOf: case Op::OneOf: case Op::Not: case Op::IfThenElse:
    case Op::DependentSchemas: case Op::Ref: case Op::DynamicRef:
      return true;
    default:
      return false;
  }
}

class Compiler {
 public:
  Compiler(const Registry& registry, const CompileOptions& options)
      : resolver_(registry, options), options_(options) {}

  Program run(const json& schema) {
    SchemaRef root = resolver_.addRoot(schema);
    program_.root = compileSchema(root, 0);
    if (program_.uses_dynamic_scope) fillDynamicAnchors();
    detectLoops();
    detail::prepareFastMode(program_);
    return std::move(program_);
  }

 private:
  // Context of the schema object being compiled.
  struct Ctx {
    SchemaRef ref;
    const json* node;
    SchemaInfo info;
    std::size_t depth;
    std::vector<Pending>* out;
    std::string absolute;  // the schema's absolute location (base#pointer)
    bool collects = false;
  };

  [[noreturn]] void fail(const Ctx& c, const std::string& keyword, const std::string& message) {
    throw CompileError(resolver_.absoluteLocation(c.ref, "/" + detail::escapePointerToken(keyword)),
                       message);
  }

  std::uint32_t intern(const std::string& s) {
    auto [it, added] = strings_.emplace(s, static_cast<std::uint32_t>(program_.strings.size()));
    if (added) program_.strings.push_back(s);
    return it->second;
  }

  std::uint32_t value(const json& v) {
    program_.values.push_back(v);
    return static_cast<std::uint32_t>(program_.values.size() - 1);
  }

  std::uint32_t regex(const Ctx& c, const std::string& keyword, const std::string& source) {
    auto found = regexes_.find(source);
    if (found != regexes_.end()) return found->second;
    std::string error;
    auto compiled = Regex::compile(source, error);
    if (!compiled && options_.lenient_patterns) {
      std::string relaxed = Regex::withoutIdentityEscapes(source);
      std::string ignored;
      if (relaxed != source) compiled = Regex::compile(relaxed, ignored);
      if (!compiled) {
        if (std::optional<std::string> rewritten = Regex::fromForeignDialect(source)) {
          compiled = Regex::compile(*rewritten, ignored);
        }
      }
    }
    if (!compiled) fail(c, keyword, "invalid regular expression \"" + source + "\": " + error);
    program_.regexes.push_back(std::move(compiled));
    auto index = static_cast<std::uint32_t>(program_.regexes.size() - 1);
    regexes_.emplace(source, index);
    return index;
  }

  // A `pattern`'s regex, or nothing when it does not compile and skip_invalid_patterns says
  // to leave it out (recorded in skipped_patterns).
  std::optional<std::uint32_t> optionalRegex(const Ctx& c, const std::string& source) {
    if (!options_.skip_invalid_patterns) return regex(c, "pattern", source);
    try {
      return regex(c, "pattern", source);
    } catch (const CompileError& e) {
      program_.skipped_patterns.push_back({e.keywordLocation(), source, e.reason()});
      return std::nullopt;
    }
  }

  std::uint32_t resourceIndex(const std::string& uri) {
    auto [it, added] = resources_.emplace(uri, static_cast<std::uint32_t>(program_.resources.size()));
    if (added) program_.resources.push_back(Resource{uri, {}});
    return it->second;
  }

  std::uint32_t location(const Ctx& c, const std::string& keyword) {
    std::string relative = keyword.empty() ? "" : "/" + detail::escapePointerToken(keyword);
    // (absoluteLocation(c.ref, relative), without looking the schema up again for each
    // instruction: a third of the compile time of a large spec.)
    program_.locations.push_back(Location{relative, c.absolute + relative});
    return static_cast<std::uint32_t>(program_.locations.size() - 1);
  }

  Pending& emit(Ctx& c, Op op, const std::string& keyword, std::uint32_t a = 0, std::uint32_t b = 0) {
    Pending p;
    p.ins.op = op;
    p.ins.a = a;
    p.ins.b = b;
    p.ins.location = location(c, keyword);
    c.out->push_back(std::move(p));
    return c.out->back();
  }

  // Compiles the subschema at `path` (relative to the current schema) as a child.
  Child child(const Ctx& c, const std::string& path, std::uint32_t key = kNone) {
    SchemaRef ref{c.ref.doc, c.ref.pointer + path};
    const json& n = resolver_.node(ref);
    if (!n.is_object() && !n.is_boolean())
      throw CompileError(resolver_.absoluteLocation(ref), "a subschema must be an object or a boolean");
    return Child{compileSchema(ref, c.depth + 1), key, intern(path)};
  }

  std::uint32_t count(const Ctx& c, const std::string& keyword, const json& v) {
    if (!v.is_number() || !detail::isIntegral(v) || detail::compareNumbers(v, json(0)) < 0)
      fail(c, keyword, "must be a non-negative integer");
    if (detail::compareNumbers(v, json(0xFFFFFFFEu)) > 0) return 0xFFFFFFFEu;
    return static_cast<std::uint32_t>(v.get<double>());
  }

  std::uint32_t nameList(std::vector<std::string> names, bool sorted) {
    if (sorted) std::sort(names.begin(), names.end());
    std::vector<std::uint32_t> ids;
    for (auto& n : names) ids.push_back(intern(n));
    program_.name_lists.push_back(std::move(ids));
    return static_cast<std::uint32_t>(program_.name_lists.size() - 1);
  }

  std::vector<std::string> stringArray(const Ctx& c, const std::string& keyword, const json& v) {
    if (!v.is_array()) fail(c, keyword, "must be an array of strings");
    std::vector<std::string> out;
    for (auto& e : v) {
      if (!e.is_string()) fail(c, keyword, "must be an array of strings");
      out.push_back(e.get<std::string>());
    }
    return out;
  }

  std::uint32_t compileSchema(const SchemaRef& ref, std::size_t depth) {
    std::string key = ref.key();
    if (auto it = blocks_.find(key); it != blocks_.end()) return it->second;
    if (depth > options_.max_schema_depth)
      throw CompileError(resolver_.absoluteLocation(ref), "schema nested too deeply (or $ref chain too long)");
    auto index = static_cast<std::uint32_t>(program_.blocks.size());
    program_.blocks.emplace_back();
    blocks_.emplace(key, index);

    SchemaInfo info = resolver_.info(ref);
    const json& node = resolver_.node(ref);
    std::vector<Pending> code;
    std::uint32_t resource = resourceIndex(info.base);
    std::string absolute = resolver_.absoluteLocation(ref);
    Ctx c{ref, &node, info, depth, &code, absolute};

    if (node.is_boolean()) {
      if (!node.get<bool>()) emit(c, Op::Fail, "");
    } else if (node.is_object()) {
      compileKeywords(c);
    } else {
      throw CompileError(absolute, "a schema must be an object or a boolean");
    }

    Block& block = program_.blocks[index];
    block.resource = resource;
    block.collects = c.collects;
    block.absolute = std::move(absolute);
    block.begin = static_cast<std::uint32_t>(program_.instructions.size());
    for (auto& p : code) {
      p.ins.child_begin = static_cast<std::uint32_t>(program_.children.size());
      p.ins.child_count = static_cast<std::uint32_t>(p.kids.size());
      program_.children.insert(program_.children.end(), p.kids.begin(), p.kids.end());
      program_.instructions.push_back(p.ins);
    }
    program_.blocks[index].end = static_cast<std::uint32_t>(program_.instructions.size());
    return index;
  }

  const json* get(const Ctx& c, const char* keyword) const {
    auto it = c.node->find(keyword);
    return it == c.node->end() ? nullptr : &*it;
  }

  void compileRef(Ctx& c, const char* keyword, bool dynamic) {
    const json* v = get(c, keyword);
    if (!v) return;
    if (!v->is_string()) fail(c, keyword, "must be a string");
    std::string target_uri = detail::resolveUri(c.info.base, v->get<std::string>());
    auto target = resolver_.resolve(target_uri);
    if (!target) fail(c, keyword, std::string("unresolvable ") + keyword + " \"" + v->get<std::string>() + "\" (" + target_uri + ")");
    std::string fragment = detail::fragmentOf(target_uri);
    bool is_dynamic = dynamic && !fragment.empty() && fragment[0] != '/' &&
                      resolver_.isDynamicAnchor(*target, fragment);
    if (is_dynamic) program_.uses_dynamic_scope = true;
    Child k{compileSchema(*target, c.depth + 1), kNone, intern("/" + std::string(keyword))};
    emit(c, dynamic ? Op::DynamicRef : Op::Ref, keyword, dynamic ? intern(fragment) : 0, is_dynamic ? 1 : 0)
        .kids.push_back(k);
  }

  void compileKeywords(Ctx& c) {
    const json& n = *c.node;
    const Dialect d = c.info.dialect;
    const bool legacy = detail::isLegacy(d);
    const bool modern = !legacy;
    const bool validation = c.info.vocab & detail::kVocabValidation;
    const bool applicator = c.info.vocab & detail::kVocabApplicator;
    const bool unevaluated = modern && (c.info.vocab & detail::kVocabUnevaluated);

    if (legacy && n.contains("$ref")) {  // draft 7 / OpenAPI 3.0: $ref overrides siblings
      compileRef(c, "$ref", false);
      return;
    }

    if (validation) compileValidation(c, legacy);
    if (c.info.vocab & (detail::kVocabFormatAnnotation | detail::kVocabFormatAssertion)) compileFormat(c);
    if (applicator) compileApplicators(c, d);
    if (d == Dialect::Draft7) compileContent(c);
    compileRef(c, "$ref", false);
    if (modern) compileRef(c, "$dynamicRef", true);

    if (c.info.vocab & detail::kVocabMetaData) {
      if (const json* v = get(c, "readOnly")) {
        if (!v->is_boolean()) fail(c, "readOnly", "must be a boolean");
        if (v->get<bool>()) emit(c, Op::ReadOnly, "readOnly");
      }
      if (const json* v = get(c, "writeOnly")) {
        if (!v->is_boolean()) fail(c, "writeOnly", "must be a boolean");
        if (v->get<bool>()) emit(c, Op::WriteOnly, "writeOnly");
      }
    }

    // unevaluated* go last: they read the annotations of every sibling keyword.
    if (unevaluated) {
      if (get(c, "unevaluatedItems")) {
        Child k = child(c, "/unevaluatedItems");
        emit(c, Op::UnevaluatedItems, "unevaluatedItems").kids.push_back(k);
        c.collects = true;
      }
      if (get(c, "unevaluatedProperties")) {
        Child k = child(c, "/unevaluatedProperties");
        emit(c, Op::UnevaluatedProperties, "unevaluatedProperties").kids.push_back(k);
        c.collects = true;
      }
    }
  }

  void compileValidation(Ctx& c, bool legacy) {
    const json& n = *c.node;
    if (const json* v = get(c, "type")) {
      std::uint32_t mask = 0;
      auto bit = [&](const json& t) {
        if (!t.is_string()) fail(c, "type", "must be a type name or an array of type names");
        const std::string& s = t.get_ref<const std::string&>();
        if (s == "null") mask |= kTypeNull;
        else if (s == "boolean") mask |= kTypeBoolean;
        else if (s == "object") mask |= kTypeObject;
        else if (s == "array") mask |= kTypeArray;
        else if (s == "number") mask |= kTypeNumber | kTypeInteger;
        else if (s == "string") mask |= kTypeString;
        else if (s == "integer") mask |= kTypeInteger;
        else fail(c, "type", "unknown type \"" + s + "\"");
      };
      if (v->is_array()) for (auto& t : *v) bit(t);
      else bit(*v);
      if (c.info.dialect == Dialect::OpenApi30) {
        auto nullable = n.find("nullable");
        if (nullable != n.end() && nullable->is_boolean() && nullable->get<bool>()) mask |= kTypeNull;
      }
      emit(c, Op::Type, "type", mask);
    }
    if (const json* v = get(c, "enum")) {
      if (!v->is_array()) fail(c, "enum", "must be an array");
      emit(c, Op::Enum, "enum", value(*v));
    }
    if (const json* v = get(c, "const"); v && c.info.dialect != Dialect::OpenApi30) emit(c, Op::Const, "const", value(*v));

    auto number = [&](const char* keyword) -> const json* {
      const json* v = get(c, keyword);
      if (v && !v->is_number()) fail(c, keyword, "must be a number");
      return v;
    };
    if (const json* v = number("multipleOf")) {
      if (detail::compareNumbers(*v, json(0)) <= 0) fail(c, "multipleOf", "must be greater than 0");
      emit(c, Op::MultipleOf, "multipleOf", value(*v));
    }
    if (c.info.dialect == Dialect::OpenApi30) {
      // OpenAPI 3.0 (draft 4): boolean exclusiveMinimum/Maximum modify minimum/maximum.
      auto flag = [&](const char* keyword) {
        const json* v = get(c, keyword);
        if (v && !v->is_boolean()) fail(c, keyword, "must be a boolean in OpenAPI 3.0");
        return v && v->get<bool>();
      };
      if (const json* v = number("minimum"))
        flag("exclusiveMinimum") ? (void)emit(c, Op::ExclusiveMinimum, "minimum", value(*v))
                                 : (void)emit(c, Op::Minimum, "minimum", value(*v));
      if (const json* v = number("maximum"))
        flag("exclusiveMaximum") ? (void)emit(c, Op::ExclusiveMaximum, "maximum", value(*v))
                                 : (void)emit(c, Op::Maximum, "maximum", value(*v));
    } else {
      if (const json* v = number("minimum")) emit(c, Op::Minimum, "minimum", value(*v));
      if (const json* v = number("maximum")) emit(c, Op::Maximum, "maximum", value(*v));
      if (const json* v = number("exclusiveMinimum")) emit(c, Op::ExclusiveMinimum, "exclusiveMinimum", value(*v));
      if (const json* v = number("exclusiveMaximum")) emit(c, Op::ExclusiveMaximum, "exclusiveMaximum", value(*v));
    }
    if (const json* v = get(c, "minLength")) emit(c, Op::MinLength, "minLength", count(c, "minLength", *v));
    if (const json* v = get(c, "maxLength")) emit(c, Op::MaxLength, "maxLength", count(c, "maxLength", *v));
    if (const json* v = get(c, "pattern")) {
      if (!v->is_string()) fail(c, "pattern", "must be a string");
      if (std::optional<std::uint32_t> r = optionalRegex(c, v->get<std::string>())) emit(c, Op::Pattern, "pattern", *r);
    }
    if (const json* v = get(c, "minItems")) emit(c, Op::MinItems, "minItems", count(c, "minItems", *v));
    if (const json* v = get(c, "maxItems")) emit(c, Op::MaxItems, "maxItems", count(c, "maxItems", *v));
    if (const json* v = get(c, "uniqueItems")) {
      if (!v->is_boolean()) fail(c, "uniqueItems", "must be a boolean");
      if (v->get<bool>()) emit(c, Op::UniqueItems, "uniqueItems");
    }
    if (const json* v = get(c, "required")) {
      auto names = stringArray(c, "required", *v);
      if (!names.empty()) emit(c, Op::Required, "required", nameList(names, false));
    }
    if (const json* v = get(c, "minProperties")) emit(c, Op::MinProperties, "minProperties", count(c, "minProperties", *v));
    if (const json* v = get(c, "maxProperties")) emit(c, Op::MaxProperties, "maxProperties", count(c, "maxProperties", *v));
    if (!legacy) {
      if (const json* v = get(c, "dependentRequired")) {
        if (!v->is_object()) fail(c, "dependentRequired", "must be an object");
        for (auto it = v->begin(); it != v->end(); ++it)
          emit(c, Op::DependentRequired, "dependentRequired", intern(it.key()),
               nameList(stringArray(c, "dependentRequired", *it), false));
      }
    }
  }

  void compileFormat(Ctx& c) {
    const json* v = get(c, "format");
    if (!v) return;
    if (!v->is_string()) fail(c, "format", "must be a string");
    bool assert = options_.format_assertion || c.info.format_assertion;
    if (!assert) return;  // format-annotation: an annotation only
    auto format = detail::formatFromName(v->get<std::string>());
    if (format) emit(c, Op::FormatAssert, "format", static_cast<std::uint32_t>(*format));
  }

  // Draft 7 lets validators assert contentEncoding/contentMediaType; 2020-12 makes them
  // annotations only, so this runs for draft 7 alone.
  void compileContent(Ctx& c) {
    const json* encoding = get(c, "contentEncoding");
    const json* media = get(c, "contentMediaType");
    bool base64 = encoding && encoding->is_string() && encoding->get<std::string>() == "base64";
    bool is_json = media && media->is_string() && media->get<std::string>() == "application/json";
    if (base64 || is_json) emit(c, Op::ContentAssert, base64 ? "contentEncoding" : "contentMediaType", base64, is_json);
  }

  void compileApplicators(Ctx& c, Dialect d) {
    const json& n = *c.node;
    const bool legacy = detail::isLegacy(d);
    const bool old_items = legacy || d == Dialect::Draft2019_09;
    const bool validation = c.info.vocab & detail::kVocabValidation;

    // Arrays.
    std::uint32_t prefix = 0;
    const json* prefix_items = old_items ? nullptr : get(c, "prefixItems");
    const json* items = get(c, "items");
    if (old_items && items && items->is_array()) prefix_items = items, items = nullptr;
    if (prefix_items) {
      const char* keyword = old_items ? "items" : "prefixItems";
      if (!prefix_items->is_array() || prefix_items->empty()) fail(c, keyword, "must be a non-empty array of schemas");
      std::vector<Child> kids;
      for (std::size_t i = 0; i < prefix_items->size(); ++i)
        kids.push_back(child(c, "/" + std::string(keyword) + "/" + std::to_string(i)));
      emit(c, Op::PrefixItems, keyword).kids = std::move(kids);
      prefix = static_cast<std::uint32_t>(prefix_items->size());
    }
    if (items) {
      Child k = child(c, "/items");
      emit(c, Op::Items, "items", prefix).kids.push_back(k);
    } else if (old_items && prefix_items && get(c, "additionalItems")) {
      Child k = child(c, "/additionalItems");
      emit(c, Op::Items, "additionalItems", prefix).kids.push_back(k);
    }
    if (get(c, "contains")) {
      std::uint32_t min = 1, max = kNone;
      if (!legacy && validation) {
        if (const json* v = get(c, "minContains")) min = count(c, "minContains", *v);
        if (const json* v = get(c, "maxContains")) max = count(c, "maxContains", *v);
      }
      Child k = child(c, "/contains");
      emit(c, Op::Contains, "contains", min, max).kids.push_back(k);
    }

    // Objects.
    std::vector<std::string> declared;
    std::vector<std::uint32_t> patterns;
    if (const json* v = get(c, "properties")) {
      if (!v->is_object()) fail(c, "properties", "must be an object");
      std::vector<Child> kids;
      for (auto it = v->begin(); it != v->end(); ++it) {
        declared.push_back(it.key());
        kids.push_back(child(c, "/properties/" + detail::escapePointerToken(it.key()), intern(it.key())));
      }
      // Sorted by name, so the evaluator can binary-search the declared properties.
      std::sort(kids.begin(), kids.end(), [&](const Child& x, const Child& y) {
        return program_.strings[x.key] < program_.strings[y.key];
      });
      if (!kids.empty()) emit(c, Op::Properties, "properties").kids = std::move(kids);
    }
    if (const json* v = get(c, "patternProperties")) {
      if (!v->is_object()) fail(c, "patternProperties", "must be an object");
      std::vector<Child> kids;
      for (auto it = v->begin(); it != v->end(); ++it) {
        std::uint32_t r = regex(c, "patternProperties", it.key());
        patterns.push_back(r);
        kids.push_back(child(c, "/patternProperties/" + detail::escapePointerToken(it.key()), r));
      }
      if (!kids.empty()) emit(c, Op::PatternProperties, "patternProperties").kids = std::move(kids);
    }
    if (get(c, "additionalProperties")) {
      Child k = child(c, "/additionalProperties");
      std::uint32_t names = nameList(declared, true);
      program_.regex_lists.push_back(patterns);
      auto regex_list = static_cast<std::uint32_t>(program_.regex_lists.size() - 1);
      emit(c, Op::AdditionalProperties, "additionalProperties", names, regex_list).kids.push_back(k);
    }
    if (get(c, "propertyNames")) {
      Child k = child(c, "/propertyNames");
      emit(c, Op::PropertyNames, "propertyNames").kids.push_back(k);
    }
    auto dependent_schemas = [&](const char* keyword, bool allow_arrays) {
      const json* v = get(c, keyword);
      if (!v) return;
      if (!v->is_object()) fail(c, keyword, "must be an object");
      std::vector<Child> kids;
      for (auto it = v->begin(); it != v->end(); ++it) {
        if (allow_arrays && it->is_array()) {
          emit(c, Op::DependentRequired, keyword, intern(it.key()),
               nameList(stringArray(c, keyword, *it), false));
        } else {
          kids.push_back(child(c, "/" + std::string(keyword) + "/" + detail::escapePointerToken(it.key()),
                               intern(it.key())));
        }
      }
      if (!kids.empty()) emit(c, Op::DependentSchemas, keyword).kids = std::move(kids);
    };
    if (!legacy) dependent_schemas("dependentSchemas", false);
    dependent_schemas("dependencies", true);  // draft 7; accepted in 2020-12 for compatibility

    // In-place applicators.
    for (auto [keyword, op] : {std::pair{"allOf", Op::AllOf}, {"anyOf", Op::AnyOf}, {"oneOf", Op::OneOf}}) {
      const json* v = get(c, keyword);
      if (!v) continue;
      if (!v->is_array() || v->empty()) fail(c, keyword, "must be a non-empty array of schemas");
      std::vector<Child> kids;
      for (std::size_t i = 0; i < v->size(); ++i)
        kids.push_back(child(c, "/" + std::string(keyword) + "/" + std::to_string(i)));
      emit(c, op, keyword).kids = std::move(kids);
    }
    if (get(c, "not")) {
      Child k = child(c, "/not");
      emit(c, Op::Not, "not").kids.push_back(k);
    }
    if (get(c, "if") && d != Dialect::OpenApi30) {
      std::vector<Child> kids{child(c, "/if"), Child{}, Child{}};
      if (n.contains("then")) kids[1] = child(c, "/then");
      if (n.contains("else")) kids[2] = child(c, "/else");
      // Emitted even without then/else: a passing `if` still contributes annotations
      // to unevaluated*.
      emit(c, Op::IfThenElse, "if").kids = std::move(kids);
    }
  }

  void fillDynamicAnchors() {
    for (std::size_t r = 0; r < program_.resources.size(); ++r) {
      std::string uri = program_.resources[r].uri;
      for (auto& [name, ref] : resolver_.dynamicAnchors(uri)) {
        std::uint32_t block = compileSchema(ref, 0);
        program_.resources[r].dynamic_anchors.emplace_back(name, block);
      }
    }
  }

  // A cycle of in-place applications (a $ref loop that never moves into the instance)
  // would recurse forever at evaluation time: reject it.
  void detectLoops() {
    const Program& p = program_;
    std::vector<std::uint8_t> color(p.blocks.size(), 0);
    struct Frame {
      std::uint32_t block;
      std::uint32_t ins;
      std::uint32_t kid;
    };
    for (std::uint32_t start = 0; start < p.blocks.size(); ++start) {
      if (color[start]) continue;
      std::vector<Frame> stack{{start, p.blocks[start].begin, 0}};
      color[start] = 1;
      while (!stack.empty()) {
        Frame& f = stack.back();
        const Block& b = p.blocks[f.block];
        if (f.ins >= b.end) {
          color[f.block] = 2;
          stack.pop_back();
          continue;
        }
        const Instruction& ins = p.instructions[f.ins];
        if (!isInPlace(ins.op) || f.kid >= ins.child_count) {
          ++f.ins;
          f.kid = 0;
          continue;
        }
        std::uint32_t next = p.children[ins.child_begin + f.kid++].block;
        if (next == kNone) continue;
        if (color[next] == 1)
          throw CompileError(p.locations[ins.location].absolute,
                             "reference loop without progress: evaluating " + p.blocks[next].absolute +
                                 " reaches itself without moving into the instance");
        if (color[next] == 0) {
          color[next] = 1;
          stack.push_back(Frame{next, p.blocks[next].begin, 0});
        }
      }
    }
  }

  detail::Resolver resolver_;
  CompileOptions options_;
  Program program_;
  std::unordered_map<std::string, std::uint32_t> blocks_;
  std::unordered_map<std::string, std::uint32_t> strings_;
  std::unordered_map<std::string, std::uint32_t> regexes_;
  std::unordered_map<std::string, std::uint32_t> resources_;
};

}  // namespace

Program compile(const json& schema, const Registry& registry, const CompileOptions& options) {
  Compiler compiler(registry, options);
  return compiler.run(schema);
}

Program compile(const json& schema, const CompileOptions& options) {
  static const Registry registry;  // only the embedded meta-schemas; never mutated
  return compile(schema, registry, options);
}

}  // namespace tether::schema
