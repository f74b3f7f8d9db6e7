#include "tether/codegen/validators.h"

#include <functional>
#include <memory>
#include <stdexcept>

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

std::set<ir::TypeId> validatedTypes(const ir::Api& api) {
  std::set<ir::TypeId> out;
  std::function<void(const ir::Operation&)> visit = [&](const ir::Operation& op) {
    for (const ir::Parameter& p : op.parameters) out.insert(p.type);
    if (op.requestBody) {
      for (const ir::MediaType& m : op.requestBody->contents) out.insert(m.type);
    }
    for (const ir::Response& r : op.responses) {
      for (const ir::Header& h : r.headers) out.insert(h.type);
      for (const ir::MediaType& m : r.contents) out.insert(m.type);
    }
    for (const ir::Callback& c : op.callbacks) {
      for (const ir::Operation& inner : c.operations) visit(inner);
    }
  };
  for (const ir::Operation& op : api.operations) visit(op);
  for (const ir::Webhook& hook : api.webhooks) {
    for (const ir::Operation& op : hook.operations) visit(op);
  }
  out.erase(ir::kNoType);
  return out;
}

GeneratedFiles emitValidators(const ir::Api& api, const CodegenOptions& options) {
  std::set<ir::TypeId> wanted = validatedTypes(api);
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
  registry.add(kDocumentUri, document);

  // One Program per translation unit: its root is {"anyOf": [{"$ref": <type>}, ...]} over
  // the part's types, and each type's validator enters at its own anyOf branch. The
  // subschemas the types share (a Problem, a Page, common fields) compile to one Block
  // each and are emitted once per part instead of once per type: a tenth of the code for
  // the Cloud API, and what keeps a large spec's validators compilable.
  std::vector<ir::TypeId> ids(wanted.begin(), wanted.end());
  std::vector<PartRange> ranges = partRanges(ids.size(), options.parts);
  std::vector<std::unique_ptr<schema::Program>> programs;
  std::vector<emit::ValidatorSchema> schemas;
  for (const PartRange& range : ranges) {
    if (range.begin == range.end) continue;  // an empty part: a file with no validators
    nlohmann::json branches = nlohmann::json::array();
    for (std::size_t i = range.begin; i < range.end; ++i) {
      const ir::Type& type = api.type(ids[i]);
      std::string pointer = type.named ? "/components/schemas/" + pointerToken(type.name)
                                       : "/x-tether-inline/" + pointerToken(type.name);
      branches.push_back({{"$ref", std::string(kDocumentUri) + "#" + percentEncode(pointer)}});
    }
    schema::CompileOptions compileOptions;
    compileOptions.base_uri = "urn:tether:entry";
    compileOptions.lenient_escapes = true;  // real-world patterns: ^[a-z\-\:]+$
    try {
      programs.push_back(std::make_unique<schema::Program>(
          schema::compile(nlohmann::json{{"anyOf", branches}}, registry, compileOptions)));
    } catch (const schema::CompileError& e) {
      // Name the type whose schema fails: compile them one by one until one throws.
      for (std::size_t i = range.begin; i < range.end; ++i) {
        const ir::Type& type = api.type(ids[i]);
        try {
          schema::compile(branches[i - range.begin], registry, compileOptions);
        } catch (const schema::CompileError& inner) {
          throw std::runtime_error("the schema of " + type.name + " (" + type.origin.file + "#" +
                                   type.origin.pointer + ") does not compile: " + inner.what());
        }
      }
      throw std::runtime_error(std::string("the validators do not compile: ") + e.what());
    }
    const schema::Program& program = *programs.back();
    const schema::Block& root = program.blocks[program.root];
    const schema::Instruction* anyOf = nullptr;
    for (std::uint32_t i = root.begin; i < root.end; ++i) {
      if (program.instructions[i].op == schema::Op::AnyOf) anyOf = &program.instructions[i];
    }
    if (anyOf == nullptr || anyOf->child_count != range.end - range.begin) {
      throw std::logic_error("validators: the compiled root has no anyOf over the part's types");
    }
    for (std::size_t i = range.begin; i < range.end; ++i) {
      const ir::Type& type = api.type(ids[i]);
      std::uint32_t entry = program.children[anyOf->child_begin + (i - range.begin)].block;
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
  for (std::size_t n = 0; n < ranges.size(); ++n) {
    std::span<const emit::ValidatorSchema> part(schemas.data() + ranges[n].begin, ranges[n].end - ranges[n].begin);
    files.push_back({"validators_" + std::to_string(n + 1) + ".cpp", emit::emitValidatorSource(part, emitOptions)});
  }
  return files;
}

}  // namespace tether::codegen
