// Numbers a double cannot hold (1e400, -1e400, 200e9100, 400-digit integers) and the ones at
// its edges (-0, denormals such as 4.9e-324, 1e-400 that underflows to zero), through the
// whole request pipeline the generated servers use: raw HTTP/1.1 bytes through the
// event-loop transport's parser (wire.h), Server::dispatch, the route, and a handler built
// like a generated one from tether::server's glue (parse the body or the parameters,
// validate them against a schema with every numeric keyword, read them into model types,
// write the answer). Every answer must be below 500: a number is the client's to get
// wrong, never a server error, so a 5xx aborts and the fuzzer reports the input.
//
// The input is used three ways:
//   - as it is, as a JSON body (the corpus holds the numbers inside objects and arrays);
//   - its first line as one number, and the bytes after it as a path of containers (one
//     byte a level: array, object member, ...) that puts the number at that depth;
//   - its first line as a query, path and form parameter typed number and integer.
//
//   cmake --preset fuzz && cmake --build build/fuzz --target fuzz_numbers
//   build/fuzz/fuzz/numbers/fuzz_numbers -max_total_time=60 fuzz/numbers/corpus
//   FUZZ_NUMBERS_TRACE=1 build/fuzz/fuzz/numbers/fuzz_numbers fuzz/numbers/corpus/*   # each answer's status
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tether/http/percent.h"
#include "tether/http/server.h"
#include "tether/http/wire.h"
#include "tether/model/model.h"
#include "tether/schema/schema.h"
#include "tether/server/glue.h"

namespace th = tether::http;
namespace ts = tether::server;
namespace schema = tether::schema;
using Json = nlohmann::json;

namespace {

// A node is a number under every numeric keyword (integer bounds at int64/uint64's edges,
// double bounds at a double's, multipleOf whole, fractional and denormal, an enum with zero
// and the extremes), or an array or object of nodes: so a number is validated wherever it
// stands, the way a generated validator would.
constexpr const char* kBodySchema = R"({
  "$defs": {
    "node": {
      "anyOf": [
        {"type": "integer", "minimum": -9223372036854775808, "maximum": 18446744073709551615, "multipleOf": 3},
        {"type": "number", "exclusiveMinimum": -1.7976931348623157e308, "exclusiveMaximum": 1e300, "multipleOf": 0.25},
        {"type": "number", "minimum": -5e-324, "maximum": 5e-324, "multipleOf": 5e-324},
        {"enum": [0, 1.7976931348623157e308, -1.7976931348623157e308, 2.2250738585072014e-308]},
        {"type": "array", "maxItems": 64, "items": {"$ref": "#/$defs/node"}},
        {"type": "object", "maxProperties": 8,
         "properties": {"n": {"type": "number", "minimum": 0}, "i": {"type": "integer", "maximum": 9007199254740993}},
         "additionalProperties": {"$ref": "#/$defs/node"}}
      ]
    }
  },
  "$ref": "#/$defs/node"
})";
constexpr const char* kNumberSchema = R"({"type": "number", "minimum": -1e308, "multipleOf": 0.5})";
constexpr const char* kIntegerSchema = R"({"type": "integer", "maximum": 9223372036854775807})";
constexpr const char* kListSchema = R"({"type": "array", "items": {"type": "number", "exclusiveMaximum": 1e308}})";

schema::Program compile(const char* text) {
  static const schema::Registry registry;
  schema::CompileOptions options;
  options.max_schema_depth = 64;
  return schema::compile(Json::parse(text), registry, options);
}

// ts::Evaluate signatures, as the generated evaluate_<Type> functions have; each schema is
// compiled once, on first use.
template <const char* const* Text>
void evaluateWith(const Json& instance, schema::Result& result, const schema::EvaluateOptions& options) {
  static const schema::Program program = compile(*Text);
  result = schema::evaluate(program, instance, options);
}

// What generated handlers do with a validated value: read it into model types. Every
// number is read as each numeric type a model may declare for it (each may refuse it).
void readNumbers(const Json& value) {
  if (value.is_number()) {
    tether::model::Reader reader;
    std::int64_t wide = 0;
    std::int32_t narrow = 0;
    double real = 0;
    (void)tether::model::read(value, wide, reader);
    (void)tether::model::read(value, narrow, reader);
    (void)tether::model::read(value, real, reader);
    return;
  }
  if (value.is_structured()) {
    for (const Json& child : value) readNumbers(child);
  }
}

th::Response echo(const Json& value) {
  readNumbers(value);
  th::Response response;
  ts::writeJson(response, value, "application/json", nullptr);
  return response;
}

th::OperationInfo operation(std::string id, std::string method, std::string path, std::vector<std::string> bodyTypes = {}) {
  th::OperationInfo info;
  info.operationId = std::move(id);
  info.method = std::move(method);
  info.pathTemplate = std::move(path);
  info.requestMediaTypes = std::move(bodyTypes);
  info.bodyRequired = !info.requestMediaTypes.empty();
  info.responseMediaTypes = {"application/json"};
  return info;
}

th::ParamSpec param(std::string name, th::Location in, th::Shape shape) { return th::defaultParam(std::move(name), in, std::move(shape)); }

th::Router routes() {
  th::Router router;
  router.add(operation("createItem", "POST", "/items", {"application/json", "application/x-www-form-urlencoded"}),
             [](const th::Request& req, th::Context& ctx) {
               ts::RequestReader reader(req, {});
               std::optional<Json> body;
               if (ctx.requestMediaType == "application/json") {
                 body = reader.jsonBody(true, &evaluateWith<&kBodySchema>);
               } else {
                 th::Shape fields = th::Shape::object({{"n", th::Scalar::Number}, {"i", th::Scalar::Integer}});
                 body = reader.formBody(true, fields, &evaluateWith<&kBodySchema>);
               }
               return echo(body.value_or(Json()));
             });
  router.add(operation("listItems", "GET", "/items"), [](const th::Request& req, th::Context&) {
    ts::RequestReader reader(req, {});
    std::optional<double> n;
    std::optional<std::int64_t> i;
    reader.param(param("n", th::Location::Query, th::Shape::primitive(th::Scalar::Number)), false, &evaluateWith<&kNumberSchema>, n);
    reader.param(param("i", th::Location::Query, th::Shape::primitive(th::Scalar::Integer)), false, &evaluateWith<&kIntegerSchema>, i);
    th::ParamSpec list = param("list", th::Location::Query, th::Shape::array(th::Scalar::Number));
    list.explode = false;
    std::optional<Json> values = reader.param(list, false, &evaluateWith<&kListSchema>);
    th::ParamSpec deep = param("deep", th::Location::Query, th::Shape::object({{"n", th::Scalar::Number}}));
    deep.style = th::Style::DeepObject;
    std::optional<Json> object = reader.param(deep, false, &evaluateWith<&kBodySchema>);
    reader.checkParameters();
    return echo(Json{{"n", n.value_or(0)}, {"i", i.value_or(0)}, {"list", values.value_or(Json())}, {"deep", object.value_or(Json())}});
  });
  router.add(operation("getItem", "GET", "/items/{n}"), [](const th::Request& req, th::Context&) {
    ts::RequestReader reader(req, {});
    std::optional<double> n;
    reader.param(param("n", th::Location::Path, th::Shape::primitive(th::Scalar::Number)), true, &evaluateWith<&kNumberSchema>, n);
    reader.checkParameters();
    return echo(Json{{"n", n.value_or(0)}});
  });
  return router;
}

th::Server& server() {
  static th::Server* instance = new th::Server(routes());  // never destroyed: the fuzzer exits without cleanup
  return *instance;
}

// A request as a client sends it: parsed by the wire parser, then dispatched. Aborts when
// the answer is a server error.
void send(const std::string& head, std::string_view body = {}) {
  std::string bytes = head + "Host: 127.0.0.1\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  bytes += body;
  th::wire::Parsed parsed = th::wire::parseRequest(bytes, th::wire::Limits{});
  if (parsed.state == th::wire::Parsed::State::Error && parsed.errorStatus < 500) return;  // the transport's 4xx
  if (parsed.state != th::wire::Parsed::State::Complete) {
    std::fprintf(stderr, "the wire parser did not take a whole request (%d): %s\n", parsed.errorStatus, parsed.errorDetail.c_str());
    std::abort();
  }
  th::Response response = server().dispatch(std::move(parsed.request));
  static const bool trace = std::getenv("FUZZ_NUMBERS_TRACE") != nullptr;  // what each request got, to see the runs reach the handlers
  if (trace) std::fprintf(stderr, "%d %.120s\n", response.status, (bytes.substr(0, bytes.find('\r')) + " " + std::string(body.substr(0, 60))).c_str());
  if (response.status >= 500) {
    std::fprintf(stderr, "%d answer to:\n%.2000s\n\n%.2000s\n", response.status, bytes.c_str(), response.body.c_str());
    std::abort();
  }
}

void postJson(std::string_view body) { send("POST /items HTTP/1.1\r\nContent-Type: application/json\r\n", body); }

// `leaf` at the depth `path` picks, one byte a level, inside out.
std::string nested(std::string_view leaf, std::string_view path) {
  constexpr std::size_t kMaxDepth = 80;  // past BodyLimits::maxDepth (64): the deep ones are a 400
  std::string body(leaf);
  for (char c : path.substr(0, kMaxDepth)) {
    switch (static_cast<unsigned char>(c) % 5) {
      case 0: body = "[" + body + "]"; break;
      case 1: body = "{\"n\":" + body + "}"; break;
      case 2: body = "[0," + body + ",-0]"; break;
      case 3: body = "{\"x\":" + body + ",\"i\":" + std::string(leaf) + "}"; break;
      default: body = "{\"n\":-0.0,\"deep\":[" + body + "]}"; break;
    }
  }
  return body;
}

void asParameters(std::string_view number) {
  const std::string text = th::percentEncode(number);
  send("GET /items?n=" + text + "&i=" + text + "&list=" + text + "," + text + "&deep[n]=" + text + " HTTP/1.1\r\n");
  send("GET /items/" + text + " HTTP/1.1\r\n");
  send("POST /items HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n", "n=" + text + "&i=" + text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  postJson(input);
  const std::size_t lineEnd = input.find('\n');
  std::string_view number = input.substr(0, lineEnd);
  std::string_view path = lineEnd == std::string_view::npos ? std::string_view() : input.substr(lineEnd + 1);
  if (number.size() > 1024) return 0;  // a number, not a document: keeps each run short
  postJson(nested(number, path));
  asParameters(number);
  return 0;
}
