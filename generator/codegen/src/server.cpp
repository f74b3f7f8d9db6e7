// The server emitter: prepares the data of templates/server/ from the IR's operations.
#include "tether/codegen/server.h"

#include <algorithm>
#include <map>
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
    std::vector<TagGroup> groups = groupByTag(api_);
    Data header = common("Server: a handler interface per tag with typed requests and responses, and routes.");
    Data tags = list();
    std::vector<Data> perTag;
    for (const TagGroup& group : groups) {
      Data t;
      tagData(group, t);
      t.set("member", naming::identifier(group.cppName, naming::Case::Snake));
      tags.push_back(t);
      perTag.push_back(t);
    }
    header.set("tags", tags);
    Data shared = common("Server: what every part shares: the includes and the response header sets.");
    Data sets = list();
    for (const Data& set : headerSets_) sets.push_back(set);
    shared.set("headerSets", sets);
    files.push_back({"server_common.h", finish(render("server_common.h", shared), options_)});
    // Tags go to the parts whole, each to the part with the fewest operations so far. Each
    // part has its own header with its tags' request and response types: a std::variant
    // member costs the compiler ~2 MB, so a unit that saw every operation's response of a
    // 1000-operation spec needed 2.5 GB; now a part's unit sees only its own.
    std::size_t parts = std::max<std::size_t>(options_.parts, 1);
    std::vector<Data> partTags(parts, list());
    std::vector<std::string> partNames(parts);
    std::vector<std::size_t> load(parts, 0);
    for (std::size_t i = 0; i < groups.size(); ++i) {
      std::size_t target = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
      load[target] += groups[i].operations.size();
      partTags[target].push_back(perTag[i]);
      partNames[target] += (partNames[target].empty() ? "" : ", ") + groups[i].name;
    }
    Data partList = list();
    for (std::size_t n = 0; n < parts; ++n) {
      std::string stem = "server_" + std::to_string(n + 1);
      Data entry;
      entry.set("file", stem + ".h");
      entry.set("tagList", partNames[n].empty() ? std::string("no tags") : "tags: " + partNames[n]);
      partList.push_back(entry);
      Data h = common("Server: the handler interfaces, requests and responses of part " + std::to_string(n + 1) +
                            " (" + entry.get("tagList")->string_value() + ").");
      h.set("tags", partTags[n]);
      files.push_back({stem + ".h", finish(render("server_part.h", h), options_)});
      Data d = common("Server: request decoding, handler calls and response writing (part " + std::to_string(n + 1) + ").");
      d.set("tags", partTags[n]);
      d.set("header", stem + ".h");
      files.push_back({stem + ".cpp", finish(render("server_part.cpp", d), options_)});
    }
    header.set("parts", partList);
    files.insert(files.begin(), {"server.h", finish(render("server.h", header), options_)});
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
      rd.set("statusExpr", fixed ? r.status : std::string("r.status"));
      Data headers = list();
      signature_.clear();
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
                                       "  "));
        signature_ += h.name + ":" + e + (h.required ? "!" : "") + ";";
        headers.push_back(hd);
      }
      rd.set("headers", headers);
      if (!r.headers.empty()) rd.set("headerSet", headerSet(r.headers, headers));
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
        std::string value = single ? "r." + names[j] : "*r." + names[j];
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
      rd.set("usesValue", !fixed || !r.headers.empty() || !r.contents.empty());
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
      rd.set("statusExpr", "r.status");
      rd.set("usesValue", true);
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

  // Responses share their header structs: an API repeats the same headers (request id,
  // rate limits) on most responses, and one struct per response would bloat the header.
  Data headerSet(const std::vector<ir::Header>& headers, const Data& fields) const {
    auto [it, added] = headerSetIndex_.emplace(signature_, headerSets_.size());
    if (added) {
      Data set;
      set.set("name", "ResponseHeaders" + std::to_string(headerSets_.size() + 1));
      std::string names;
      for (const ir::Header& h : headers) names += (names.empty() ? "" : ", ") + h.name;
      set.set("names", names);
      set.set("headers", fields);
      headerSets_.push_back(set);
    }
    Data ref;
    ref.set("name", "ResponseHeaders" + std::to_string(it->second + 1));
    return ref;
  }

  const ir::Api& api_;
  const CodegenOptions& options_;
  CppTypes types_;
  std::set<ir::TypeId> validated_;
  mutable std::string signature_;
  mutable std::map<std::string, std::size_t> headerSetIndex_;
  mutable std::vector<Data> headerSets_;
};

}  // namespace

GeneratedFiles emitServer(const ir::Api& api, const CodegenOptions& options) {
  return ServerEmitter(api, options).emit();
}

}  // namespace tether::codegen
