#include "tether/codegen/validators.h"

#include <functional>
#include <stdexcept>

#include "operations.h"
#include "render.h"
#include "tether/emit/validators.h"
#include "tether/schema/compiler.h"
#include "tether/schema/program.h"
#include "tether/schema/registry.h"

namespace tether::codegen {

namespace {

// All schemas live in one document so that their "#/components/schemas/X" references
// resolve: named types where the IR says they are, inline ones under "x-tether-inline".
constexpr const char* kDocumentUri = "urn:tether:spec";

std::string pointerToken(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string percentEncode(const std::string& pointer) {
  // A URI fragment: keep unreserved and pointer characters, %-encode the rest.
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : pointer) {
    if (std::isalnum(c) || std::string_view("-._~/!$&'()*+,;=:@").find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

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

// The one Program of the spec's validated types (`ids`, the sorted `wanted`): its root is
// {"anyOf": [{"$ref": <type>}, ...]}.
schema::Program compileProgram(const ir::Api& api, const std::set<ir::TypeId>& wanted,
                               const std::vector<ir::TypeId>& ids) {
  nlohmann::json document = {{"components", {{"schemas", nlohmann::json::object()}}},
                             {"x-tether-inline", nlohmann::json::object()}};
  for (const ir::Type& type : api.types) {
    if (type.named) {
      document["components"]["schemas"][type.name] = type.schema;
    } else if (wanted.count(type.id) != 0) {
      document["x-tether-inline"][type.name] = type.schema;
    }
  }
  schema::Registry registry;
  registry.add(kDocumentUri, std::move(document));

  // One Program for the whole spec: its root is {"anyOf": [{"$ref": <type>}, ...]} over every
  // validated type, and each type's validator enters at its own anyOf branch. A subschema
  // that many types share (a Problem, a Page, an ObjectMeta) compiles to one Block and is
  // emitted once; the emitter splits the Blocks between the --parts translation units.
  nlohmann::json branches = nlohmann::json::array();
  for (ir::TypeId id : ids) {
    const ir::Type& type = api.type(id);
    std::string pointer = type.named ? "/components/schemas/" + pointerToken(type.name)
                                     : "/x-tether-inline/" + pointerToken(type.name);
    branches.push_back({{"$ref", std::string(kDocumentUri) + "#" + percentEncode(pointer)}});
  }
  schema::CompileOptions compileOptions;
  compileOptions.base_uri = "urn:tether:entry";
  compileOptions.lenient_escapes = true;  // real-world patterns: ^[a-z\-\:]+$
  try {
    // A spec whose operations validate nothing still gets its (empty) files: anyOf needs at
    // least one branch, so its Program is the trivial `true`.
    nlohmann::json root = branches.empty() ? nlohmann::json(true) : nlohmann::json{{"anyOf", branches}};
    return schema::compile(root, registry, compileOptions);
  } catch (const schema::CompileError& e) {
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

struct ValidatorPlan {
  std::vector<ir::TypeId> ids;  // the validated types, in the order of the root's anyOf
  schema::Program program;
};

void ValidatorPlanDeleter::operator()(ValidatorPlan* plan) const { delete plan; }

ValidatorPlanPtr planValidators(const ir::Api& api) {
  std::set<ir::TypeId> wanted = validatedTypes(api);
  ValidatorPlanPtr plan(new ValidatorPlan{{wanted.begin(), wanted.end()}, {}});
  // The schema document and its registry live only while the Program compiles: the Program
  // holds all the printer needs (on graph-beta they were about 100 MB of the peak).
  plan->program = compileProgram(api, wanted, plan->ids);
  return plan;
}

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
