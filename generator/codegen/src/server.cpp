// The server emitter: prepares the data of templates/server/ from the IR's operations.
#include "tether/codegen/server.h"

#include <set>

#include "operations.h"
#include "render.h"
#include "tether/codegen/cpp_types.h"
#include "tether/codegen/validators.h"
#include "tether/naming/namer.h"

namespace tether::codegen {

namespace {

std::string joinLiterals(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + cppString(item);
  return out;
}

class ServerEmitter {
 public:
  ServerEmitter(const ir::Api& api, const CodegenOptions& options) : api_(api), options_(options), types_(api) {
    types_.setQualifier("::" + options.cppNamespace + "::");
    validated_ = validatedTypes(api);
  }

  GeneratedFiles emit() {
    GeneratedFiles files;
    Data umbrella = common("Server: the handler interfaces of every tag, and addRoutes().");
    Data tags = list();
    for (const TagGroup& group : groupByTag(api_)) {
      std::string stem = "server_" + group.fileStem;
      Data d = common("Server: the handler interface of tag \"" + group.name + "\" and its routes.");
      d.set("header", stem + ".h");
      tagData(group, d);
      files.push_back({stem + ".h", finish(render("server_tag.h", d), options_)});
      files.push_back({stem + ".cpp", finish(render("server_tag.cpp", d), options_)});
      Data t;
      t.set("header", stem + ".h");
      t.set("handlerType", group.cppName + "Handler");
      t.set("registerName", "add" + group.cppName + "Routes");
      t.set("member", naming::identifier(group.cppName, naming::Case::Snake));
      tags.push_back(t);
    }
    umbrella.set("tags", tags);
    files.push_back({"server.h", finish(render("server.h", umbrella), options_)});
    return files;
  }

 private:
  Data common(const std::string& what) const {
    Data d;
    d.set("banner", banner(api_, options_, what));
    d.set("namespace", options_.cppNamespace);
    return d;
  }

  std::string evaluateRef(ir::TypeId id) const {
    if (id == ir::kNoType || validated_.count(id) == 0) return "nullptr";
    return "&::" + options_.cppNamespace + "::validators::evaluate_" + validatorName(api_.type(id));
  }

  std::string valueType(ir::TypeId id) const { return types_.useExpr(id); }

  void tagData(const TagGroup& group, Data& d) const {
    d.set("tagName", group.name);
    d.set("tagComment", commentLines(group.description.empty() ? "Operations of \"" + group.name + "\"." : group.description));
    d.set("handlerType", group.cppName + "Handler");
    d.set("registerName", "add" + group.cppName + "Routes");
    Data ops = list();
    for (const ir::Operation* op : group.operations) ops.push_back(operationData(*op, group));
    d.set("operations", ops);
  }

  Data operationData(const ir::Operation& op, const TagGroup& group) const {
    Data d;
    std::string stem = pascal(op.cppName);
    d.set("operationId", op.operationId);
    d.set("operationIdLiteral", cppString(op.operationId));
    d.set("method", [&] {
      std::string m = op.method;
      for (char& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return m;
    }());
    d.set("path", op.path);
    d.set("pathLiteral", cppString(op.path));
    d.set("requestType", stem + "Request");
    d.set("responseType", stem + "Response");
    d.set("handlerType", group.cppName + "Handler");
    d.set("methodName", op.cppName);
    std::string text = op.summary;
    if (!op.description.empty() && op.description != op.summary) text += (text.empty() ? "" : "\n\n") + op.description;
    text += (text.empty() ? "" : "\n\n") + d.get("method")->string_value() + " " + op.path;
    if (op.deprecated) text += " (deprecated)";
    d.set("comment", commentLines(text, "  "));

    Data params = list();
    for (const ir::Parameter& p : op.parameters) {
      Data pd;
      pd.set("name", p.cppName);
      std::string e = valueType(p.type);
      pd.set("type", p.required ? e : "std::optional<" + e + ">");
      std::string note = p.description;
      note += (note.empty() ? "" : "\n") + std::string("The ") + ir::toString(p.in) + " parameter \"" + p.name + "\"" +
              (p.required ? " (required)." : ".");
      pd.set("comment", commentLines(note, "  "));
      pd.set("spec", paramSpecExpr(p, api_));
      pd.set("required", p.required ? "true" : "false");
      pd.set("evaluate", evaluateRef(p.type));
      if (!p.mediaType.empty()) pd.set("jsonContent", true);
      params.push_back(pd);
    }
    d.set("params", params);

    Data bodies = list();
    std::vector<std::string> requestMedia;
    bool hasParts = false;
    if (op.requestBody) {
      std::vector<std::string> names = bodyNames(op.requestBody->contents);
      bool single = op.requestBody->contents.size() == 1;
      for (std::size_t i = 0; i < op.requestBody->contents.size(); ++i) {
        const ir::MediaType& m = op.requestBody->contents[i];
        requestMedia.push_back(m.mediaType);
        MediaKind kind = mediaKind(m.mediaType);
        bool optional = !single || !op.requestBody->required;
        std::string type = kind == MediaKind::Raw ? "std::string" : valueType(m.type);
        Data b;
        b.set("name", names[i]);
        b.set("mediaType", m.mediaType);
        b.set("mediaLiteral", cppString(m.mediaType));
        b.set("type", optional ? "std::optional<" + type + ">" : type);
        std::string required = op.requestBody->required ? "true" : "false";
        std::string target = "typed." + names[i];
        switch (kind) {
          case MediaKind::Json:
            b.set("readCall", "reader.body(reader.jsonBody(" + required + ", " + evaluateRef(m.type) + "), " + target + ");");
            break;
          case MediaKind::Form:
            b.set("readCall", "reader.body(reader.formBody(" + required + ", " + bodyShapeExpr(m.type, api_) + ", " +
                                  evaluateRef(m.type) + "), " + target + ");");
            break;
          case MediaKind::Multipart:
            hasParts = true;
            b.set("readCall", "reader.body(reader.multipartBody(" + required + ", " + bodyShapeExpr(m.type, api_) + ", " +
                                  evaluateRef(m.type) + ", typed.parts), " + target + ");");
            break;
          case MediaKind::Raw:
            b.set("readCall", target + " = request.body;");
            break;
        }
        bodies.push_back(b);
      }
    }
    d.set("bodies", bodies);
    d.set("hasParts", hasParts);
    d.set("requestMediaList", joinLiterals(requestMedia));
    d.set("bodyRequired", op.requestBody && op.requestBody->required ? "true" : "false");

    Data responses = list();
    std::vector<std::string> responseMedia;
    std::string alternatives;
    for (std::size_t i = 0; i < op.responses.size(); ++i) {
      const ir::Response& r = op.responses[i];
      Data rd;
      std::string name = responseName(r.status);
      rd.set("name", name);
      rd.set("index", std::to_string(i));
      alternatives += (alternatives.empty() ? "" : ", ") + name;
      rd.set("comment", commentLines((r.description.empty() ? "" : r.description + "\n") + "Status " + r.status + ".", "  "));
      bool fixed = fixedStatus(r.status);
      rd.set("hasStatus", !fixed);
      rd.set("defaultStatus", std::to_string(defaultStatus(r.status)));
      rd.set("statusExpr", fixed ? r.status : std::string("r->status"));
      Data headers = list();
      for (const ir::Header& h : r.headers) {
        Data hd;
        hd.set("name", h.cppName);
        std::string e = valueType(h.type);
        // Optional even when required: middleware (request ids, rate limits) sets many of
        // them, and a handler sets only what it owns.
        hd.set("type", "std::optional<" + e + ">");
        hd.set("literal", cppString(h.name));
        hd.set("comment", commentLines((h.description.empty() ? "" : h.description + "\n") + "The header \"" + h.name +
                                           "\"" + (h.required ? " (required: set here or by middleware)." : "."),
                                       "    "));
        headers.push_back(hd);
      }
      rd.set("headers", headers);
      Data rbodies = list();
      std::vector<std::string> names = bodyNames(r.contents);
      bool single = r.contents.size() == 1;
      for (std::size_t j = 0; j < r.contents.size(); ++j) {
        const ir::MediaType& m = r.contents[j];
        responseMedia.push_back(m.mediaType);
        MediaKind kind = mediaKind(m.mediaType);
        std::string type = kind == MediaKind::Raw || kind == MediaKind::Multipart ? "std::string" : valueType(m.type);
        Data b;
        b.set("name", names[j]);
        b.set("mediaType", m.mediaType);
        b.set("type", single ? type : "std::optional<" + type + ">");
        b.set("optional", !single);
        std::string value = single ? "r->" + names[j] : "*r->" + names[j];
        std::string media = m.mediaType.find('*') != std::string::npos ? "application/octet-stream" : m.mediaType;
        if (kind == MediaKind::Raw || kind == MediaKind::Multipart) {
          b.set("writeCall", "tether::server::writeRaw(out, " + value + ", " + cppString(media) + ");");
        } else {
          b.set("writeCall", "tether::server::writeJson(out, " + value + ", " + cppString(media) + ", " +
                                 evaluateRef(m.type) + ");");
        }
        rbodies.push_back(b);
      }
      rd.set("bodies", rbodies);
      responses.push_back(rd);
    }
    if (op.responses.empty()) {
      // A spec may list no responses; the operation can still answer with a bare status.
      Data rd;
      rd.set("name", "Default");
      rd.set("index", "0");
      rd.set("comment", commentLines("The spec documents no response.", "  "));
      rd.set("hasStatus", true);
      rd.set("defaultStatus", "204");
      rd.set("statusExpr", "r->status");
      rd.set("headers", list());
      rd.set("bodies", list());
      responses.push_back(rd);
      alternatives = "Default";
    }
    d.set("responses", responses);
    d.set("alternatives", alternatives);
    std::set<std::string> seen;
    std::vector<std::string> uniqueMedia;
    for (const std::string& m : responseMedia) {
      if (seen.insert(m).second) uniqueMedia.push_back(m);
    }
    d.set("responseMediaList", joinLiterals(uniqueMedia));
    d.set("tagsList", joinLiterals(op.tags));
    std::string security;
    for (const ir::SecurityRequirement& req : op.effectiveSecurity) {
      std::string schemes;
      for (const auto& [scheme, scopes] : req.schemes) {
        schemes += (schemes.empty() ? "" : ", ") + std::string("{") + cppString(scheme) + ", {" + joinLiterals(scopes) + "}}";
      }
      security += (security.empty() ? "" : ", ") + std::string("tether::http::SecurityRequirement{{") + schemes + "}}";
    }
    d.set("securityList", security);
    return d;
  }

  const ir::Api& api_;
  const CodegenOptions& options_;
  CppTypes types_;
  std::set<ir::TypeId> validated_;
};

}  // namespace

GeneratedFiles emitServer(const ir::Api& api, const CodegenOptions& options) {
  return ServerEmitter(api, options).emit();
}

}  // namespace tether::codegen
