// The server emitter: server.h (a Handlers struct of every tag's handler, and addRoutes),
// server_common.h (what the parts share: the response header sets, and the parameters and
// responses the spec declares once) and, per part, server_N.h (the requests, responses and
// handler interfaces of its tags) and server_N.cpp (their decoding, writing and routes).
//
// The text is printed with tether::emit::Printer, one function per construct. An operation
// shows in several places of its part (its types and handler method in server_N.h; its
// response writers, request decoding and table entry in server_N.cpp), so each is first
// described (describe(): names, types and expressions) and the print functions read that.
// Every block prints the blank line that separates it from what precedes it.
#include "tether/codegen/server.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <span>

#include "operations.h"
#include "render.h"
#include "tether/codegen/cpp_types.h"
#include "tether/codegen/validators.h"
#include "tether/emit/printer.h"
#include "tether/naming/namer.h"

namespace tether::codegen {

namespace {

using emit::Printer;

std::string joinLiterals(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + cppString(item);
  return out;
}

// A response alternative with a struct of its own: an operation's, a component's
// (responses::<Name>) or the shared struct of a response several operations repeat.
struct Alternative {
  struct Body {
    std::string name, mediaType, type;
  };
  std::string name;               // "Status200", "NotFound"
  std::string qualified;          // its name in server_N.cpp: "GetPetResponse::Status200"
  std::string comment;            // the text of its comment
  std::optional<int> status;      // a range or default status: the initial value of its `status`
  std::string headers;            // its header set ("ResponseHeaders3"), or ""
  std::vector<Body> bodies;
  std::vector<std::string> writes;  // the statements of write(out); none when it has nothing to write
};

// One alternative of <Op>Response.
struct ResponseCase {
  std::string name;
  std::string alias;          // the shared struct it is exactly, or ""
  std::string derived;        // the shared struct it derives from, or ""
  std::string comment;        // of a derived struct
  std::optional<int> status;  // a derived struct's own `status` (a range or default status)
  std::optional<Alternative> own;  // else its own struct
  std::string constructor;    // the definition of <Op>Response's constructor that takes it
};

// What the print functions need of an operation.
struct Operation {
  struct Param {
    std::string name, type, comment, read;  // `read`: its tether::server::Param
  };
  struct Body {
    std::string name, mediaType, type, readCall;
  };
  const ir::Operation* op;
  std::string id;          // the operationId, as comments show it
  std::string method;      // "GET"
  std::string requestType, responseType, handleName;
  std::string comment;     // of the handler's method
  std::vector<Param> params;
  std::vector<Body> bodies;
  bool hasParts = false;  // a multipart body
  std::vector<ResponseCase> responses;
  std::string spec;  // its tether::server::OperationSpec
};

// What a part's banner and server.h's include of it say of its tags.
// For comments: tag names are spec text (commentText keeps their line breaks out).
std::string tagList(const std::string& names) {
  return names.empty() ? std::string("no tags") : "tags: " + commentText(names);
}

// A tag's names, as its part's files spell them.
struct Tag {
  std::string name;  // the spec's, escaped
  std::string handlerType, registerName, registerIndent;
  std::string comment;  // of the handler interface
};

class ServerEmitter {
 public:
  ServerEmitter(const CppTypes& types, const CodegenOptions& options)
      : api_(types.api()), options_(options), types_(types), sharedParams_(api_),
        namespace_(htmlEscaped(options.cppNamespace)) {
    types_.setQualifier("::" + options.cppNamespace + "::");
    validated_ = validatedTypes(api_, sharedParams_);
    countShapes();
  }

  GeneratedFiles emit() {
    std::vector<TagGroup> groups = groupByTag(api_);
    // Tags go to the parts whole, each to the part with the fewest operations so far; a tag
    // larger than a part's share is cut into runs (sliceGroups). Each part has its own
    // header with its operations' request and response types, so a part's unit sees only
    // its own.
    std::size_t parts = std::max<std::size_t>(options_.parts, 1);
    std::vector<GroupSlice> slices = sliceGroups(groups, parts);
    std::vector<Printer> headers(parts), sources(parts);
    std::vector<std::string> partNames(parts);
    // Described in the tags' order: header sets and shared responses are numbered and
    // named as met.
    std::vector<std::vector<Operation>> described(groups.size());
    for (std::size_t i = 0; i < groups.size(); ++i) {
      for (const ir::Operation* op : groups[i].operations) described[i].push_back(describe(*op));
    }
    std::vector<std::size_t> lastGroup(parts, groups.size());  // for the parts' lists of tags
    for (const GroupSlice& slice : slices) {
      const TagGroup& group = groups[slice.group];
      const std::span<const Operation> ops(described[slice.group].data() + slice.begin, slice.end - slice.begin);
      const Tag tag = slice.run == 0 ? wholeTag(group) : runTag(group, slice);
      printTagHeader(headers[slice.part], tag, ops);
      printTagSource(sources[slice.part], tag, ops);
      if (lastGroup[slice.part] != slice.group) {
        std::string& names = partNames[slice.part];
        names += (names.empty() ? "" : ", ") + group.name;
        lastGroup[slice.part] = slice.group;
      }
    }
    // The components after the tags: their header sets come after the operations'.
    std::vector<Alternative> components;
    for (const auto& component : api_.responses) {
      components.push_back(alternative(component.value, component.cppName, "responses::" + component.cppName));
    }
    for (Alternative& shape : shapes_) components.push_back(std::move(shape));

    GeneratedFiles files;
    files.push_back({"server.h", finish(serverHeader(groups, slices, partNames), options_)});
    files.push_back({"server_common.h", finish(commonHeader(components), options_)});
    for (std::size_t n = 0; n < parts; ++n) {
      std::string stem = "server_" + std::to_string(n + 1);
      Printer h;
      printBanner(h, "Server: the handler interfaces, requests and responses of part " + std::to_string(n + 1) + " (" +
                         tagList(partNames[n]) +
                         ").\n"
                         "//\n"
                         "// A handler returns one of its operation's response alternatives, and it is written as\n"
                         "// it is returned.");
      h.print("#pragma once\n\n#include \"server_common.h\"\n\nnamespace $ns$::server {\n", {{"ns", namespace_}});
      h.raw(headers[n].take());
      h.print("\n}  // namespace $ns$::server\n", {{"ns", namespace_}});
      files.push_back({stem + ".h", finish(h.take(), options_)});

      Printer cpp;
      printBanner(cpp, "Server: request decoding, handler calls and response writing (part " + std::to_string(n + 1) + ").");
      cpp.print("#include \"$header$\"\n\n#include \"validators.h\"\n\nnamespace $ns$::server {\n",
                {{"header", stem + ".h"}, {"ns", namespace_}});
      // The components' definitions live in the first part.
      if (n == 0) printComponentDefinitions(cpp, components);
      cpp.raw(sources[n].take());
      cpp.print("\n}  // namespace $ns$::server\n", {{"ns", namespace_}});
      files.push_back({stem + ".cpp", finish(cpp.take(), options_)});
    }
    return files;
  }

 private:
  void printBanner(Printer& p, const std::string& what) const {
    p.verbatim(banner(api_, options_, what));
    p.print("\n");
  }

  static Tag wholeTag(const TagGroup& group) {
    return {htmlEscaped(group.name), group.cppName + "Handler", "add" + group.cppName + "Routes",
            std::string(("void add" + group.cppName + "Routes(").size(), ' '),
            groupComment(group)};
  }
  // A run of a tag cut into runs: its own interface and routes, which the tag's own
  // (server.h) combine.
  static Tag runTag(const TagGroup& group, const GroupSlice& slice) {
    const std::string suffix = "Part" + std::to_string(slice.run);
    const std::string range = runRange(slice, group);
    return {htmlEscaped(group.name) + " (" + range + ")", group.cppName + "Handler" + suffix,
            "add" + group.cppName + "Routes" + suffix,
            std::string(("void add" + group.cppName + "Routes" + suffix + "(").size(), ' '),
            "The " + range + " of \"" + group.name + "\", which " + group.cppName +
                "Handler (server.h) gathers with the others."};
  }

  // ---- server.h

  std::string serverHeader(const std::vector<TagGroup>& groups, const std::vector<GroupSlice>& slices,
                           const std::vector<std::string>& partNames) const {
    Printer p;
    printBanner(p, "Server: a handler interface per tag with typed requests and responses, and routes.");
    p.print("#pragma once\n\n#include \"server_common.h\"\n");
    for (std::size_t n = 0; n < partNames.size(); ++n) {
      p.print("#include \"server_$n$.h\"  // $tags$\n",
              {{"n", std::to_string(n + 1)}, {"tags", tagList(partNames[n])}});
    }
    p.print("\nnamespace $ns$::server {\n", {{"ns", namespace_}});
    for (const GroupSlice& slice : slices) {
      if (slice.run == 1) printSplitTag(p, groups[slice.group], slice.runs);
    }
    p.print(
        "\n"
        "// One handler per tag; a null one leaves that tag's operations unrouted (404).\n"
        "struct Handlers {\n");
    p.indent();
    for (const TagGroup& group : groups) {
      p.print("$handler$* $member$ = nullptr;\n",
              {{"handler", group.cppName + "Handler"}, {"member", naming::identifier(group.cppName, naming::Case::Snake)}});
    }
    p.outdent();
    p.print(
        "};\n"
        "\n"
        "// Registers every operation whose handler is set.\n"
        "inline void addRoutes([[maybe_unused]] tether::http::Router& router, [[maybe_unused]] const Handlers& handlers,\n"
        "                      [[maybe_unused]] const tether::server::RouteOptions& options = {}) {\n");
    p.indent();
    for (const TagGroup& group : groups) {
      p.print("if (handlers.$member$ != nullptr) add$name$Routes(router, *handlers.$member$, options);\n",
              {{"member", naming::identifier(group.cppName, naming::Case::Snake)}, {"name", group.cppName}});
    }
    p.outdent();
    p.print("}\n\n}  // namespace $ns$::server\n", {{"ns", namespace_}});
    return p.take();
  }

  // A tag cut into runs: its handler interface inherits each run's, and its routes
  // function registers each run's.
  static void printSplitTag(Printer& p, const TagGroup& group, std::size_t runs) {
    const Tag tag = wholeTag(group);
    printRunsClassHead(p, tag.comment, tag.handlerType, runs);
    p.print(" {};\n"
            "\n"
            "// Registers the operations of \"$tag$\" on the router; `handler` must outlive it.\n"
            "inline void $register$(tether::http::Router& router, $handler$& handler,\n"
            "$indent$const tether::server::RouteOptions& options = {}) {\n",
            {{"tag", tag.name}, {"register", tag.registerName}, {"handler", tag.handlerType}, {"indent", tag.registerIndent}});
    for (std::size_t n = 1; n <= runs; ++n) {
      p.print("  $register$Part$n$(router, handler, options);\n", {{"register", tag.registerName}, {"n", std::to_string(n)}});
    }
    p.print("}\n");
  }

  // ---- server_common.h

  std::string commonHeader(const std::vector<Alternative>& components) const {
    Printer p;
    printBanner(p, "Server: what every part shares: the response header sets, and the parameters and responses\n"
                   "// the spec declares once (components).");
    p.print(
        "#pragma once\n"
        "\n"
        "#include <cstdint>\n"
        "#include <map>\n"
        "#include <optional>\n"
        "#include <string>\n"
        "#include <vector>\n"
        "\n"
        "#include \"models.h\"\n"
        "#include \"tether/http/body.h\"\n"
        "#include \"tether/http/router.h\"\n"
        "#include \"tether/server/glue.h\"\n"
        "#include \"tether/server/operation.h\"\n"
        "\n"
        "namespace $ns$::server {\n",
        {{"ns", namespace_}});
    p.raw(headerSets_.text());
    if (!sharedParams_.entries().empty()) {
      p.print(
          "\n"
          "// The parameters the spec declares once (components/parameters), defined in server_1.cpp.\n"
          "namespace params {\n");
      for (const SharedParams::Entry& entry : sharedParams_.entries()) {
        p.print("\n");
        printComment(p, SharedParams::comment(entry));
        p.print("extern const tether::server::Param $name$;\n", {{"name", entry.cppName}});
      }
      p.print("\n}  // namespace params\n");
    }
    if (!components.empty()) {
      p.print(
          "\n"
          "// The responses the spec declares once (components/responses). An operation's alternative\n"
          "// for one of them is an alias of it; write() is defined in server_1.cpp.\n"
          "namespace responses {\n");
      for (const Alternative& component : components) {
        p.print("\n");
        printDeclaration(p, component);
      }
      p.print("\n}  // namespace responses\n");
    }
    p.print("\n}  // namespace $ns$::server\n", {{"ns", namespace_}});
    return p.take();
  }

  // Responses share their header structs: an API repeats the same headers (request id,
  // rate limits) on most responses. Each set is declared once, with the write(out) member
  // that sets its headers; returns its name.
  std::string headerSet(const std::vector<ir::Header>& headers) {
    std::string signature;
    for (const ir::Header& h : headers) signature += h.name + ":" + valueType(h.type) + (h.required ? "!" : "") + ";";
    auto [it, added] = headerSetIndex_.emplace(signature, headerSetIndex_.size());
    std::string name = "ResponseHeaders" + std::to_string(it->second + 1);
    if (added) printHeaderSet(headerSets_, name, headers);
    return name;
  }

  void printHeaderSet(Printer& p, const std::string& name, const std::vector<ir::Header>& headers) const {
    std::string names;
    for (const ir::Header& h : headers) names += (names.empty() ? "" : ", ") + h.name;
    p.print("\n// Response headers: $names$.\nstruct $name$ {\n", {{"names", names}, {"name", name}});
    p.indent();
    for (const ir::Header& h : headers) {
      printComment(p, (h.description.empty() ? "" : h.description + "\n") + "The header \"" + h.name + "\"" +
                          (h.required ? " (required: set here or by middleware)." : "."));
      // Optional even when required: middleware (request ids, rate limits) sets many of
      // them, and a handler sets only what it owns.
      p.print("std::optional<$type$> $name${};\n", {{"type", valueType(h.type)}, {"name", h.cppName}});
    }
    p.print("\nvoid write(tether::http::Response& out) const {\n");
    p.indent();
    for (const ir::Header& h : headers) {
      p.print("tether::server::setHeader(out, $literal$, $name$);\n", {{"literal", cppString(h.name)}, {"name", h.cppName}});
    }
    p.outdent();
    p.print("}\n");
    p.outdent();
    p.print("};\n");
  }

  // The struct of a response alternative, at the printer's indentation.
  static void printDeclaration(Printer& p, const Alternative& a) {
    // Verbatim, not printComment: the templates indented a comment made at column 0.
    p.verbatim(commentLines(a.comment));
    if (a.writes.empty() && !a.status) {
      p.print("struct $name$ {};\n", {{"name", a.name}});
      return;
    }
    p.print("struct $name$ {\n", {{"name", a.name}});
    p.indent();
    if (a.status) p.print("int status = $initial$;\n", {{"initial", std::to_string(*a.status)}});
    if (!a.headers.empty()) p.print("$headers$ headers;\n", {{"headers", a.headers}});
    for (const Alternative::Body& b : a.bodies) printBodyMember(p, b.name, b.mediaType, b.type);
    if (!a.writes.empty()) p.print("\nvoid write(tether::http::Response& out) const;\n");
    p.outdent();
    p.print("};\n");
  }

  static void printBodyMember(Printer& p, const std::string& name, const std::string& mediaType, const std::string& type) {
    p.print("// The body as $media$.\n$type$ $name${};\n", {{"media", mediaType}, {"type", type}, {"name", name}});
  }

  // The definition of an alternative's write(out), if it has one.
  static void printWriteDefinition(Printer& p, const Alternative& a) {
    if (a.writes.empty()) return;
    p.print("\nvoid $qualified$::write(tether::http::Response& out) const {\n", {{"qualified", a.qualified}});
    p.indent();
    for (const std::string& line : a.writes) p.print("$line$\n", {{"line", line}});
    p.outdent();
    p.print("}\n");
  }

  // server_1.cpp's definitions of the shared parameters and of the components' write(out).
  void printComponentDefinitions(Printer& p, const std::vector<Alternative>& components) const {
    if (!sharedParams_.entries().empty()) {
      p.print("\n// ---- the parameter components\n");
      for (const SharedParams::Entry& entry : sharedParams_.entries()) {
        p.print("\nconst tether::server::Param params::$name$$value$;\n",
                {{"name", entry.cppName}, {"value", paramExpr(*entry.param, "    ")}});
      }
    }
    if (!components.empty()) {
      p.print("\n// ---- the response components\n");
      for (const Alternative& component : components) printWriteDefinition(p, component);
    }
  }

  // ---- server_N.h

  void printTagHeader(Printer& p, const Tag& tag, std::span<const Operation> ops) const {
    p.print("\n// ==== $tag$ ====\n", {{"tag", tag.name}});
    for (const Operation& op : ops) {
      printRequest(p, op);
      printResponse(p, op);
    }
    printHandlerInterface(p, tag, ops);
    p.print(
        "\n"
        "// Registers the operations of \"$tag$\" on the router; `handler` must outlive it.\n"
        "void $register$(tether::http::Router& router, $handler$& handler,\n"
        "$indent$const tether::server::RouteOptions& options = {});\n",
        {{"tag", tag.name}, {"register", tag.registerName}, {"handler", tag.handlerType}, {"indent", tag.registerIndent}});
  }

  static void printRequest(Printer& p, const Operation& op) {
    p.print(
        "\n"
        "// The request of $id$ ($method$ $path$), decoded, validated and typed.\n"
        "struct $type$ {\n",
        {{"id", op.id}, {"method", op.method}, {"path", op.op->path}, {"type", op.requestType}});
    p.indent();
    for (const Operation::Param& param : op.params) {
      printComment(p, param.comment);
      p.print("$type$ $name${};\n", {{"type", param.type}, {"name", param.name}});
    }
    for (const Operation::Body& b : op.bodies) printBodyMember(p, b.name, b.mediaType, b.type);
    if (op.hasParts) {
      p.print(
          "// The parts of the multipart body, with their raw bytes (files).\n"
          "std::vector<tether::http::Part> parts;\n");
    }
    p.outdent();
    p.print("};\n");
  }

  static void printResponse(Printer& p, const Operation& op) {
    p.print(
        "\n"
        "// The responses of $id$: one alternative per documented status (tether::server::Reply).\n"
        "struct $type$ : tether::server::Reply {\n",
        {{"id", op.id}, {"type", op.responseType}});
    p.indent();
    for (std::size_t i = 0; i < op.responses.size(); ++i) {
      const ResponseCase& r = op.responses[i];
      // A blank line between alternatives, but none between two aliases.
      if (i > 0 && (r.alias.empty() || op.responses[i - 1].alias.empty())) p.print("\n");
      if (!r.alias.empty()) {
        p.print("using $name$ = $alias$;\n", {{"name", r.name}, {"alias", r.alias}});
      } else if (!r.derived.empty()) {
        printComment(p, r.comment);
        p.print("struct $name$ : $base$ {\n", {{"name", r.name}, {"base", r.derived}});
        if (r.status) p.print("  int status = $initial$;\n", {{"initial", std::to_string(*r.status)}});
        p.print("};\n");
      } else {
        printDeclaration(p, *r.own);
      }
    }
    p.print("\n");
    for (const ResponseCase& r : op.responses) {
      p.print("$type$(const $name$&);\n", {{"type", op.responseType}, {"name", r.name}});
    }
    p.outdent();
    p.print("};\n");
  }

  static void printHandlerInterface(Printer& p, const Tag& tag, std::span<const Operation> ops) {
    p.print("\n");
    printComment(p, tag.comment);
    p.print("class $handler$ {\n public:\n  virtual ~$handler$() = default;\n", {{"handler", tag.handlerType}});
    p.indent();
    for (const Operation& op : ops) {
      p.print("\n");
      printComment(p, op.comment);
      p.print("virtual $response$ $method$(const $request$& request, tether::http::Context& context) = 0;\n",
              {{"response", op.responseType}, {"method", op.op->cppName}, {"request", op.requestType}});
    }
    p.outdent();
    p.print("};\n");
  }

  // ---- server_N.cpp

  static void printTagSource(Printer& p, const Tag& tag, std::span<const Operation> ops) {
    p.print("\n// ==== $tag$ ====\n", {{"tag", tag.name}});
    for (const Operation& op : ops) {
      for (const ResponseCase& r : op.responses) {
        if (r.own) printWriteDefinition(p, *r.own);
      }
      p.print("\n");
      for (const ResponseCase& r : op.responses) p.print("$constructor$\n", {{"constructor", r.constructor}});
    }
    p.print("\nnamespace {\n");
    for (const Operation& op : ops) printHandle(p, tag, op);
    p.print("\n}  // namespace\n");
    printRoutes(p, tag, ops);
  }

  // The function that decodes an operation's request and calls its handler.
  static void printHandle(Printer& p, const Tag& tag, const Operation& op) {
    p.print(
        "\n"
        "tether::http::Response $handle$($handler$& handler, const tether::http::Request& request,\n"
        "$indent$tether::http::Context& context, const tether::server::RouteOptions& options) {\n",
        {{"handle", op.handleName},
         {"handler", tag.handlerType},
         {"indent", std::string(("tether::http::Response " + op.handleName + "(").size(), ' ')}});
    p.indent();
    p.print("tether::server::RequestReader reader(request, options);\n$request$ typed;\n", {{"request", op.requestType}});
    for (const Operation::Param& param : op.params) {
      p.print("tether::server::read(reader, $param$, typed.$name$);\n", {{"param", param.read}, {"name", param.name}});
    }
    p.print("reader.checkParameters();\n");
    for (const Operation::Body& b : op.bodies) {
      p.print("if (context.requestMediaType == $media$) {\n  $read$\n}\n",
              {{"media", cppString(b.mediaType)}, {"read", b.readCall}});
    }
    p.print("return tether::server::respond(handler.$method$(typed, context));\n", {{"method", op.op->cppName}});
    p.outdent();
    p.print("}\n");
  }

  // The tag's add<Tag>Routes: its table of operations, registered on the router.
  static void printRoutes(Printer& p, const Tag& tag, std::span<const Operation> ops) {
    p.print(
        "\n"
        "void $register$(tether::http::Router& router, $handler$& handler,\n"
        "$indent$const tether::server::RouteOptions& options) {\n"
        "  static constexpr tether::server::Operation<$handler$> operations[] = {\n",
        {{"register", tag.registerName}, {"handler", tag.handlerType}, {"indent", tag.registerIndent}});
    p.indent(3);
    for (const Operation& op : ops) p.print("{ $spec$,\n &$handle$},\n", {{"spec", op.spec}, {"handle", op.handleName}});
    p.outdent(3);
    p.print(
        "  };\n"
        "  tether::server::addOperations<$handler$>(router, handler, options, operations);\n"
        "}\n",
        {{"handler", tag.handlerType}});
  }

  // ---- describing an operation

  std::string evaluateRef(ir::TypeId id) const {
    if (id == ir::kNoType || validated_.count(id) == 0) return "nullptr";
    return "&::" + options_.cppNamespace + "::validators::evaluate_" + validatorName(api_.type(id));
  }

  std::string valueType(ir::TypeId id) const { return types_.useExpr(id); }

  Operation describe(const ir::Operation& op) {
    Operation d;
    d.op = &op;
    std::string stem = pascal(op.cppName);
    d.id = htmlEscaped(op.operationId);
    d.method = op.method;
    for (char& c : d.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    d.requestType = stem + "Request";
    d.responseType = stem + "Response";
    d.handleName = "handle" + stem;
    std::string text = op.summary;
    if (!op.description.empty() && op.description != op.summary) text += (text.empty() ? "" : "\n\n") + op.description;
    text += (text.empty() ? "" : "\n\n") + d.method + " " + op.path;
    if (op.deprecated) text += " (deprecated)";
    d.comment = std::move(text);

    for (const ir::Parameter& p : op.parameters) {
      std::string e = valueType(p.type);
      // A shared parameter's description is on its declaration (params::<Name>), once.
      const SharedParams::Entry* shared = sharedParams_.find(p);
      std::string note = shared != nullptr ? "" : p.description;
      note += (note.empty() ? "" : "\n") + std::string("The ") + ir::toString(p.in) + " parameter \"" + p.name + "\"" +
              (p.required ? " (required)" : "") + (shared != nullptr ? ", params::" + shared->cppName : "") + ".";
      // A component parameter is declared once (params::<name>); an inline one is spelt here.
      d.params.push_back({p.cppName, p.required ? e : "std::optional<" + e + ">", std::move(note),
                          shared != nullptr ? "params::" + shared->cppName : paramExpr(p, std::string(32, ' '))});
    }

    std::vector<std::string> requestMedia;
    if (op.requestBody) {
      std::vector<std::string> names = bodyNames(op.requestBody->contents);
      bool single = op.requestBody->contents.size() == 1;
      for (std::size_t i = 0; i < op.requestBody->contents.size(); ++i) {
        const ir::MediaType& m = op.requestBody->contents[i];
        requestMedia.push_back(m.mediaType);
        MediaKind kind = mediaKind(m.mediaType);
        bool optional = !single || !op.requestBody->required;
        std::string type = kind == MediaKind::Raw ? "std::string" : valueType(m.type);
        std::string required = op.requestBody->required ? "true" : "false";
        std::string target = "typed." + names[i];
        std::string read;
        switch (kind) {
          case MediaKind::Json:
            read = "reader.body(reader.jsonBody(" + required + ", " + evaluateRef(m.type) + "), " + target + ");";
            break;
          case MediaKind::Form:
            read = "reader.body(reader.formBody(" + required + ", " + bodyShapeExpr(m.type, api_) + ", " +
                   evaluateRef(m.type) + "), " + target + ");";
            break;
          case MediaKind::Multipart:
            d.hasParts = true;
            read = "reader.body(reader.multipartBody(" + required + ", " + bodyShapeExpr(m.type, api_) + ", " +
                   evaluateRef(m.type) + ", typed.parts), " + target + ");";
            break;
          case MediaKind::Raw:
            read = target + " = request.body;";
            break;
        }
        d.bodies.push_back({names[i], m.mediaType, optional ? "std::optional<" + type + ">" : type, std::move(read)});
      }
    }

    std::vector<std::string> responseMedia;
    std::set<int> aliased;
    for (const ir::Response& r : op.responses) {
      for (const ir::MediaType& m : r.contents) responseMedia.push_back(m.mediaType);
      bool fixed = fixedStatus(r.status);
      ResponseCase rc;
      rc.name = responseName(r.status);
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
          rc.alias = shared;
        } else {
          rc.derived = shared;
          rc.comment = "Status " + r.status + ": " + shared + ".";
          if (!fixed) rc.status = defaultStatus(r.status);
        }
      } else if (std::string shared = sharedShape(r); !shared.empty()) {
        // An inline response whose headers and bodies other operations repeat: one struct
        // for all of them, like a component's.
        if (fixed && aliased.insert(-1 - static_cast<int>(shapeIndex_.at(shapeKey(r)))).second) {
          rc.alias = shared;
        } else {
          rc.derived = shared;
          rc.comment = "Status " + r.status + ": " + shared + ".";
          if (!fixed) rc.status = defaultStatus(r.status);
        }
      } else {
        rc.own = alternative(r, rc.name, d.responseType + "::" + rc.name);
        writes = !rc.own->writes.empty();
      }
      rc.constructor = constructor(d.responseType, rc.name, fixed ? r.status : "", writes);
      d.responses.push_back(std::move(rc));
    }
    if (op.responses.empty()) {
      // A spec may list no responses; the operation can still answer with a bare status.
      ResponseCase rc;
      rc.name = "Default";
      rc.own = Alternative{"Default", "", "The spec documents no response: a bare status 204.", {}, {}, {}, {}};
      rc.constructor = constructor(d.responseType, "Default", "204", false);
      d.responses.push_back(std::move(rc));
    }
    d.spec = operationSpec(op, d.method, requestMedia, responseMedia);
    return d;
  }

  // A response alternative with a struct of its own (an operation's, or a component's):
  // its members and the statements of its write(out) member. `qualified` is its name in
  // server_N.cpp.
  Alternative alternative(const ir::Response& r, const std::string& name, const std::string& qualified) {
    Alternative a;
    a.name = name;
    a.qualified = qualified;
    std::string description = r.description.empty() ? "" : r.description + "\n";
    a.comment = description + (r.status.empty() ? "" : "Status " + r.status + ".");
    if (!r.status.empty() && !fixedStatus(r.status)) a.status = defaultStatus(r.status);
    if (!r.headers.empty()) {
      a.headers = headerSet(r.headers);
      a.writes.push_back("headers.write(out);");
    }
    std::vector<std::string> names = bodyNames(r.contents);
    bool single = r.contents.size() == 1;
    for (std::size_t j = 0; j < r.contents.size(); ++j) {
      const ir::MediaType& m = r.contents[j];
      MediaKind kind = mediaKind(m.mediaType);
      std::string type = kind == MediaKind::Raw || kind == MediaKind::Multipart ? "std::string" : valueType(m.type);
      a.bodies.push_back({names[j], m.mediaType, single ? type : "std::optional<" + type + ">"});
      std::string value = single ? names[j] : "*" + names[j];
      std::string media = cppString(m.mediaType.find('*') != std::string::npos ? "application/octet-stream" : m.mediaType);
      std::string call = kind == MediaKind::Raw || kind == MediaKind::Multipart
                             ? "tether::server::writeRaw(out, " + value + ", " + media + ");"
                             : "tether::server::writeJson(out, " + value + ", " + media + ", " + evaluateRef(m.type) + ");";
      // Several media types: the handler sets one, the first one set is written.
      a.writes.push_back(single ? call : "if (" + names[j] + ") return " + call);
    }
    return a;
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

  // What makes two inline responses interchangeable: their headers and their bodies (media
  // type and C++ type), whatever their status (a range or default one derives from the
  // shared struct to add its `status` member). Empty for one with neither headers nor body.
  std::string shapeKey(const ir::Response& r) const {
    if (r.headers.empty() && r.contents.empty()) return "";
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
  std::string sharedShape(const ir::Response& r) {
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
      shapes_.push_back(alternative(shape, name, "responses::" + name));
    }
    return "responses::" + shapes_[it->second].name;
  }

  const ir::Api& api_;
  const CodegenOptions& options_;
  CppTypes types_;
  SharedParams sharedParams_;
  std::string namespace_;  // escaped
  std::set<ir::TypeId> validated_;
  std::map<std::string, std::size_t> headerSetIndex_;
  Printer headerSets_;  // their declarations, for server_common.h
  std::map<std::string, std::size_t> shapeUses_;
  std::map<std::string, std::size_t> shapeIndex_;
  std::vector<Alternative> shapes_;
  naming::Scope shapeNames_;
};

}  // namespace

GeneratedFiles emitServer(const ir::Api& api, const CodegenOptions& options) {
  return emitServer(CppTypes(api), options);
}

GeneratedFiles emitServer(const CppTypes& types, const CodegenOptions& options) {
  return ServerEmitter(types, options).emit();
}

}  // namespace tether::codegen
