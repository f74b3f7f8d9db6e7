// A tag larger than a part's share is cut into runs across the parts (sliceGroups), so that
// a spec without tags does not put all of its operations into its first unit (Stripe's 468
// did: 2.4 GB for one client unit). The test generates a spec of 250 untagged operations
// and a small tag in 3 parts, and checks what a user relies on: every operation is
// declared exactly once, each run in its own part's header, the tag's handler and client
// classes gather every run, the small tag stays whole, and the server and client parts
// compile, with the tag's classes usable as one (checked by static_asserts compiled too).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

constexpr int kUntagged = 250;
constexpr int kParts = 3;

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// 250 untagged operations, each with its own response type (a union, so that the models
// have OneOfs too), and two operations tagged "pets".
void writeSpec(const fs::path& path) {
  std::ofstream out(path);
  out << R"({"openapi": "3.1.0", "info": {"title": "Parts", "version": "1.0.0"},
  "tags": [{"name": "pets"}], "paths": {
    "/pets": {"get": {"operationId": "listPets", "tags": ["pets"],
      "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}}}},
      "post": {"operationId": "createPet", "tags": ["pets"],
      "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "string"}}}},
      "responses": {"204": {"description": "created"}}}})";
  for (int i = 0; i < kUntagged; ++i) {
    out << ",\n    \"/items" << i << "/{id}\": {\"get\": {\"operationId\": \"getItem" << i << "\","
        << " \"parameters\": [{\"name\": \"id\", \"in\": \"path\", \"required\": true, \"schema\": {\"type\": \"string\"}}],"
        << " \"responses\": {\"200\": {\"description\": \"ok\", \"content\": {\"application/json\": {\"schema\":"
        << " {\"$ref\": \"#/components/schemas/Item" << i << "\"}}}}}}}";
  }
  out << "},\n  \"components\": {\"schemas\": {";
  for (int i = 0; i < kUntagged; ++i) {
    out << (i == 0 ? "" : ",") << "\n    \"Item" << i << "\": {\"oneOf\": [{\"type\": \"string\"}, {\"type\": \"object\","
        << " \"properties\": {\"n" << i << "\": {\"type\": \"integer\"}}}]}";
  }
  out << "}}}\n";
}

TEST(Parts, AnUntaggedSpecIsCutIntoRunsThatCompileAsOneTag) {
  const fs::path dir = fs::path(TETHER_PARTS_OUT);
  fs::remove_all(dir);
  fs::create_directories(dir);
  writeSpec(dir / "spec.json");
  const fs::path src = dir / "src";
  const fs::path log = dir / "build.log";
  const std::string generate = std::string(TETHER_BINARY) + " generate " + (dir / "spec.json").string() + " --cpp " +
                               src.string() + " --namespace parts --parts " + std::to_string(kParts) + " > " +
                               log.string() + " 2>&1";
  ASSERT_EQ(std::system(generate.c_str()), 0) << read(log);

  // Every operation is declared once, in exactly one part's header, for server and client.
  std::string serverParts, clientParts;
  std::size_t serverRuns = 0, clientRuns = 0;
  for (int n = 1; n <= kParts; ++n) {
    const std::string server = read(src / ("server_" + std::to_string(n) + ".h"));
    const std::string client = read(src / ("client_" + std::to_string(n) + ".h"));
    serverRuns += count(server, "class DefaultHandlerPart");
    clientRuns += count(client, "class DefaultClientPart");
    // A part holds at most one run of the tag: runs are a share each.
    EXPECT_LE(count(server, "class DefaultHandlerPart"), 1u) << "server_" << n << ".h";
    serverParts += server;
    clientParts += client;
  }
  EXPECT_EQ(serverRuns, static_cast<std::size_t>(kParts));
  EXPECT_EQ(clientRuns, static_cast<std::size_t>(kParts));
  for (int i = 0; i < kUntagged; ++i) {
    const std::string op = "getItem" + std::to_string(i) + "(";
    ASSERT_EQ(count(serverParts, " " + op), 1u) << op;
    ASSERT_EQ(count(clientParts, " " + op), 1u) << op;
  }
  // The small tag stays whole.
  EXPECT_EQ(count(serverParts, "class PetsHandler {"), 1u);
  EXPECT_EQ(count(clientParts, "class PetsClient {"), 1u);

  const std::string serverHeader = read(src / "server.h");
  const std::string clientHeader = read(src / "client.h");
  for (int n = 1; n <= kParts; ++n) {
    EXPECT_NE(serverHeader.find("public DefaultHandlerPart" + std::to_string(n)), std::string::npos);
    EXPECT_NE(serverHeader.find("addDefaultRoutesPart" + std::to_string(n) + "(router, handler, options);"),
              std::string::npos);
    EXPECT_NE(clientHeader.find("public DefaultClientPart" + std::to_string(n)), std::string::npos);
  }

  // The server and client parts compile (each a unit, as a build compiles them), and the
  // gathered classes work as one tag's.
  {
    std::ofstream unit(src / "check.cpp");
    unit << R"(#include "client.h"
#include "server.h"
#include <type_traits>
static_assert(std::is_base_of_v<parts::server::DefaultHandlerPart1, parts::server::DefaultHandler>);
static_assert(std::is_base_of_v<parts::server::DefaultHandlerPart3, parts::server::DefaultHandler>);
static_assert(std::is_same_v<decltype(parts::server::Handlers{}.default_), parts::server::DefaultHandler*>);
// Each run's operations are reached through the tag's classes.
using FirstRun = decltype(&parts::server::DefaultHandler::getItem0);
using LastRun = decltype(&parts::server::DefaultHandler::getItem249);
using ClientFirst = decltype(&parts::client::DefaultClient::getItem0);
using ClientLast = decltype(&parts::client::DefaultClient::getItem249WithResponse);
static_assert(std::is_same_v<decltype(parts::client::Client(std::shared_ptr<tether::client::Transport>()).default_),
                             parts::client::DefaultClient>);
void registerAll(tether::http::Router& router, parts::server::DefaultHandler& handler) {
  parts::server::addDefaultRoutes(router, handler);
}
)";
  }
  std::string units = "check.cpp";
  for (int n = 1; n <= kParts; ++n) units += " server_" + std::to_string(n) + ".cpp client_" + std::to_string(n) + ".cpp";
  const std::string compile = "cd " + src.string() + " && echo " + units + " | xargs -n 1 -P 2 " + TETHER_CXX +
                              " -std=c++20 -fsyntax-only -Wall -Wextra -Werror " + TETHER_RUNTIME_INCLUDES + " >> " +
                              log.string() + " 2>&1";
  EXPECT_EQ(std::system(compile.c_str()), 0) << read(log);
}

}  // namespace

// Spec types named like the validator runtime's (AWS SWF has a `Run`) and an array of
// booleans (AWS RDS Data: std::vector<bool> holds bits, not bools) compile: the runtime's
// names are declared in the validators' namespace, and a bool array reads element by value.
TEST(Names, SpecTypesNamedLikeTheRuntimesAndBooleanArraysCompile) {
  const fs::path dir = fs::path(TETHER_PARTS_OUT) / "names";
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    std::ofstream spec(dir / "spec.json");
    spec << R"({"openapi": "3.1.0", "info": {"title": "Names", "version": "1.0.0"}, "paths": {
  "/runs": {"post": {"operationId": "startRun",
    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Run"}}}},
    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Depth"}}}}}}}},
  "components": {"schemas": {
    "Run": {"type": "object", "properties": {"flags": {"type": "array", "items": {"type": "boolean"}},
                                              "shape": {"$ref": "#/components/schemas/Shape"}}},
    "Depth": {"type": "object", "properties": {"linked": {"$ref": "#/components/schemas/Linked"}}},
    "Linked": {"type": "object", "properties": {"hook": {"$ref": "#/components/schemas/HookEntry"}}},
    "Shape": {"type": "string", "minLength": 1},
    "HookEntry": {"type": "integer"}}}})";
  }
  const fs::path src = dir / "src";
  const fs::path log = dir / "build.log";
  const std::string generate = std::string(TETHER_BINARY) + " generate " + (dir / "spec.json").string() + " --cpp " +
                               src.string() + " --parts 1 > " + log.string() + " 2>&1";
  ASSERT_EQ(std::system(generate.c_str()), 0) << read(log);
  const std::string compile = "cd " + src.string() + " && echo validators_1.cpp models_1.cpp models_catalog.cpp | " +
                              "xargs -n 1 -P 2 " + TETHER_CXX + " -std=c++20 -fsyntax-only -Wall -Wextra -Werror " +
                              TETHER_RUNTIME_INCLUDES + " >> " + log.string() + " 2>&1";
  EXPECT_EQ(std::system(compile.c_str()), 0) << read(log);
}

// Spec text with line breaks of every kind lands in comments: descriptions, the title, tag
// names, paths. A lone CR ends a // comment for the compiler as \n does; vtex's specs in the
// APIs.guru corpus write their descriptions with them, and the rest of the line became code
// (bench/codegen/corpus_compile.sh: 9 specs). Everything generated compiles.
TEST(Names, LineBreaksOfSpecTextStayInsideComments) {
  const fs::path dir = fs::path(TETHER_PARTS_OUT) / "line-breaks";
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    std::ofstream spec(dir / "spec.json");
    spec << R"({"openapi": "3.1.0", "info": {"title": "Title\rwith a CR", "version": "1.0\n"}, "paths": {
  "/items\r": {"get": {"operationId": "listItems", "tags": ["Tag\rname", "Other\r\ntag"],
    "description": "Lone CR:\rthis is not code. CRLF:\r\nnor this.\\",
    "parameters": [{"name": "q", "in": "query", "description": "a\rb\\", "schema": {"type": "string"}}],
    "responses": {"200": {"description": "ok\r", "headers": {"X-A\r": {"schema": {"type": "string"}}},
      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}}}}}},
  "components": {"schemas": {
    "Item": {"type": "object", "description": "An item.\rNot code.\r\n\rStill not.\\",
             "properties": {"name": {"type": "string", "description": "x\ry"}}}}}})";
  }
  const fs::path src = dir / "src";
  const fs::path log = dir / "build.log";
  const std::string generate = std::string(TETHER_BINARY) + " generate " + (dir / "spec.json").string() + " --cpp " +
                               src.string() + " --parts 1 > " + log.string() + " 2>&1";
  ASSERT_EQ(std::system(generate.c_str()), 0) << read(log);
  std::string sources;
  for (const fs::directory_entry& entry : fs::directory_iterator(src)) {
    if (entry.path().extension() == ".cpp") sources += entry.path().filename().string() + " ";
  }
  const std::string compile = "cd " + src.string() + " && echo " + sources + " | xargs -n 1 -P 2 " + TETHER_CXX +
                              " -std=c++20 -fsyntax-only -Wall -Wextra -Werror " + TETHER_RUNTIME_INCLUDES + " >> " +
                              log.string() + " 2>&1";
  EXPECT_EQ(std::system(compile.c_str()), 0) << read(log);
}
