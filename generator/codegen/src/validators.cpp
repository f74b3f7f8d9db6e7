#include "tether/codegen/validators.h"

#include <functional>
#include <stdexcept>

#include "operations.h"
#include "render.h"
#include "tether/doc/json_pointer.h"
#include "tether/emit/validators.h"
#include "tether/schema/compiler.h"
#include "tether/schema/program.h"
#include "tether/schema/registry.h"

namespace tether::codegen {

namespace {

// All schemas live in one document so that their "#/components/schemas/X" references
// resolve: named types where the IR says they are, inline ones under "x-tether-inline".
constexpr const char* kDocumentUri = "urn:tether:spec";

}  // namespace

std::string validatorName(const ir::Type& type) { return type.cppName; }

std::set<ir::TypeId> validatedTypes(const ir::Api& api) { return validatedTypes(api, SharedParams(api)); }

std::set<ir::TypeId> validatedTypes(const ir::Api& api, const SharedParams& shared) {
  std::set<ir::TypeId> out;
  // A parameter of the paths that the server and client declare once (params::<Name>)
  // validates with its first use's validator: the others, one per operation, would be
  // emitted and never called. Callbacks and webhooks keep their own.
  std::function<void(const ir::Operation&, bool)> visit = [&](const ir::Operation& op, bool path) {
    for (const ir::Parameter& p : op.parameters) {
      const SharedParams::Entry* entry = path ? shared.find(p) : nullptr;
      out.insert(entry != nullptr ? entry->param->type : p.type);
    }
    if (op.requestBody) {
      for (const ir::MediaType& m : op.requestBody->contents) out.insert(m.type);
    }
    for (const ir::Response& r : op.responses) {
      for (const ir::Header& h : r.headers) out.insert(h.type);
      for (const ir::MediaType& m : r.contents) out.insert(m.type);
    }
    for (const ir::Callback& c : op.callbacks) {
      for (const ir::Operation& inner : c.operations) visit(inner, false);
    }
  };
  for (const ir::Operation& op : api.operations) visit(op, true);
  for (const ir::Webhook& hook : api.webhooks) {
    for (const ir::Operation& op : hook.operations) visit(op, false);
  }
  out.erase(ir::kNoType);
  return out;
}

namespace {

// The document the validators compile from: named types where the IR says they are,
// the wanted inline ones under "x-tether-inline".
nlohmann::json validatorDocument(const ir::Api& api, const std::set<ir::TypeId>& wanted) {
  nlohmann::json document = {{"components", {{"schemas", nlohmann::json::object()}}},
                             {"x-tether-inline", nlohmann::json::object()}};
  for (const ir::Type& type : api.types) {
    if (type.named) {
      document["components"]["schemas"][type.name] = type.schema;
    } else if (wanted.count(type.id) != 0) {
      document["x-tether-inline"][type.name] = type.schema;
    }
  }
  return document;
}

// The tokens of a location in the document ("urn:tether:spec#/components/schemas/A/type").
std::optional<std::vector<std::string>> documentTokens(const std::string& location) {
  if (location.rfind(kDocumentUri, 0) != 0) return std::nullopt;
  std::string fragment = location.substr(location.find('#') + 1);
  std::optional<std::string> decoded = doc::percentDecode(fragment);
  return decoded ? doc::parsePointer(*decoded) : std::nullopt;
}

// Removes the keyword at `tokens` from its schema object in `document`; false when there is
// none (the error is not about one keyword's value).
bool eraseKeyword(nlohmann::json& document, const std::vector<std::string>& tokens) {
  if (tokens.empty()) return false;
  nlohmann::json* at = &document;
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (at->is_object()) {
      auto found = at->find(tokens[i]);
      if (found == at->end()) return false;
      at = &*found;
    } else if (at->is_array()) {
      std::size_t index = 0;
      if (tokens[i].empty() || tokens[i].find_first_not_of("0123456789") != std::string::npos) return false;
      index = std::stoul(tokens[i]);
      if (index >= at->size()) return false;
      at = &(*at)[index];
    } else {
      return false;
    }
  }
  return at->is_object() && at->erase(tokens.back()) == 1;
}

// A keyword the compiler refused for its value ("must be a string", a `type` that is an
// object): the one kind of error that leaving the keyword out repairs. A reference that
// does not resolve is not one of them.
bool isMalformedKeyword(const schema::CompileError& e) {
  const std::string& reason = e.reason();
  return reason.rfind("unresolvable", 0) != 0 && reason.rfind("invalid regular expression", 0) != 0;
}

constexpr std::size_t kMaxKeywordsLeftOut = 1000;

// A malformed keyword the validators leave out: where (in the compiled document) and why.
struct LeftOutKeyword {
  std::string location;
  std::string reason;
};

}  // namespace

// The one Program of the spec's validated types (`ids`, the sorted `wanted`): its root is
// {"anyOf": [{"$ref": <type>}, ...]}. Unless options.strictKeywords, a malformed keyword is
// left out and the compile retried (leftOut lists them: location, why).
schema::Program compileProgram(const ir::Api& api, const std::set<ir::TypeId>& wanted,
                               const std::vector<ir::TypeId>& ids, const ValidatorOptions& options,
                               std::vector<LeftOutKeyword>& leftOut) {
  // One Program for the whole spec: its root is {"anyOf": [{"$ref": <type>}, ...]} over every
  // validated type, and each type's validator enters at its own anyOf branch. A subschema
  // that many types share (a Problem, a Page, an ObjectMeta) compiles to one Block and is
  // emitted once; the emitter splits the Blocks between the --parts translation units.
  nlohmann::json branches = nlohmann::json::array();
  for (ir::TypeId id : ids) {
    const ir::Type& type = api.type(id);
    std::string ref = type.named ? doc::refToComponent("schemas", type.name)
                                 : doc::fragmentOf("/x-tether-inline/" + doc::escapePointerToken(type.name));
    branches.push_back({{"$ref", std::string(kDocumentUri) + ref}});
  }
  schema::CompileOptions compileOptions;
  compileOptions.base_uri = "urn:tether:entry";
  compileOptions.lenient_patterns = true;  // real-world patterns: ^[a-z\-\:]+$, \p{Alnum}, \A...\z
  compileOptions.skip_invalid_patterns = !options.strictPatterns;
  // Formats are compiled in and asserted or not per evaluation
  // (EvaluateOptions::assert_formats): servers assert them on requests by default, and one
  // generated build serves both choices.
  compileOptions.format_assertion = true;
  // A spec whose operations validate nothing still gets its (empty) files: anyOf needs at
  // least one branch, so its Program is the trivial `true`.
  const nlohmann::json root = branches.empty() ? nlohmann::json(true) : nlohmann::json{{"anyOf", branches}};
  std::vector<std::vector<std::string>> erased;  // the keywords left out so far
  for (;;) {
    // The document is built again for each try rather than kept beside the registry's copy:
    // on the largest specs it is about 100 MB, and a spec with no malformed keyword (almost
    // every one) compiles once.
    nlohmann::json document = validatorDocument(api, wanted);
    for (const std::vector<std::string>& tokens : erased) eraseKeyword(document, tokens);
    schema::Registry registry;
    registry.add(kDocumentUri, std::move(document));
    try {
      return schema::compile(root, registry, compileOptions);
    } catch (const schema::CompileError& e) {
      std::optional<std::vector<std::string>> tokens = documentTokens(e.keywordLocation());
      if (!options.strictKeywords && isMalformedKeyword(e) && tokens && erased.size() < kMaxKeywordsLeftOut) {
        nlohmann::json probe = validatorDocument(api, wanted);
        for (const std::vector<std::string>& done : erased) eraseKeyword(probe, done);
        if (eraseKeyword(probe, *tokens)) {
          erased.push_back(*tokens);
          leftOut.push_back({e.keywordLocation(), e.reason()});
          continue;
        }
      }
      // Name the type whose schema fails: compile them one by one until one throws.
      for (std::size_t i = 0; i < ids.size(); ++i) {
        const ir::Type& type = api.type(ids[i]);
        try {
          schema::compile(branches[i], registry, compileOptions);
        } catch (const schema::CompileError& inner) {
          throw std::runtime_error("the schema of " + type.name + " (" + type.origin.file + "#" +
                                   type.origin.pointer + ") does not compile: " + inner.what());
        }
      }
      throw std::runtime_error(std::string("the validators do not compile: ") + e.what());
    }
  }
}

namespace {

// A warning for what the compiler left out, in the loader's format ("file:line: warning:
// ... [#pointer] (code)"): at the line of the type that holds it, with the keyword's own
// pointer in that file. The location is one inside the compiled document
// ("urn:tether:spec#/components/schemas/Pet/properties/tag/pattern").
std::string leftOutWarning(const ir::Api& api, const std::string& location, const std::string& what,
                           const std::string& code) {
  std::string where = location;
  std::optional<std::vector<std::string>> tokens = documentTokens(location);
  const bool named = tokens && !tokens->empty() && (*tokens)[0] == "components";
  const std::size_t nameAt = named ? 2 : 1;
  std::string pointer = location.substr(location.find('#') + 1);
  for (const ir::Type& type : api.types) {
    if (!tokens || tokens->size() <= nameAt) break;
    if (type.named != named || type.name != (*tokens)[nameAt]) continue;
    pointer = type.origin.pointer;
    for (std::size_t i = nameAt + 1; i < tokens->size(); ++i) {
      pointer += '/';
      doc::appendPointerToken(pointer, (*tokens)[i]);
    }
    where = type.origin.file + ":" + std::to_string(type.origin.line);
    break;
  }
  return where + ": warning: " + what + " [#" + pointer + "] (" + code + ")";
}

}  // namespace

struct ValidatorPlan {
  std::vector<ir::TypeId> ids;  // the validated types, in the order of the root's anyOf
  schema::Program program;
  std::vector<std::string> warnings;
};

void ValidatorPlanDeleter::operator()(ValidatorPlan* plan) const { delete plan; }

ValidatorPlanPtr planValidators(const ir::Api& api, const ValidatorOptions& options) {
  std::set<ir::TypeId> wanted = validatedTypes(api);
  ValidatorPlanPtr plan(new ValidatorPlan{{wanted.begin(), wanted.end()}, {}, {}});
  // The schema document and its registry live only while the Program compiles: the Program
  // holds all the printer needs (on graph-beta they were about 100 MB of the peak).
  std::vector<LeftOutKeyword> keywords;
  plan->program = compileProgram(api, wanted, plan->ids, options, keywords);
  for (const LeftOutKeyword& keyword : keywords) {
    const std::string name = keyword.location.substr(keyword.location.rfind('/') + 1);
    plan->warnings.push_back(leftOutWarning(api, keyword.location,
                                            "keyword '" + name + "' is left out of the validators: it " +
                                                keyword.reason + "; --strict-keywords makes this an error",
                                            "keyword-left-out"));
  }
  for (const schema::Program::SkippedPattern& skipped : plan->program.skipped_patterns) {
    plan->warnings.push_back(leftOutWarning(api, skipped.location,
                                            "pattern \"" + skipped.source +
                                                "\" is left out of the validators: it is neither ECMA-262 nor an "
                                                "idiom of another regex dialect tether reads (" +
                                                skipped.error + "); --strict-patterns makes this an error",
                                            "pattern-left-out"));
  }
  return plan;
}

const std::vector<std::string>& warnings(const ValidatorPlan& plan) { return plan.warnings; }

GeneratedFiles emitValidators(const ir::Api& api, const CodegenOptions& options) {
  return emitValidators(*planValidators(api), api, options);
}

GeneratedFiles emitValidators(const ValidatorPlan& plan, const ir::Api& api, const CodegenOptions& options) {
  const std::vector<ir::TypeId>& ids = plan.ids;
  const schema::Program& program = plan.program;
  std::vector<emit::ValidatorSchema> schemas;
  if (!ids.empty()) {
    const schema::Block& root = program.blocks[program.root];
    const schema::Instruction* anyOf = nullptr;
    for (std::uint32_t i = root.begin; i < root.end; ++i) {
      if (program.instructions[i].op == schema::Op::AnyOf) anyOf = &program.instructions[i];
    }
    if (anyOf == nullptr || anyOf->child_count != ids.size()) {
      throw std::logic_error("validators: the compiled root has no anyOf over the validated types");
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const ir::Type& type = api.type(ids[i]);
      std::uint32_t entry = program.children[anyOf->child_begin + i].block;
      schemas.push_back({validatorName(type), &program, type.origin.file + "#" + type.origin.pointer, entry});
    }
  }
  emit::ValidatorEmitOptions emitOptions;
  emitOptions.cpp_namespace = options.cppNamespace + "::validators";
  emitOptions.source = options.source.empty() ? api.title : options.source;
  emitOptions.format = options.format;
  GeneratedFiles files;
  files.push_back({"validators.h", emit::emitValidatorHeader(schemas, emitOptions)});
  emitOptions.header = "validators.h";
  std::vector<std::string> sources = emit::emitValidatorSources(schemas, emitOptions, options.parts);
  for (std::size_t n = 0; n < sources.size(); ++n) {
    files.push_back({"validators_" + std::to_string(n + 1) + ".cpp", std::move(sources[n])});
  }
  return files;
}

}  // namespace tether::codegen
