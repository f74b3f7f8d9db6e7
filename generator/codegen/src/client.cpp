// The client emitter: prepares the data of templates/client/ from the IR's operations.
// The rules for detecting cursor pagination are documented in tether/codegen/client.h.
#include "tether/codegen/client.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "operations.h"
#include "render.h"
#include "tether/codegen/cpp_types.h"
#include "tether/codegen/validators.h"
#include "tether/naming/namer.h"

namespace tether::codegen {

namespace {

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string baseMedia(const std::string& mediaType) {
  std::string base = lower(mediaType.substr(0, mediaType.find(';')));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  return base;
}

bool isEventStream(const std::string& mediaType) { return baseMedia(mediaType) == "text/event-stream"; }

bool isSuccess(const ir::Response& r) { return !r.status.empty() && r.status[0] == '2'; }

// Where a list's cursor pagination lives, found by the rules in client.h.
struct Paging {
  std::string cursorParam;   // the Params member set to the next cursor
  std::string itemsField;    // the body's array member
  std::string itemType;      // its items' C++ type
  std::string nextCursor;    // the statements of the next-cursor lambda
};

class ClientEmitter {
 public:
  ClientEmitter(const ir::Api& api, const CodegenOptions& options) : api_(api), options_(options), types_(api), sharedParams_(api) {
    types_.setQualifier("::" + options.cppNamespace + "::");
    validated_ = validatedTypes(api);
  }

  GeneratedFiles emit() {
    GeneratedFiles files;
    std::vector<TagGroup> groups = groupByTag(api_);
    Data header = common("Client: a class per tag with typed calls, pages and streams, over tether::client.");
    Data tags = list();
    std::vector<Data> perTag;
    for (const TagGroup& group : groups) {
      Data t = tagData(group);
      tags.push_back(t);
      perTag.push_back(t);
    }
    header.set("tags", tags);
    Data sets = list();
    for (const Data& set : headerSets_) sets.push_back(set);
    header.set("headerSets", sets);
    Data params = sharedParams_.declarations([&](const ir::Parameter& p) { return paramSpecExpr(p, api_); });
    header.set("params", params);
    header.set("hasParams", !sharedParams_.entries().empty());
    files.push_back({"client.h", finish(tidyBlankLines(render("client.h", header)), options_)});
    std::size_t parts = std::max<std::size_t>(options_.parts, 1);
    std::vector<Data> partTags(parts, list());
    std::vector<std::size_t> partOf = partOfGroups(groups, parts);
    for (std::size_t i = 0; i < groups.size(); ++i) partTags[partOf[i]].push_back(perTag[i]);
    for (std::size_t n = 0; n < parts; ++n) {
      Data d = common("Client: request encoding and response decoding (part " + std::to_string(n + 1) + ").");
      d.set("tags", partTags[n]);
      if (n == 0) {
        // What client.h declares once is defined in the first part.
        d.set("headerSets", sets);
        d.set("params", params);
        d.set("hasParams", !sharedParams_.entries().empty());
      }
      files.push_back({"client_" + std::to_string(n + 1) + ".cpp", finish(tidyBlankLines(render("client_part.cpp", d)), options_)});
    }
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

  Data tagData(const TagGroup& group) const {
    Data d;
    std::string clientType = group.cppName + "Client";
    d.set("tagName", group.name);
    d.set("tagComment",
          commentLines(group.description.empty() ? "Operations of \"" + group.name + "\"." : group.description));
    d.set("clientType", clientType);
    d.set("member", naming::identifier(group.cppName, naming::Case::Snake));
    Data ops = list();
    for (const ir::Operation* op : group.operations) ops.push_back(operationData(*op, clientType));
    d.set("operations", ops);
    return d;
  }

  // The ParamSpec argument of a parameter: the component's constant, or the spec spelt out;
  // `content: application/json` parameters add the helpers' jsonContent flag.
  std::string specRef(const ir::Parameter& p) const {
    const SharedParams::Entry* shared = sharedParams_.find(p);
    std::string spec = shared != nullptr ? "params::" + shared->cppName : paramSpecExpr(p, api_);
    return p.mediaType.empty() ? spec : spec + ", true";
  }

  static bool ignoredHeader(const ir::Parameter& p) {
    if (p.in != ir::ParameterLocation::Header) return false;
    std::string name = lower(p.name);
    // OpenAPI: such header parameters are ignored (the transport and media types own them).
    return name == "accept" || name == "content-type" || name == "authorization";
  }

  Data operationData(const ir::Operation& op, const std::string& clientType) const {
    Data d;
    std::string stem = pascal(op.cppName);
    std::string method = op.method;
    for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    d.set("operationId", op.operationId);
    d.set("operationIdLiteral", cppString(op.operationId));
    d.set("method", method);
    d.set("path", op.path);
    d.set("paramsType", stem + "Params");
    d.set("clientType", clientType);
    d.set("methodName", op.cppName);
    // Where the second line of a <method>Stream signature starts, in client.h and in the part.
    d.set("streamIndent", std::string(("  void " + op.cppName + "Stream(").size(), ' '));
    d.set("streamDefinitionIndent", std::string(("void " + clientType + "::" + op.cppName + "Stream(").size(), ' '));
    std::string text = op.summary;
    if (!op.description.empty() && op.description != op.summary) text += (text.empty() ? "" : "\n\n") + op.description;
    text += (text.empty() ? "" : "\n\n") + method + " " + op.path;
    if (op.deprecated) text += " (deprecated)";
    d.set("comment", commentLines(text, "  "));

    // ---- parameters
    naming::Scope members;
    Data params = list(), queryParams = list(), headerParams = list(), cookieParams = list();
    std::map<std::string, const ir::Parameter*> pathParams;
    bool hasCookies = false;
    for (const ir::Parameter& p : op.parameters) {
      if (ignoredHeader(p)) continue;
      members.claimExact(p.cppName);
      Data pd;
      pd.set("name", p.cppName);
      std::string e = types_.useExpr(p.type);
      pd.set("type", p.required ? e : "std::optional<" + e + ">");
      // A shared parameter's description is on its declaration (params::<Name>), once.
      const SharedParams::Entry* shared = sharedParams_.find(p);
      std::string note = shared != nullptr ? "" : p.description;
      note += (note.empty() ? "" : "\n") + std::string("The ") + ir::toString(p.in) + " parameter \"" + p.name + "\"" +
              (p.required ? " (required)" : "") + (shared != nullptr ? ", params::" + shared->cppName : "") + ".";
      if (p.deprecated) note += " Deprecated.";
      pd.set("comment", commentLines(note, "  "));
      params.push_back(pd);

      Data use;
      use.set("spec", specRef(p));
      use.set("value", "params." + p.cppName);
      switch (p.in) {
        case ir::ParameterLocation::Path:
          pathParams[p.name] = &p;
          break;
        case ir::ParameterLocation::Query:
          queryParams.push_back(use);
          break;
        case ir::ParameterLocation::Header:
          headerParams.push_back(use);
          break;
        case ir::ParameterLocation::Cookie:
          hasCookies = true;
          cookieParams.push_back(use);
          break;
      }
    }
    d.set("params", params);
    d.set("pathParts", pathParts(op.path, pathParams));
    d.set("queryParams", queryParams);
    d.set("headerParams", headerParams);
    d.set("hasCookies", hasCookies);
    d.set("cookieParams", cookieParams);

    // ---- request body
    Data bodies = list();
    bool hasParts = false;
    if (op.requestBody && !op.requestBody->contents.empty()) {
      std::vector<std::string> names = bodyNames(op.requestBody->contents);
      bool single = op.requestBody->contents.size() == 1;
      for (const ir::MediaType& m : op.requestBody->contents) {
        if (mediaKind(m.mediaType) == MediaKind::Multipart) hasParts = true;
      }
      std::string partsName = hasParts ? members.claim("parts", naming::Case::Snake) : "parts";
      bool first = true;
      for (std::size_t i = 0; i < op.requestBody->contents.size(); ++i) {
        const ir::MediaType& m = op.requestBody->contents[i];
        MediaKind kind = mediaKind(m.mediaType);
        std::string name = members.claim(names[i], naming::Case::Snake);
        bool optional = !single || !op.requestBody->required;
        std::string type = kind == MediaKind::Raw ? "std::string" : types_.useExpr(m.type);
        std::string media = m.mediaType.find('*') != std::string::npos ? "application/octet-stream" : m.mediaType;
        Data b;
        b.set("name", name);
        b.set("mediaType", m.mediaType);
        b.set("mediaLiteral", cppString(media));
        b.set("type", optional ? "std::optional<" + type + ">" : type);
        b.set("oneOf", !single);
        std::string value = optional ? "*params." + name : "params." + name;
        std::string guard = optional ? "if (params." + name + ") " : "";
        switch (kind) {
          case MediaKind::Json:
            b.set("json", true);
            break;
          case MediaKind::Form:
            b.set("form", true);
            break;
          case MediaKind::Multipart:
            b.set("multipart", true);
            value = optional ? "(params." + name + " ? tether::model::serialize(*params." + name +
                                   ") : nlohmann::json::object())"
                             : "tether::model::serialize(params." + name + ")";
            if (optional) guard = "if (params." + name + " || !params." + partsName + ".empty()) ";
            break;
          case MediaKind::Raw:
            b.set("raw", true);
            break;
        }
        b.set("value", value);
        b.set("guard", (first || guard.empty() ? "" : "else ") + guard);
        first = guard.empty() ? first : false;
        bodies.push_back(b);
      }
      d.set("partsName", partsName);
    } else {
      d.set("partsName", "parts");
    }
    d.set("bodies", bodies);
    d.set("hasParts", hasParts);

    // ---- responses
    std::set<std::string> seen;
    std::string accept;
    const ir::MediaType* successJson = nullptr;
    const ir::Response* success = nullptr;
    bool successOther = false;
    bool stream = false;
    for (const ir::Response& r : op.responses) {
      for (const ir::MediaType& m : r.contents) {
        if (isEventStream(m.mediaType)) {
          if (isSuccess(r)) stream = true;
          continue;
        }
        if (seen.insert(m.mediaType).second) accept += (accept.empty() ? "" : ", ") + m.mediaType;
        if (!isSuccess(r)) continue;
        if (mediaKind(m.mediaType) == MediaKind::Json) {
          if (successJson == nullptr) {
            successJson = &m;
            success = &r;
          }
        } else {
          successOther = true;
        }
      }
    }
    d.set("acceptLiteral", cppString(accept.empty() ? "application/json" : accept));
    bool hasCall = successJson != nullptr || successOther || !stream;
    d.set("hasCall", hasCall);
    d.set("stream", stream);
    std::string bodyType;
    if (successJson != nullptr) {
      bodyType = types_.useExpr(successJson->type);
      d.set("jsonBody", true);
      d.set("returnType", bodyType);
      d.set("evaluate", evaluateRef(successJson->type));
      if (std::optional<Paging> paging = detectPaging(op, successJson->type)) {
        Data pd;
        pd.set("cursorParam", paging->cursorParam);
        pd.set("itemsField", paging->itemsField);
        pd.set("itemType", paging->itemType);
        pd.set("nextCursor", paging->nextCursor);
        Data pagers = list();
        pagers.push_back(pd);
        d.set("pager", pagers);
      }
    } else if (successOther) {
      bodyType = "std::string";
      d.set("rawBody", true);
      d.set("returnType", bodyType);
    } else {
      bodyType = "NoContent";
      d.set("noBody", true);
      d.set("returnType", "void");
    }
    d.set("bodyType", bodyType);
    bool pathUsesParams = std::any_of(pathParams.begin(), pathParams.end(), [&](const auto& entry) {
      return op.path.find("{" + entry.first + "}") != std::string::npos;
    });
    d.set("usesParams", pathUsesParams || !queryParams.is_empty_list() ||
                            !headerParams.is_empty_list() || hasCookies || !bodies.is_empty_list());
    if (success == nullptr) {
      for (const ir::Response& r : op.responses) {
        if (isSuccess(r)) {
          success = &r;
          break;
        }
      }
    }
    std::string responseType = "Response<" + bodyType;
    std::string headers;
    if (success != nullptr && !success->headers.empty() && hasCall) {
      headers = headerSet(success->headers).get("name")->string_value();
      responseType += ", " + headers;
    }
    d.set("responseType", responseType + ">");
    // The call that types the response (tether/client/generated.h).
    std::string receive;
    if (successJson != nullptr) {
      receive = "detail::receiveJson<" + bodyType + (headers.empty() ? "" : ", " + headers) +
                ">(std::move(response), settings_,\n" + std::string(6, ' ') + evaluateRef(successJson->type) + ", " +
                cppString(op.operationId) + ")";
    } else {
      receive = std::string(successOther ? "detail::receiveRaw" : "detail::receiveNothing") +
                (headers.empty() ? "" : "<" + headers + ">") + "(std::move(response))";
    }
    d.set("receive", receive);
    return d;
  }

  // The typed headers of a success response, as a struct shared by every response that
  // documents the same headers (an API repeats its request-id and rate-limit headers).
  Data headerSet(const std::vector<ir::Header>& headers) const {
    std::string signature, names;
    Data fields = list();
    naming::Scope scope;
    for (const ir::Header& h : headers) {
      std::string type = types_.useExpr(h.type);
      signature += h.name + ":" + type + ";";
      names += (names.empty() ? "" : ", ") + h.name;
      ir::Parameter p;
      p.name = h.name;
      p.in = ir::ParameterLocation::Header;
      p.style = "simple";
      p.type = h.type;
      Data f;
      f.set("name", scope.claim(h.cppName.empty() ? h.name : h.cppName, naming::Case::Snake));
      f.set("type", type);
      f.set("spec", paramSpecExpr(p, api_));
      f.set("comment", commentLines((h.description.empty() ? "" : h.description + "\n") + "The header \"" + h.name +
                                        "\"" + (h.required ? " (required)." : "."),
                                    "  "));
      fields.push_back(f);
    }
    auto [it, added] = headerSetIndex_.emplace(signature, headerSets_.size());
    std::string name = "ResponseHeaders" + std::to_string(it->second + 1);
    Data set;
    set.set("name", name);
    set.set("names", names);
    set.set("headers", fields);
    if (added) headerSets_.push_back(set);
    return set;
  }

  // The path as literal pieces and encoded parameters.
  Data pathParts(const std::string& path, const std::map<std::string, const ir::Parameter*>& params) const {
    Data parts = list();
    std::string literal;
    auto flush = [&] {
      if (literal.empty()) return;
      Data part;
      Data lit;
      lit.set("text", cppString(literal));
      part.set("literal", lit);
      parts.push_back(part);
      literal.clear();
    };
    std::size_t i = 0;
    while (i < path.size()) {
      std::size_t close = path[i] == '{' ? path.find('}', i) : std::string::npos;
      if (close == std::string::npos) {
        literal += path[i++];
        continue;
      }
      std::string name = path.substr(i + 1, close - i - 1);
      auto it = params.find(name);
      if (it == params.end()) {
        literal += path.substr(i, close - i + 1);
      } else {
        flush();
        const ir::Parameter& p = *it->second;
        Data use;
        use.set("spec", specRef(p));
        use.set("value", "params." + p.cppName);
        Data part;
        part.set("param", use);
        parts.push_back(part);
      }
      i = close + 1;
    }
    flush();
    return parts;
  }

  // ---- pagination ------------------------------------------------------------------------

  const ir::Field* field(const ir::Type& type, std::initializer_list<const char*> names) const {
    for (const char* name : names) {
      for (const ir::Field& f : type.fields) {
        if (f.jsonName == name) return &f;
      }
    }
    return nullptr;
  }

  bool isKind(ir::TypeId id, ir::TypeKind kind) const { return id != ir::kNoType && api_.type(id).kind == kind; }
  bool isStringField(const ir::Field* f) const {
    return f != nullptr && f->type != ir::kNoType && types_.expr(f->type, false) == "std::string";
  }
  bool isBoolField(const ir::Field* f) const { return f != nullptr && isKind(f->type, ir::TypeKind::Boolean); }
  bool isStruct(ir::TypeId id) const {
    return id != ir::kNoType && types_.declKind(id) == DeclKind::Struct && api_.type(id).kind == ir::TypeKind::Object;
  }

  std::optional<Paging> detectPaging(const ir::Operation& op, ir::TypeId body) const {
    static const std::set<std::string> cursorNames = {
        "cursor",     "page_token",         "pageToken",         "starting_after", "after", "next_token",
        "nextToken", "continuation_token", "continuationToken", "page_cursor",    "marker"};
    const ir::Parameter* cursor = nullptr;
    for (const ir::Parameter& p : op.parameters) {
      if (p.in == ir::ParameterLocation::Query && cursorNames.count(p.name) != 0 && p.mediaType.empty() &&
          p.type != ir::kNoType && types_.useExpr(p.type) == "std::string") {
        cursor = &p;
        break;
      }
    }
    if (cursor == nullptr || !isStruct(body) || api_.type(body).nullable) return std::nullopt;
    const ir::Type& page = api_.type(body);
    const ir::Field* items = field(page, {"data", "items", "results", "entries", "records", "values", "elements"});
    if (items == nullptr || !isKind(items->type, ir::TypeKind::Array)) return std::nullopt;
    Paging paging;
    paging.cursorParam = cursor->cppName;
    paging.itemsField = items->cppName;
    paging.itemType = types_.useExpr(api_.type(items->type).items);
    auto nextOf = [&](const ir::Type& holder) {
      const ir::Field* f = field(holder, {"next_cursor", "nextCursor", "next_page_token", "nextPageToken", "next_token",
                                          "nextToken", "next", "cursor"});
      return isStringField(f) ? f : nullptr;
    };
    auto moreOf = [&](const ir::Type& holder) {
      const ir::Field* f = field(holder, {"has_more", "hasMore"});
      return isBoolField(f) ? f : nullptr;
    };
    auto tail = [](const std::string& holder, const ir::Field* next, const ir::Field* more) {
      std::string code;
      if (more != nullptr) {
        code += "        if (const auto* more = detail::present(" + holder + more->cppName +
                "); more != nullptr && !*more) return std::nullopt;\n";
      }
      code += "        const auto* next = detail::present(" + holder + next->cppName + ");\n";
      code += "        return next != nullptr ? std::optional<std::string>(*next) : std::nullopt;";
      return code;
    };
    if (const ir::Field* next = nextOf(page)) {
      paging.nextCursor = tail("page.", next, moreOf(page));
      return paging;
    }
    for (const ir::Field& member : page.fields) {
      if (!isStruct(member.type)) continue;
      const ir::Type& holder = api_.type(member.type);
      if (const ir::Field* next = nextOf(holder)) {
        paging.nextCursor = "        const auto* holder = detail::present(page." + member.cppName +
                            ");\n        if (holder == nullptr) return std::nullopt;\n" +
                            tail("holder->", next, moreOf(holder));
        return paging;
      }
    }
    // Stripe style: the last item's id, while has_more.
    const ir::Field* more = moreOf(page);
    ir::TypeId itemId = api_.type(items->type).items;
    if ((cursor->name == "starting_after" || cursor->name == "after") && more != nullptr && isStruct(itemId)) {
      const ir::Field* id = field(api_.type(itemId), {"id"});
      if (isStringField(id)) {
        paging.nextCursor = "        const auto* more = detail::present(page." + more->cppName +
                            ");\n        const auto* items = detail::present(page." + items->cppName +
                            ");\n        if (more == nullptr || !*more || items == nullptr || items->empty()) return "
                            "std::nullopt;\n        const auto* last = detail::present(items->back());\n"
                            "        const auto* id = last != nullptr ? detail::present(last->" +
                            id->cppName +
                            ") : nullptr;\n        return id != nullptr ? std::optional<std::string>(*id) : "
                            "std::nullopt;";
        return paging;
      }
    }
    return std::nullopt;
  }

  const ir::Api& api_;
  const CodegenOptions& options_;
  CppTypes types_;
  SharedParams sharedParams_;
  std::set<ir::TypeId> validated_;
  mutable std::map<std::string, std::size_t> headerSetIndex_;
  mutable std::vector<Data> headerSets_;
};

}  // namespace

GeneratedFiles emitClient(const ir::Api& api, const CodegenOptions& options) {
  return ClientEmitter(api, options).emit();
}

}  // namespace tether::codegen
