// The client emitter: client.h (a struct of inputs per operation, a class per tag, the
// Client umbrella) and client_1..N.cpp (request encoding, response decoding, pagers and
// streams). It first plans every operation once (names, bodies, responses, paging: what
// both files need, and the response header sets client.h declares before any operation),
// then prints the files with tether::emit::Printer, one function per construct.
// The rules for detecting cursor pagination are documented in tether/codegen/client.h.
#include "tether/codegen/client.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string_view>

#include "operations.h"
#include "render.h"
#include "tether/codegen/cpp_types.h"
#include "tether/codegen/validators.h"
#include "tether/emit/printer.h"
#include "tether/naming/namer.h"

namespace tether::codegen {

namespace {

using emit::Printer;

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
  std::string cursorParam;  // the Params member set to the next cursor
  std::string itemsField;   // the body's array member
  std::string itemType;     // its items' C++ type
  // How the next cursor is read from a page:
  //   Field:      the page's string member `next` (ending when `more` is false);
  //   Nested:     the same, on the page's object member `holder` (meta.next_cursor);
  //   LastItemId: Stripe style, the last item's string member `next` while `more`.
  enum class Next { Field, Nested, LastItemId } how = Next::Field;
  std::string holder;
  std::string next;
  std::string more;  // the has_more member, or "" (required for LastItemId)
};

// A parameter: a member of the Params struct.
struct Param {
  const ir::Parameter* param;
  // Its params::<Name> declaration, or nullptr (looked up once: the lookup is the
  // parameter's whole schema as text, and each parameter is printed twice).
  const SharedParams::Entry* shared;
};

// A request body of one media type: a member of the Params struct.
struct Body {
  const ir::MediaType* media;
  MediaKind kind;
  std::string name;  // the member
  bool optional;     // std::optional: one of several bodies, or a body that is not required
};

// What both files need to know of an operation, decided once.
struct OperationPlan {
  const ir::Operation* op;
  std::string paramsType;  // "ListPetsParams": the inputs' struct, and request<paramsType>()
  std::string method;      // "GET"
  std::vector<Param> params;  // the struct's parameter members, in order
  std::vector<Body> bodies;
  bool hasParts = false;   // a multipart body: the struct has a member for extra parts
  std::string partsName;   // that member, when hasParts
  std::string accept;      // the Accept header: every non-stream response media type
  const ir::MediaType* successJson = nullptr;  // the typed success body, when JSON
  bool successOther = false;  // a success body of another media type: read as a string
  bool stream = false;        // a text/event-stream success response: <op>Stream
  bool hasCall = false;       // <op>() and <op>WithResponse()
  std::string bodyType;       // the Response's body type: the JSON type, std::string, NoContent
  std::string returnType;     // what <op>() returns: the body type, or void
  std::string headers;        // the success response's ResponseHeaders<N>, or ""
  std::optional<Paging> paging;  // <op>All
};

struct TagPlan {
  const TagGroup* group;
  std::string clientType;  // "PetsClient"
  std::string member;      // "pets": its member in Client
  std::vector<OperationPlan> operations;
};

// The operations of a tag that one part declares and defines (operations.h, sliceGroups),
// in the class `className`: the tag's own client class, or, for a tag cut into runs, its
// run's class (<Tag>ClientPart<run>), which the tag's class derives from.
struct TagSlice {
  const TagPlan* tag;
  GroupSlice slice;
  std::string className;
  std::span<const OperationPlan> operations() const {
    return {tag->operations.data() + slice.begin, slice.end - slice.begin};
  }
};

// The typed headers of a success response: a struct shared by every response that documents
// the same headers (an API repeats its request-id and rate-limit headers).
struct HeaderSet {
  struct Field {
    const ir::Header* header;
    std::string name;  // the member
    std::string type;
  };
  std::string name;   // "ResponseHeaders3"
  std::string names;  // the header names, for its comment
  std::vector<Field> fields;
};

class ClientEmitter {
 public:
  ClientEmitter(const CppTypes& types, const CodegenOptions& options)
      : api_(types.api()), options_(options), ns_(htmlEscaped(options.cppNamespace)), types_(types),
        sharedParams_(api_) {
    types_.setQualifier("::" + options.cppNamespace + "::");
    validated_ = validatedTypes(api_, sharedParams_);
  }

  GeneratedFiles emit() {
    const std::vector<TagGroup> groups = groupByTag(api_);
    std::vector<TagPlan> tags;
    tags.reserve(groups.size());
    for (const TagGroup& group : groups) tags.push_back(planTag(group));

    // Each part has its own header with its operations' parameters and client classes, so a
    // part's unit compiles only its own; client.h gathers them.
    const std::size_t parts = std::max<std::size_t>(options_.parts, 1);
    const std::vector<GroupSlice> slices = sliceGroups(groups, parts);
    std::vector<std::vector<TagSlice>> perPart(parts);
    for (const GroupSlice& slice : slices) {
      const TagPlan& tag = tags[slice.group];
      perPart[slice.part].push_back(
          {&tag, slice, slice.run == 0 ? tag.clientType : tag.clientType + "Part" + std::to_string(slice.run)});
    }

    GeneratedFiles files;
    files.push_back({"client.h", finished(printHeader(tags, slices, parts))});
    files.push_back({"client_common.h", finished(printCommonHeader())});
    for (std::size_t n = 0; n < parts; ++n) {
      const std::string stem = "client_" + std::to_string(n + 1);
      files.push_back({stem + ".h", finished(printPartHeader(n, perPart[n]))});
      files.push_back({stem + ".cpp", finished(printPart(n, perPart[n]))});
    }
    return files;
  }

 private:
  // ---- planning ------------------------------------------------------------------------

  TagPlan planTag(const TagGroup& group) {
    TagPlan tag{&group, group.cppName + "Client", naming::identifier(group.cppName, naming::Case::Snake), {}};
    tag.operations.reserve(group.operations.size());
    for (const ir::Operation* op : group.operations) tag.operations.push_back(planOperation(*op));
    return tag;
  }

  static bool ignoredHeader(const ir::Parameter& p) {
    if (p.in != ir::ParameterLocation::Header) return false;
    std::string name = lower(p.name);
    // OpenAPI: such header parameters are ignored (the transport and media types own them).
    return name == "accept" || name == "content-type" || name == "authorization";
  }

  OperationPlan planOperation(const ir::Operation& op) {
    OperationPlan plan;
    plan.op = &op;
    plan.paramsType = pascal(op.cppName) + "Params";
    plan.method = op.method;
    for (char& c : plan.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    planInputs(op, plan);
    planResponses(op, plan);
    return plan;
  }

  // The members of <Op>Params: the parameters keep their names, the bodies and the extra
  // parts get names none of them has.
  void planInputs(const ir::Operation& op, OperationPlan& plan) const {
    naming::Scope members;
    for (const ir::Parameter& p : op.parameters) {
      if (ignoredHeader(p)) continue;
      members.claimExact(p.cppName);
      plan.params.push_back({&p, sharedParams_.find(p)});
    }
    if (op.requestBody && !op.requestBody->contents.empty()) {
      const std::vector<ir::MediaType>& contents = op.requestBody->contents;
      std::vector<std::string> names = bodyNames(contents);
      plan.hasParts = std::any_of(contents.begin(), contents.end(),
                                  [](const ir::MediaType& m) { return mediaKind(m.mediaType) == MediaKind::Multipart; });
      if (plan.hasParts) plan.partsName = members.claim("parts", naming::Case::Snake);
      const bool optional = contents.size() > 1 || !op.requestBody->required;
      for (std::size_t i = 0; i < contents.size(); ++i) {
        plan.bodies.push_back({&contents[i], mediaKind(contents[i].mediaType),
                               members.claim(names[i], naming::Case::Snake), optional});
      }
    }
  }

  // The Accept header, and which success response the call returns, and how.
  void planResponses(const ir::Operation& op, OperationPlan& plan) {
    std::set<std::string> seen;
    const ir::Response* success = nullptr;
    for (const ir::Response& r : op.responses) {
      for (const ir::MediaType& m : r.contents) {
        if (isEventStream(m.mediaType)) {
          if (isSuccess(r)) plan.stream = true;
          continue;
        }
        if (seen.insert(m.mediaType).second) plan.accept += (plan.accept.empty() ? "" : ", ") + m.mediaType;
        if (!isSuccess(r)) continue;
        if (mediaKind(m.mediaType) != MediaKind::Json) {
          plan.successOther = true;
        } else if (plan.successJson == nullptr) {
          plan.successJson = &m;
          success = &r;
        }
      }
    }
    if (plan.accept.empty()) plan.accept = "application/json";
    plan.hasCall = plan.successJson != nullptr || plan.successOther || !plan.stream;
    if (plan.successJson != nullptr) {
      plan.bodyType = plan.returnType = types_.useExpr(plan.successJson->type);
      plan.paging = detectPaging(op, plan.successJson->type);
    } else if (plan.successOther) {
      plan.bodyType = plan.returnType = "std::string";
    } else {
      plan.bodyType = "NoContent";
      plan.returnType = "void";
    }
    if (success == nullptr) {
      auto first = std::find_if(op.responses.begin(), op.responses.end(), isSuccess);
      if (first != op.responses.end()) success = &*first;
    }
    if (success != nullptr && !success->headers.empty() && plan.hasCall) plan.headers = headerSet(success->headers);
  }

  // The name of the header set of `headers`, added when no earlier response documents the
  // same headers (names and types).
  std::string headerSet(const std::vector<ir::Header>& headers) {
    std::string signature;
    for (const ir::Header& h : headers) signature += h.name + ":" + types_.useExpr(h.type) + ";";
    auto [it, added] = headerSetIndex_.emplace(std::move(signature), headerSets_.size());
    if (added) {
      HeaderSet set{"ResponseHeaders" + std::to_string(headerSets_.size() + 1), "", {}};
      naming::Scope scope;
      for (const ir::Header& h : headers) {
        set.names += (set.names.empty() ? "" : ", ") + h.name;
        set.fields.push_back(
            {&h, scope.claim(h.cppName.empty() ? h.name : h.cppName, naming::Case::Snake), types_.useExpr(h.type)});
      }
      headerSets_.push_back(std::move(set));
    }
    return headerSets_[it->second].name;
  }

  // ---- pagination ----------------------------------------------------------------------

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
      return isBoolField(f) ? f->cppName : std::string();
    };
    if (const ir::Field* next = nextOf(page)) {
      paging.next = next->cppName;
      paging.more = moreOf(page);
      return paging;
    }
    for (const ir::Field& member : page.fields) {
      if (!isStruct(member.type)) continue;
      const ir::Type& holder = api_.type(member.type);
      if (const ir::Field* next = nextOf(holder)) {
        paging.how = Paging::Next::Nested;
        paging.holder = member.cppName;
        paging.next = next->cppName;
        paging.more = moreOf(holder);
        return paging;
      }
    }
    // Stripe style: the last item's id, while has_more.
    paging.more = moreOf(page);
    ir::TypeId itemId = api_.type(items->type).items;
    if ((cursor->name == "starting_after" || cursor->name == "after") && !paging.more.empty() && isStruct(itemId)) {
      const ir::Field* id = field(api_.type(itemId), {"id"});
      if (isStringField(id)) {
        paging.how = Paging::Next::LastItemId;
        paging.next = id->cppName;
        return paging;
      }
    }
    return std::nullopt;
  }

  // ---- client.h ------------------------------------------------------------------------

  // client.h: every part's header, the classes of the tags cut into runs, and Client.
  std::string printHeader(const std::vector<TagPlan>& tags, const std::vector<GroupSlice>& slices,
                          std::size_t parts) const {
    Printer out;
    out.print("$banner$\n#pragma once\n\n#include \"client_common.h\"\n",
              {{"banner", banner(api_, options_, "Client: a class per tag with typed calls, pages and streams, over tether::client.")}});
    for (std::size_t n = 0; n < parts; ++n) out.print("#include \"client_$n$.h\"\n", {{"n", std::to_string(n + 1)}});
    out.print("\nnamespace $ns$::client {\n", {{"ns", ns_}});
    for (const GroupSlice& slice : slices) {
      if (slice.run == 1) printRunsClass(out, tags[slice.group], slice.runs);
    }
    printUmbrellaClass(out, tags);
    out.print("\n}  // namespace $ns$::client\n", {{"ns", ns_}});
    return out.take();
  }

  // client_common.h: what every part shares.
  std::string printCommonHeader() const {
    Printer out;
    out.print(
        "$banner$\n"
        "#pragma once\n"
        "\n"
        "#include <functional>\n"
        "#include <memory>\n"
        "#include <optional>\n"
        "#include <string>\n"
        "#include <vector>\n"
        "\n"
        "#include \"models.h\"\n"
        "#include \"tether/client/generated.h\"\n"
        "\n"
        "namespace $ns$::client {\n"
        "\n"
        "using tether::client::NoContent;\n"
        "using tether::client::NoHeaders;\n"
        "using tether::client::Part;\n"
        "using tether::client::Response;\n"
        "using tether::client::ResponseValidationError;\n"
        "using tether::client::Settings;\n"
        "namespace detail = tether::client::detail;\n",
        {{"banner", banner(api_, options_, "Client: what every part shares: response header sets and the parameters\n"
                                           "// the spec declares once (components).")},
         {"ns", ns_}});
    for (const HeaderSet& set : headerSets_) printHeaderSetDeclaration(out, set);
    printSharedParamDeclarations(out);
    out.print("\n}  // namespace $ns$::client\n", {{"ns", ns_}});
    return out.take();
  }

  // client_N.h: the parameters and client classes of part N's operations.
  std::string printPartHeader(std::size_t n, const std::vector<TagSlice>& slices) const {
    Printer out;
    out.print("$banner$\n#pragma once\n\n#include \"client_common.h\"\n\nnamespace $ns$::client {\n",
              {{"banner", banner(api_, options_,
                                 "Client: the parameters and client classes of part " + std::to_string(n + 1) + ".")},
               {"ns", ns_}});
    for (const TagSlice& slice : slices) {
      out.print("\n// ==== $tag$ ====\n", {{"tag", sliceHeading(slice)}});
      for (const OperationPlan& plan : slice.operations()) printParamsStruct(out, plan);
      printClientClass(out, slice);
    }
    out.print("\n}  // namespace $ns$::client\n", {{"ns", ns_}});
    return out.take();
  }

  static std::string sliceHeading(const TagSlice& slice) {
    std::string heading = htmlEscaped(slice.tag->group->name);
    return slice.slice.run == 0 ? heading : heading + " (" + runRange(slice.slice, *slice.tag->group) + ")";
  }

  // A tag cut into runs: its class derives from each run's class (client_N.h).
  void printRunsClass(Printer& out, const TagPlan& tag, std::size_t runs) const {
    printRunsClassHead(out, groupComment(*tag.group), tag.clientType, runs);
    out.print(
        " {\n"
        " public:\n"
        "  explicit $type$(const std::shared_ptr<tether::client::Transport>& transport, Settings settings = {})\n",
        {{"type", tag.clientType}});
    for (std::size_t n = 1; n <= runs; ++n) {
      out.print("      $lead$$type$Part$n$(transport, settings)$end$\n",
                {{"lead", n == 1 ? ": " : "  "},
                 {"type", tag.clientType},
                 {"n", std::to_string(n)},
                 {"end", n == runs ? " {}" : ","}});
    }
    out.print("};\n");
  }

  void printHeaderSetDeclaration(Printer& out, const HeaderSet& set) const {
    out.print("\n// Response headers: $names$.\nstruct $name$ {\n", {{"names", set.names}, {"name", set.name}});
    out.indent();
    for (const HeaderSet::Field& f : set.fields) {
      const ir::Header& h = *f.header;
      printComment(out, (h.description.empty() ? "" : h.description + "\n") + "The header \"" + h.name + "\"" +
                            (h.required ? " (required)." : "."));
      out.print("std::optional<$type$> $name${};\n", {{"type", f.type}, {"name", f.name}});
    }
    out.print(
        "\n"
        "// Reads them from a response; one that is absent or unreadable stays unset.\n"
        "static $name$ read(const tether::http::Headers& headers);\n",
        {{"name", set.name}});
    out.outdent();
    out.print("};\n");
  }

  // params::<Name>: the parameters the operations share, declared once (SharedParams).
  void printSharedParamDeclarations(Printer& out) const {
    if (sharedParams_.entries().empty()) return;
    out.print(
        "\n"
        "// The parameters the spec declares once (components/parameters), defined in client_1.cpp.\n"
        "namespace params {\n");
    for (const SharedParams::Entry& entry : sharedParams_.entries()) {
      const ir::Parameter& p = *entry.param;
      std::string origin = entry.component.empty() ? "" : " (components/parameters/" + entry.component + ")";
      out.print("\n");
      printComment(out, (p.description.empty() ? "" : p.description + "\n") + "The " + ir::toString(p.in) +
                            " parameter \"" + p.name + "\"" + origin + ".");
      out.print("extern const tether::http::ParamSpec $name$;\n", {{"name", entry.cppName}});
    }
    out.print("\n}  // namespace params\n");
  }

  // <Op>Params: the operation's inputs.
  void printParamsStruct(Printer& out, const OperationPlan& plan) const {
    const ir::Operation& op = *plan.op;
    out.print("\n// The inputs of $id$ ($method$ $path$).\nstruct $type$ {\n",
              {{"id", htmlEscaped(op.operationId)}, {"method", plan.method}, {"path", op.path}, {"type", plan.paramsType}});
    out.indent();
    for (const auto& [p, shared] : plan.params) {
      // A shared parameter's description is on its declaration (params::<Name>), once.
      std::string note = shared != nullptr ? "" : p->description;
      note += (note.empty() ? "" : "\n") + std::string("The ") + ir::toString(p->in) + " parameter \"" + p->name + "\"" +
              (p->required ? " (required)" : "") + (shared != nullptr ? ", params::" + shared->cppName : "") + ".";
      if (p->deprecated) note += " Deprecated.";
      printComment(out, note);
      std::string type = types_.useExpr(p->type);
      out.print("$type$ $name${};\n", {{"type", p->required ? type : "std::optional<" + type + ">"}, {"name", p->cppName}});
    }
    for (const Body& body : plan.bodies) {
      std::string type = body.kind == MediaKind::Raw ? "std::string" : types_.useExpr(body.media->type);
      out.print("// The body as $media$$oneOf$.\n$type$ $name${};\n",
                {{"media", body.media->mediaType},
                 {"oneOf", plan.bodies.size() > 1 ? " (set one of the bodies)" : ""},
                 {"type", body.optional ? "std::optional<" + type + ">" : type},
                 {"name", body.name}});
    }
    if (plan.hasParts) {
      out.print(
          "// Extra parts of the multipart body (files), sent after the model's members.\n"
          "std::vector<Part> $name${};\n",
          {{"name", plan.partsName}});
    }
    out.outdent();
    out.print("};\n");
  }

  // The client of a tag: the declarations of its operations' methods.
  void printClientClass(Printer& out, const TagSlice& slice) const {
    out.print("\n");
    const TagPlan& tag = *slice.tag;
    printComment(out, slice.slice.run == 0 ? groupComment(*tag.group)
                                           : "The " + runRange(slice.slice, *tag.group) + " of \"" + tag.group->name +
                                                 "\", which " + tag.clientType + " (client.h) gathers with the others.");
    out.print(
        "//\n"
        "// Each operation has a method that returns the body of its response, and one named\n"
        "// <method>WithResponse that returns the response's status and headers with it.\n"
        "// Thread-safe as its Transport is; copies share the Transport.\n"
        "class $type$ {\n"
        " public:\n"
        "  explicit $type$(std::shared_ptr<tether::client::Transport> transport, Settings settings = {})\n"
        "      : transport_(std::move(transport)), settings_(settings) {}\n",
        {{"type", slice.className}});
    out.indent();
    for (const OperationPlan& plan : slice.operations()) printMethodDeclarations(out, plan);
    out.outdent();
    out.print(
        "\n"
        " private:\n"
        "  std::shared_ptr<tether::client::Transport> transport_;\n"
        "  Settings settings_;\n"
        "};\n");
  }

  std::string responseType(const OperationPlan& plan) const {
    return "Response<" + plan.bodyType + (plan.headers.empty() ? "" : ", " + plan.headers) + ">";
  }

  void printMethodDeclarations(Printer& out, const OperationPlan& plan) const {
    const ir::Operation& op = *plan.op;
    std::string text = op.summary;
    if (!op.description.empty() && op.description != op.summary) text += (text.empty() ? "" : "\n\n") + op.description;
    text += (text.empty() ? "" : "\n\n") + plan.method + " " + op.path;
    if (op.deprecated) text += " (deprecated)";
    out.print("\n");
    printComment(out, text);
    if (plan.hasCall) {
      out.print(
          "$return$ $method$(const $params$& params = {}) const;\n"
          "$response$ $method$WithResponse(const $params$& params = {}) const;\n",
          {{"return", plan.returnType},
           {"response", responseType(plan)},
           {"method", op.cppName},
           {"params", plan.paramsType}});
    }
    if (plan.paging) {
      out.print(
          "// Every item of every page, fetched lazily page after page from `params` on (the\n"
          "// cursor is set for each next page). The Pager keeps a copy of this client.\n"
          "tether::client::Pager<$body$, $item$> $method$All($params$ params = {}) const;\n",
          {{"body", plan.bodyType}, {"item", plan.paging->itemType}, {"method", op.cppName}, {"params", plan.paramsType}});
    }
    if (plan.stream) {
      out.print(
          "// Reads the text/event-stream response, calling onEvent per event until it returns\n"
          "// false or the server ends the stream; reconnects with Last-Event-ID when it drops.\n");
      printStreamSignature(out, "void " + op.cppName + "Stream(", plan.paramsType, ";");
    }
  }

  // `<start>const <Params>& params,` and the onEvent parameter aligned under it.
  static void printStreamSignature(Printer& out, const std::string& start, const std::string& paramsType,
                                   std::string_view end) {
    out.print(
        "$start$const $params$& params,\n"
        "$align$const std::function<bool(const tether::client::SseEvent&)>& onEvent) const$end$\n",
        {{"start", start}, {"params", paramsType}, {"align", std::string(start.size(), ' ')}, {"end", end}});
  }

  // The whole API: one member per tag's client.
  void printUmbrellaClass(Printer& out, const std::vector<TagPlan>& tags) const {
    std::string members;
    for (const TagPlan& tag : tags) members += tag.member + "(transport, settings), ";
    out.print(
        "\n"
        "// The whole API: one client per tag, all sharing one Transport (one connection pool).\n"
        "class Client {\n"
        " public:\n"
        "  explicit Client(tether::client::ClientOptions options, Settings settings = {})\n"
        "      : Client(std::make_shared<tether::client::Transport>(std::move(options)), settings) {}\n"
        "  explicit Client(std::shared_ptr<tether::client::Transport> transport, [[maybe_unused]] Settings settings = {})\n"
        "      : $members$transport_(std::move(transport)) {}\n"
        "\n",
        {{"members", members}});
    out.indent();
    for (const TagPlan& tag : tags) out.print("$type$ $member$;\n", {{"type", tag.clientType}, {"member", tag.member}});
    if (!tags.empty()) out.print("\n");
    out.print("const std::shared_ptr<tether::client::Transport>& sharedTransport() const { return transport_; }\n");
    out.outdent();
    out.print(
        "\n"
        " private:\n"
        "  std::shared_ptr<tether::client::Transport> transport_;\n"
        "};\n");
  }

  // ---- client_<n>.cpp ------------------------------------------------------------------

  std::string printPart(std::size_t n, const std::vector<TagSlice>& slices) const {
    Printer out;
    out.print(
        "$banner$\n"
        "#include \"$header$\"\n"
        "\n"
        "#include \"validators.h\"\n"
        "\n"
        "namespace $ns$::client {\n",
        {{"banner", banner(api_, options_,
                           "Client: request encoding and response decoding (part " + std::to_string(n + 1) + ").")},
         {"header", "client_" + std::to_string(n + 1) + ".h"},
         {"ns", ns_}});
    if (n == 0) {
      // What client_common.h declares once is defined in the first part.
      printSharedParamDefinitions(out);
      for (const HeaderSet& set : headerSets_) printHeaderSetRead(out, set);
    }
    for (const TagSlice& slice : slices) {
      out.print("\n// ==== $tag$ ====\n\nnamespace {\n", {{"tag", sliceHeading(slice)}});
      for (const OperationPlan& plan : slice.operations()) printRequestEncoding(out, plan);
      out.print("\n}  // namespace\n");
      for (const OperationPlan& plan : slice.operations()) {
        if (plan.hasCall) printCall(out, slice.className, plan);
        if (plan.paging) printPager(out, slice.className, plan);
        if (plan.stream) printStream(out, slice.className, plan);
      }
    }
    out.print("\n}  // namespace $ns$::client\n", {{"ns", ns_}});
    return out.take();
  }

  void printSharedParamDefinitions(Printer& out) const {
    if (sharedParams_.entries().empty()) return;
    out.print("\n// ---- the parameter components\n");
    for (const SharedParams::Entry& entry : sharedParams_.entries()) {
      out.print("\nconst tether::http::ParamSpec params::$name$$spec$;\n",
                {{"name", entry.cppName}, {"spec", paramSpecExpr(*entry.param, api_)}});
    }
  }

  void printHeaderSetRead(Printer& out, const HeaderSet& set) const {
    out.print("\n$name$ $name$::read(const tether::http::Headers& headers) {\n  $name$ out;\n", {{"name", set.name}});
    out.indent();
    for (const HeaderSet::Field& f : set.fields) {
      ir::Parameter p;
      p.name = f.header->name;
      p.in = ir::ParameterLocation::Header;
      p.style = "simple";
      p.type = f.header->type;
      out.print("detail::readHeader(headers, $spec$, out.$name$);\n", {{"spec", paramSpecExpr(p, api_)}, {"name", f.name}});
    }
    out.outdent();
    out.print("  return out;\n}\n");
  }

  // The ParamSpec argument of a parameter: the shared declaration, or the spec spelt out;
  // `content: application/json` parameters add the helpers' jsonContent flag.
  std::string specRef(const Param& p) const {
    std::string spec = p.shared != nullptr ? "params::" + p.shared->cppName : paramSpecExpr(*p.param, api_);
    return p.param->mediaType.empty() ? spec : spec + ", true";
  }

  // request<Op>Params(): the HttpRequest of the operation's inputs.
  void printRequestEncoding(Printer& out, const OperationPlan& plan) const {
    const ir::Operation& op = *plan.op;
    out.print(
        "\n"
        "// $id$: $method$ $path$\n"
        "tether::client::HttpRequest request$params$(const $params$& params) {\n"
        "  tether::client::HttpRequest request;\n"
        "  request.method = \"$method$\";\n"
        "  request.accept = $accept$;\n",
        {{"id", htmlEscaped(op.operationId)},
         {"method", plan.method},
         {"path", op.path},
         {"params", plan.paramsType},
         {"accept", cppString(plan.accept)}});
    out.indent();
    // A template name the operation declares twice takes the last declaration.
    std::map<std::string, const Param*> pathParams;
    for (const Param& p : plan.params) {
      if (p.param->in == ir::ParameterLocation::Path) pathParams[p.param->name] = &p;
    }
    printPath(out, op.path, pathParams);
    bool usesParams = !plan.bodies.empty() || std::any_of(pathParams.begin(), pathParams.end(), [&](const auto& entry) {
      return op.path.find("{" + entry.first + "}") != std::string::npos;
    });
    bool hasCookies = false;
    for (ir::ParameterLocation in : {ir::ParameterLocation::Query, ir::ParameterLocation::Header}) {
      for (const Param& p : plan.params) {
        if (p.param->in != in) continue;
        usesParams = true;
        out.print(in == ir::ParameterLocation::Query ? "detail::query(request, params.$name$, $spec$);\n"
                                                     : "detail::header(request, params.$name$, $spec$);\n",
                  {{"name", p.param->cppName}, {"spec", specRef(p)}});
      }
    }
    for (const Param& p : plan.params) {
      if (p.param->in != ir::ParameterLocation::Cookie) continue;
      if (!hasCookies) out.print("std::string cookies;\n");
      hasCookies = usesParams = true;
      out.print("detail::cookie(cookies, params.$name$, $spec$);\n", {{"name", p.param->cppName}, {"spec", specRef(p)}});
    }
    if (hasCookies) out.print("if (!cookies.empty()) request.headers.emplace_back(\"Cookie\", cookies);\n");
    printBodyEncoding(out, plan);
    if (!usesParams) out.print("(void)params;\n");
    out.print("return request;\n");
    out.outdent();
    out.print("}\n");
  }

  // The path: its literal pieces, and its parameters (by name) encoded.
  void printPath(Printer& out, const std::string& path, const std::map<std::string, const Param*>& byName) const {
    std::string literal;
    auto flush = [&] {
      if (literal.empty()) return;
      out.print("request.path += $text$;\n", {{"text", cppString(literal)}});
      literal.clear();
    };
    std::size_t i = 0;
    while (i < path.size()) {
      std::size_t close = path[i] == '{' ? path.find('}', i) : std::string::npos;
      if (close == std::string::npos) {
        literal += path[i++];
        continue;
      }
      auto it = byName.find(path.substr(i + 1, close - i - 1));
      if (it == byName.end()) {
        literal += path.substr(i, close - i + 1);
      } else {
        flush();
        out.print("request.path += detail::path(params.$name$, $spec$);\n",
                  {{"name", it->second->param->cppName}, {"spec", specRef(*it->second)}});
      }
      i = close + 1;
    }
    flush();
  }

  // One block per body media type; with several, the first one set is sent.
  void printBodyEncoding(Printer& out, const OperationPlan& plan) const {
    bool first = true;
    for (const Body& body : plan.bodies) {
      const std::string member = "params." + body.name;
      std::string value = body.optional ? "*" + member : member;
      std::string guard = body.optional ? "if (" + member + ") " : "";
      if (body.kind == MediaKind::Multipart) {
        value = body.optional ? "(" + member + " ? tether::model::serialize(*" + member + ") : nlohmann::json::object())"
                              : "tether::model::serialize(" + member + ")";
        // Extra parts alone make a body too.
        if (body.optional) guard = "if (" + member + " || !params." + plan.partsName + ".empty()) ";
      }
      out.print("$else$$guard${\n", {{"else", first || guard.empty() ? "" : "else "}, {"guard", guard}});
      if (!guard.empty()) first = false;
      const std::string& mediaType = body.media->mediaType;
      // A wildcard cannot be a Content-Type.
      const std::string media =
          cppString(mediaType.find('*') != std::string::npos ? "application/octet-stream" : mediaType);
      const Printer::Vars vars = {{"value", value}, {"media", media}, {"parts", plan.partsName}};
      out.indent();
      switch (body.kind) {
        case MediaKind::Json:
          out.print("request.body = tether::model::serialize($value$).dump();\nrequest.contentType = $media$;\n", vars);
          break;
        case MediaKind::Form:
          out.print("request.body = detail::formBody(tether::model::serialize($value$));\nrequest.contentType = $media$;\n",
                    vars);
          break;
        case MediaKind::Multipart:
          out.print(
              "detail::Multipart multipart = detail::multipartBody($value$, params.$parts$);\n"
              "request.body = std::move(multipart.body);\n"
              "request.contentType = std::move(multipart.contentType);\n",
              vars);
          break;
        case MediaKind::Raw:
          out.print("request.body = $value$;\nrequest.contentType = $media$;\n", vars);
          break;
      }
      out.outdent();
      out.print("}\n");
    }
  }

  std::string evaluateRef(ir::TypeId id) const {
    if (id == ir::kNoType || validated_.count(id) == 0) return "nullptr";
    return "&::" + options_.cppNamespace + "::validators::evaluate_" + validatorName(api_.type(id));
  }

  // <op>() and <op>WithResponse(): send, then read the response into its type.
  void printCall(Printer& out, const std::string& clientType, const OperationPlan& plan) const {
    const bool noBody = plan.successJson == nullptr && !plan.successOther;
    out.print(
        "\n"
        "$return$ $client$::$method$(const $params$& params) const {\n"
        "  $statement$;\n"
        "}\n"
        "\n"
        "$response$ $client$::$method$WithResponse(const $params$& params) const {\n"
        "  tether::client::HttpResponse response = transport_->sendChecked(request$params$(params));\n",
        {{"return", plan.returnType},
         {"client", clientType},
         {"method", plan.op->cppName},
         {"params", plan.paramsType},
         {"statement", noBody ? plan.op->cppName + "WithResponse(params)"
                              : "return " + plan.op->cppName + "WithResponse(params).body"},
         {"response", responseType(plan)}});
    out.indent();
    printResponseDecoding(out, plan);
    out.outdent();
    out.print("}\n");
  }

  // The return statement that types the response (tether/client/generated.h).
  void printResponseDecoding(Printer& out, const OperationPlan& plan) const {
    const std::string headers = plan.headers.empty() ? "" : ", " + plan.headers;
    if (plan.successJson != nullptr) {
      out.print("return detail::receiveJson<$body$$headers$>(std::move(response), settings_,\n",
                {{"body", plan.bodyType}, {"headers", headers}});
      out.indent(2);
      out.print("$evaluate$, $id$);\n",
                {{"evaluate", evaluateRef(plan.successJson->type)}, {"id", cppString(plan.op->operationId)}});
      out.outdent(2);
    } else {
      out.print("return detail::$receive$$headers$(std::move(response));\n",
                {{"receive", plan.successOther ? "receiveRaw" : "receiveNothing"},
                 {"headers", plan.headers.empty() ? "" : "<" + plan.headers + ">"}});
    }
  }

  // <op>All(): a Pager over the operation, with the lambdas that fetch a page, take its
  // items and find the next cursor.
  void printPager(Printer& out, const std::string& clientType, const OperationPlan& plan) const {
    const Paging& paging = *plan.paging;
    out.print(
        "\n"
        "tether::client::Pager<$body$, $item$> $client$::$method$All($params$ params) const {\n"
        "  using Page = $body$;\n"
        "  return tether::client::Pager<Page, $item$>(\n"
        "      [self = *this, params](const std::optional<std::string>& cursor) mutable {\n"
        "        if (cursor) params.$cursor$ = *cursor;\n"
        "        return self.$method$(params);\n"
        "      },\n"
        "      [](Page& page) {\n"
        "        const auto* items = detail::present(page.$items$);\n"
        "        return items != nullptr ? *items : std::vector<$item$>{};\n"
        "      },\n"
        "      [](const Page& page) -> std::optional<std::string> {\n",
        {{"body", plan.bodyType},
         {"item", paging.itemType},
         {"client", clientType},
         {"method", plan.op->cppName},
         {"params", plan.paramsType},
         {"cursor", paging.cursorParam},
         {"items", paging.itemsField}});
    out.indent(4);
    printNextCursor(out, paging);
    out.outdent(4);
    out.print("      });\n}\n");
  }

  // The body of the lambda that reads the next cursor of a page (nullopt: the last page).
  static void printNextCursor(Printer& out, const Paging& paging) {
    if (paging.how == Paging::Next::LastItemId) {
      out.print(
          "const auto* more = detail::present(page.$more$);\n"
          "const auto* items = detail::present(page.$items$);\n"
          "if (more == nullptr || !*more || items == nullptr || items->empty()) return std::nullopt;\n"
          "const auto* last = detail::present(items->back());\n"
          "const auto* id = last != nullptr ? detail::present(last->$id$) : nullptr;\n"
          "return id != nullptr ? std::optional<std::string>(*id) : std::nullopt;\n",
          {{"more", paging.more}, {"items", paging.itemsField}, {"id", paging.next}});
      return;
    }
    std::string holder = "page.";
    if (paging.how == Paging::Next::Nested) {
      out.print(
          "const auto* holder = detail::present(page.$holder$);\n"
          "if (holder == nullptr) return std::nullopt;\n",
          {{"holder", paging.holder}});
      holder = "holder->";
    }
    if (!paging.more.empty()) {
      out.print("if (const auto* more = detail::present($holder$$more$); more != nullptr && !*more) return std::nullopt;\n",
                {{"holder", holder}, {"more", paging.more}});
    }
    out.print(
        "const auto* next = detail::present($holder$$next$);\n"
        "return next != nullptr ? std::optional<std::string>(*next) : std::nullopt;\n",
        {{"holder", holder}, {"next", paging.next}});
  }

  // <op>Stream(): the request with Accept: text/event-stream, read event by event.
  void printStream(Printer& out, const std::string& clientType, const OperationPlan& plan) const {
    out.print("\n");
    printStreamSignature(out, "void " + clientType + "::" + plan.op->cppName + "Stream(", plan.paramsType, " {");
    out.print(
        "  tether::client::HttpRequest request = request$params$(params);\n"
        "  request.accept = \"text/event-stream\";\n"
        "  transport_->stream(std::move(request), onEvent);\n"
        "}\n",
        {{"params", plan.paramsType}});
  }

  // The text as CodegenOptions asks for it (clang-format only with --format).
  std::string finished(std::string text) const { return options_.format ? finish(text, options_) : text; }

  const ir::Api& api_;
  const CodegenOptions& options_;
  const std::string ns_;  // the namespace as the files spell it
  CppTypes types_;
  SharedParams sharedParams_;
  std::set<ir::TypeId> validated_;
  std::map<std::string, std::size_t> headerSetIndex_;  // signature -> headerSets_
  std::vector<HeaderSet> headerSets_;
};

}  // namespace

GeneratedFiles emitClient(const ir::Api& api, const CodegenOptions& options) {
  return emitClient(CppTypes(api), options);
}

GeneratedFiles emitClient(const CppTypes& types, const CodegenOptions& options) {
  return ClientEmitter(types, options).emit();
}

}  // namespace tether::codegen
