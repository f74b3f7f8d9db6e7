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

// Every non-empty line of `text` prefixed with `indent`.
std::string indentLines(const std::string& text, const std::string& indent) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out += indent + text.substr(start, end - start);
    if (end < text.size()) out += '\n';
    start = end + 1;
  }
  return out;
}

std::string joinLiterals(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + cppString(item);
  return out;
}

class ServerEmitter {
 public:
  ServerEmitter(const ir::Api& api, const CodegenOptions& options) : api_(api), options_(options), types_(api), sharedParams_(api) {
    types_.setQualifier("::" + options.cppNamespace + "::");
    validated_ = validatedTypes(api);
    countShapes();
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
    Data shared = common("Server: what every part shares: the response header sets, and the parameters and responses\n"
                         "// the spec declares once (components).");
    Data componentResponses = responseComponents();
    Data componentParams = paramComponents();
    Data sets = list();
    for (const Data& set : headerSets_) sets.push_back(set);
    shared.set("headerSets", sets);
    shared.set("responses", componentResponses);
    shared.set("params", componentParams);
    shared.set("hasResponses", !componentResponses.is_empty_list());
    shared.set("hasParams", !sharedParams_.entries().empty());
    files.push_back({"server_common.h", finish(tidyBlankLines(render("server_common.h", shared)), options_)});
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
      files.push_back({stem + ".h", finish(tidyBlankLines(render("server_part.h", h)), options_)});
      Data d = common("Server: request decoding, handler calls and response writing (part " + std::to_string(n + 1) + ").");
      d.set("tags", partTags[n]);
      d.set("header", stem + ".h");
      if (n == 0) {
        // The components' definitions live in the first part.
        d.set("responses", componentResponses);
        d.set("params", componentParams);
        d.set("hasResponses", !componentResponses.is_empty_list());
        d.set("hasParams", !sharedParams_.entries().empty());
      }
      files.push_back({stem + ".cpp", finish(tidyBlankLines(render("server_part.cpp", d)), options_)});
    }
    header.set("parts", partList);
    files.insert(files.begin(), {"server.h", finish(tidyBlankLines(render("server.h", header)), options_)});
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
    d.set("registerIndent", std::string(("void add" + group.cppName + "Routes(").size(), ' '));
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
    d.set("handleName", "handle" + stem);
    d.set("handleIndent", std::string(("tether::http::Response handle" + stem + "(").size(), ' '));
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
      // A shared parameter's description is on its declaration (params::<Name>), once.
      const SharedParams::Entry* shared = sharedParams_.find(p);
      std::string note = shared != nullptr ? "" : p.description;
      note += (note.empty() ? "" : "\n") + std::string("The ") + ir::toString(p.in) + " parameter \"" + p.name + "\"" +
              (p.required ? " (required)" : "") + (shared != nullptr ? ", params::" + shared->cppName : "") + ".";
      pd.set("comment", commentLines(note, "  "));
      // A component parameter is declared once (params::<name>); an inline one is spelt here.
      pd.set("param", shared != nullptr ? "params::" + shared->cppName : paramExpr(p, std::string(32, ' ')));
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

    Data responses = list();
    std::vector<std::string> responseMedia;
    std::set<int> aliased;
    std::string responseType = d.get("responseType")->string_value();
    for (const ir::Response& r : op.responses) {
      std::string name = responseName(r.status);
      for (const ir::MediaType& m : r.contents) responseMedia.push_back(m.mediaType);
      bool fixed = fixedStatus(r.status);
      Data rd;
      rd.set("name", name);
      bool writes = true;  // whether the alternative's type has a write(out) member
      if (r.component >= 0) {
        // The component's type, declared once in server_common.h: an alias when the
        // alternative is that type exactly (handlers build it as before), else a struct
        // deriving from it (a second status with the same component needs a type, and a
        // constructor, of its own; a range or default status needs its `status` member).
        const ir::Response& component = api_.responses[static_cast<std::size_t>(r.component)].value;
        writes = !component.headers.empty() || !component.contents.empty();
        std::string shared = "responses::" + api_.responses[static_cast<std::size_t>(r.component)].cppName;
        if (fixed && aliased.insert(r.component).second) {
          rd.set("alias", shared);
        } else {
          rd.set("derived", shared);
          rd.set("comment", commentLines("Status " + r.status + ": " + shared + ".", "  "));
          if (!fixed) rd.set("status", statusData(defaultStatus(r.status)));
        }
      } else if (std::string shared = sharedShape(r); !shared.empty()) {
        // An inline response whose headers and bodies other operations repeat: one struct
        // for all of them, like a component's.
        if (aliased.insert(-1 - static_cast<int>(shapeIndex_.at(shapeKey(r)))).second) {
          rd.set("alias", shared);
        } else {
          rd.set("derived", shared);
          rd.set("comment", commentLines("Status " + r.status + ": " + shared + ".", "  "));
        }
      } else {
        rd = alternativeData(r, name, responseType + "::" + name, "  ");
        writes = rd.get("writer")->is_true();
      }
      rd.set("constructor", constructor(responseType, name, fixed ? r.status : "", writes));
      responses.push_back(rd);
    }
    if (op.responses.empty()) {
      // A spec may list no responses; the operation can still answer with a bare status.
      Data rd;
      rd.set("name", "Default");
      rd.set("comment", commentLines("The spec documents no response: a bare status 204.", ""));
      rd.set("empty", true);
      rd.set("declaration", declaration(rd, "  "));
      rd.set("constructor", constructor(responseType, "Default", "204", false));
      responses.push_back(rd);
    }
    d.set("responses", responses);
    d.set("spec", operationSpec(op, d.get("method")->string_value(), requestMedia, responseMedia));
    return d;
  }

  // The members of a response alternative (an operation's own, or a component's) and the
  // statements of its write(out) member. `qualified` is its name in server_N.cpp.
  Data alternativeData(const ir::Response& r, const std::string& name, const std::string& qualified,
                       const std::string& indent) const {
    Data rd;
    rd.set("name", name);
    rd.set("qualified", qualified);
    std::string description = r.description.empty() ? "" : r.description + "\n";
    rd.set("comment", commentLines(description + (r.status.empty() ? "" : "Status " + r.status + "."), ""));
    if (!r.status.empty() && !fixedStatus(r.status)) rd.set("status", statusData(defaultStatus(r.status)));
    Data writes = list();
    auto write = [&](const std::string& line) {
      Data w;
      w.set("line", line);
      writes.push_back(w);
    };
    if (!r.headers.empty()) {
      rd.set("headerSet", headerSet(r.headers));
      write("headers.write(out);");
    }
    Data rbodies = list();
    std::vector<std::string> names = bodyNames(r.contents);
    bool single = r.contents.size() == 1;
    for (std::size_t j = 0; j < r.contents.size(); ++j) {
      const ir::MediaType& m = r.contents[j];
      MediaKind kind = mediaKind(m.mediaType);
      std::string type = kind == MediaKind::Raw || kind == MediaKind::Multipart ? "std::string" : valueType(m.type);
      Data b;
      b.set("name", names[j]);
      b.set("mediaType", m.mediaType);
      b.set("type", single ? type : "std::optional<" + type + ">");
      rbodies.push_back(b);
      std::string value = single ? names[j] : "*" + names[j];
      std::string media = cppString(m.mediaType.find('*') != std::string::npos ? "application/octet-stream" : m.mediaType);
      std::string call = kind == MediaKind::Raw || kind == MediaKind::Multipart
                             ? "tether::server::writeRaw(out, " + value + ", " + media + ");"
                             : "tether::server::writeJson(out, " + value + ", " + media + ", " + evaluateRef(m.type) + ");";
      // Several media types: the handler sets one, the first one set is written.
      write(single ? call : "if (" + names[j] + ") return " + call);
    }
    rd.set("bodies", rbodies);
    rd.set("writes", writes);
    bool empty = r.headers.empty() && r.contents.empty();
    rd.set("empty", empty && !rd.get("status"));
    rd.set("writer", !empty);
    rd.set("declaration", declaration(rd, indent));
    return rd;
  }

  // The struct of a response alternative (server_alternative.h), each line after `indent`.
  static std::string declaration(const Data& rd, const std::string& indent) {
    std::string text = render("server_alternative.h", rd);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return indentLines(text, indent);
  }

  // The definition of the <Op>Response constructor that takes alternative `name`: the
  // documented status (`status`, or the alternative's own for a range or default) and the
  // alternative's headers and body when it has any (tether::server::Reply).
  static std::string constructor(const std::string& responseType, const std::string& name, const std::string& status,
                                 bool writes) {
    bool named = writes || status.empty();
    return responseType + "::" + responseType + "(const " + name + "&" + (named ? " r" : "") + ") : Reply(" +
           (status.empty() ? "r.status" : status) + ") {" + (writes ? " r.write(response_); " : "") + "}";
  }

  // The `status` member of a range or default alternative, starting at `initial`. (An
  // object, not a string: a string section leaves a blank line where it is closed.)
  static Data statusData(int initial) {
    Data d;
    d.set("initial", std::to_string(initial));
    return d;
  }

  // A parameter as a tether::server::Param initializer, its members after the first on
  // lines of their own after `indent`.
  std::string paramExpr(const ir::Parameter& p, const std::string& indent) const {
    std::string out = "{.spec = " + paramSpecExpr(p, api_);
    if (p.required) out += ",\n" + indent + ".required = true";
    std::string evaluate = evaluateRef(p.type);
    if (evaluate != "nullptr") out += ",\n" + indent + ".evaluate = " + evaluate;
    if (!p.mediaType.empty()) out += ",\n" + indent + ".jsonContent = true";
    return out + "}";
  }

  // The operation's entry in its tag's table: the tether::server::OperationSpec members
  // that are set.
  std::string operationSpec(const ir::Operation& op, const std::string& method, const std::vector<std::string>& requestMedia,
                            const std::vector<std::string>& responseMedia) const {
    std::string indent = "\n         ";
    std::string out = "{.operationId = " + cppString(op.operationId) + ", .method = \"" + method + "\"," + indent +
                      ".pathTemplate = " + cppString(op.path);
    if (!op.tags.empty()) out += "," + indent + ".tags = {" + joinLiterals(op.tags) + "}";
    std::string security;
    for (const ir::SecurityRequirement& req : op.effectiveSecurity) {
      std::string schemes;
      for (const auto& [scheme, scopes] : req.schemes) {
        schemes += (schemes.empty() ? "" : ", ") + std::string("{") + cppString(scheme) +
                   (scopes.empty() ? "" : ", {" + joinLiterals(scopes) + "}") + "}";
      }
      security += (security.empty() ? "" : ", ") + std::string("{") + schemes + "}";
    }
    if (!security.empty()) out += "," + indent + ".security = {" + security + "}";
    if (!requestMedia.empty()) out += "," + indent + ".requestMediaTypes = {" + joinLiterals(requestMedia) + "}";
    if (op.requestBody && op.requestBody->required) out += "," + indent + ".bodyRequired = true";
    std::set<std::string> seen;
    std::vector<std::string> unique;
    for (const std::string& m : responseMedia) {
      if (seen.insert(m).second) unique.push_back(m);
    }
    if (!unique.empty()) out += "," + indent + ".responseMediaTypes = {" + joinLiterals(unique) + "}";
    return out + "}";
  }

  // The response components, then the shared inline shapes, each declared once in
  // server_common.h and written in part 1.
  Data responseComponents() const {
    Data out = list();
    for (const auto& component : api_.responses) {
      out.push_back(alternativeData(component.value, component.cppName, "responses::" + component.cppName, ""));
    }
    for (const Data& shape : shapes_) out.push_back(shape);
    return out;
  }

  // What makes two inline responses interchangeable: their headers and their bodies (media
  // type and C++ type). Empty for a response a struct of its own fits better: a range or
  // default status (its `status` member), or one with neither headers nor body.
  std::string shapeKey(const ir::Response& r) const {
    if (!fixedStatus(r.status) || (r.headers.empty() && r.contents.empty())) return "";
    std::string key;
    for (const ir::Header& h : r.headers) key += h.name + ":" + valueType(h.type) + (h.required ? "!" : "") + ";";
    key += "|";
    for (const ir::MediaType& m : r.contents) {
      MediaKind kind = mediaKind(m.mediaType);
      key += m.mediaType + ":" + (kind == MediaKind::Raw || kind == MediaKind::Multipart ? "raw" : valueType(m.type)) + ";";
    }
    return key;
  }

  // Counts the operations' inline responses by shape, before any is emitted.
  void countShapes() {
    for (const ir::Operation& op : api_.operations) {
      for (const ir::Response& r : op.responses) {
        if (r.component >= 0) continue;
        if (std::string key = shapeKey(r); !key.empty()) ++shapeUses_[key];
      }
    }
    for (const auto& component : api_.responses) shapeNames_.claimExact(component.cppName);
  }

  // The shared struct of an inline response used by several operations ("" when it is used
  // once), declared on first use and named after its JSON body's type.
  std::string sharedShape(const ir::Response& r) const {
    std::string key = shapeKey(r);
    if (key.empty() || shapeUses_.at(key) < 2) return "";
    auto [it, added] = shapeIndex_.emplace(key, shapes_.size());
    if (added) {
      std::string base = "Headers";
      for (const ir::MediaType& m : r.contents) {
        MediaKind kind = mediaKind(m.mediaType);
        if (kind == MediaKind::Json || kind == MediaKind::Form) {
          base = m.type == ir::kNoType ? "Json" : api_.type(m.type).cppName;
          break;
        }
        base = "Raw";
      }
      std::string name = shapeNames_.claim(base + "Response", naming::Case::Pascal);
      ir::Response shape = r;
      shape.status.clear();
      shape.description = "The response of several operations (" + std::to_string(shapeUses_.at(key)) + ").";
      shapes_.push_back(alternativeData(shape, name, "responses::" + name, ""));
      shapeNameOf_.push_back(name);
    }
    return "responses::" + shapeNameOf_[it->second];
  }

  // The shared parameters, declared once in server_common.h and defined in part 1.
  Data paramComponents() const {
    return sharedParams_.declarations([&](const ir::Parameter& p) { return paramExpr(p, "    "); });
  }

  // Responses share their header structs: an API repeats the same headers (request id,
  // rate limits) on most responses. Each set is declared once, with the write(out) member
  // that sets its headers.
  Data headerSet(const std::vector<ir::Header>& headers) const {
    std::string signature;
    for (const ir::Header& h : headers) signature += h.name + ":" + valueType(h.type) + (h.required ? "!" : "") + ";";
    auto [it, added] = headerSetIndex_.emplace(signature, headerSets_.size());
    std::string name = "ResponseHeaders" + std::to_string(it->second + 1);
    if (added) {
      Data set;
      set.set("name", name);
      std::string names;
      Data fields = list();
      for (const ir::Header& h : headers) {
        names += (names.empty() ? "" : ", ") + h.name;
        Data hd;
        hd.set("name", h.cppName);
        // Optional even when required: middleware (request ids, rate limits) sets many of
        // them, and a handler sets only what it owns.
        hd.set("type", "std::optional<" + valueType(h.type) + ">");
        hd.set("literal", cppString(h.name));
        hd.set("comment", commentLines((h.description.empty() ? "" : h.description + "\n") + "The header \"" + h.name +
                                           "\"" + (h.required ? " (required: set here or by middleware)." : "."),
                                       "  "));
        fields.push_back(hd);
      }
      set.set("names", names);
      set.set("headers", fields);
      headerSets_.push_back(set);
    }
    Data ref;
    ref.set("name", name);
    return ref;
  }

  const ir::Api& api_;
  const CodegenOptions& options_;
  CppTypes types_;
  SharedParams sharedParams_;
  std::set<ir::TypeId> validated_;
  mutable std::map<std::string, std::size_t> headerSetIndex_;
  std::map<std::string, std::size_t> shapeUses_;
  mutable std::map<std::string, std::size_t> shapeIndex_;
  mutable std::vector<Data> shapes_;
  mutable std::vector<std::string> shapeNameOf_;
  mutable naming::Scope shapeNames_;
  mutable std::vector<Data> headerSets_;
};

}  // namespace

GeneratedFiles emitServer(const ir::Api& api, const CodegenOptions& options) {
  return ServerEmitter(api, options).emit();
}

}  // namespace tether::codegen
