// The glue between generated server code and the runtime libraries: decode a request's
// parameters and body (tether::http), check them with the generated validators
// (tether::schema), read them into model types (tether::model), and write typed responses
// back. Generated handlers are a list of calls to this, one per parameter and body.
//
// Failures become problems the dispatcher answers with:
//   - a parameter that is missing, malformed or invalid: 400 BAD_REQUEST naming it;
//   - a body that is not JSON, too deep or too large: 400 / 413 (tether::http::parseJsonBody);
//   - a body that breaks its schema: 422 VALIDATION_FAILED with {pointer, message} per error.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tether/http/body.h"
#include "tether/http/message.h"
#include "tether/http/params.h"
#include "tether/http/problem.h"
#include "tether/http/router.h"
#include "tether/model/model.h"
#include "tether/schema/evaluator.h"
#include "tether/schema/options.h"

namespace tether::server {

using Json = nlohmann::json;
// A generated detailed validator: evaluate_<Type>(instance, result, options).
using Evaluate = void (*)(const Json&, schema::Result&, const schema::EvaluateOptions&);

// How generated add<Tag>Routes() functions register operations, and how the operations
// read their requests: one per server (addRoutes' last argument).
struct RouteOptions {
  http::BodyLimits limits;
  // Prepended to every path template: the path of the server URL the API is served
  // under when the spec's paths do not include it ("/v1" for "https://host/v1").
  std::string basePath;
  // Requests must match the `format` of their schemas (email, uuid, date-time, uri ...): a
  // parameter that does not is a 400 naming it, a body member a 422 with its pointer and
  // the format. JSON Schema makes formats annotations unless asked; an API that declares
  // one means it. False accepts any string where a format is declared: for a server whose
  // clients already send values the format refuses, while they change.
  bool assertFormats = true;
};

// "query parameter \"limit\"" and friends, for messages.
std::string describe(const http::ParamSpec& spec);

class RequestReader {
 public:
  RequestReader(const http::Request& request, const RouteOptions& options)
      : request_(request), limits_(options.limits), assertFormats_(options.assertFormats) {}

  // One parameter: nullopt when absent (an error when required), else its JSON value
  // after validation. The caller reads it into the model.
  std::optional<Json> param(const http::ParamSpec& spec, bool required, Evaluate evaluate, bool jsonContent = false);

  template <class T>
  void param(const http::ParamSpec& spec, bool required, Evaluate evaluate, T& out, bool jsonContent = false) {
    if (std::optional<Json> value = param(spec, required, evaluate, jsonContent)) read(spec, *value, out);
  }
  template <class T>
  void param(const http::ParamSpec& spec, bool required, Evaluate evaluate, std::optional<T>& out,
             bool jsonContent = false) {
    if (std::optional<Json> value = param(spec, required, evaluate, jsonContent)) read(spec, *value, out.emplace());
  }

  // Throws http::ProblemError (400) when a parameter failed. Call after the parameters.
  void checkParameters() const;

  // The body as JSON, parsed under the limits and validated (422 with pointers).
  // nullopt when the body is empty and not required.
  std::optional<Json> jsonBody(bool required, Evaluate evaluate);
  // application/x-www-form-urlencoded and multipart/form-data, typed by `shape`.
  std::optional<Json> formBody(bool required, const http::Shape& shape, Evaluate evaluate);
  std::optional<Json> multipartBody(bool required, const http::Shape& shape, Evaluate evaluate,
                                    std::vector<http::Part>& parts);

  // Reads a validated body into its model; 422 with the pointer when the model refuses it
  // (the schema and the model agree, so this is rare: an unknown enum value, say).
  template <class T>
  void body(const std::optional<Json>& value, T& out) {
    if (value) readBody(*value, out);
  }
  template <class T>
  void body(const std::optional<Json>& value, std::optional<T>& out) {
    if (value) readBody(*value, out.emplace());
  }

  const http::Request& request() const { return request_; }

 private:
  template <class T>
  void read(const http::ParamSpec& spec, const Json& value, T& out) {
    model::Reader reader;
    using model::read;
    if (!read(value, out, reader)) fail(spec, reader.errorMessage());
  }
  template <class T>
  void readBody(const Json& value, T& out) {
    model::Reader reader;
    using model::read;
    if (!read(value, out, reader)) {
      throwValidation({{reader.errorPointer(), reader.errorMessage()}});
    }
  }
  void fail(const http::ParamSpec& spec, const std::string& message);
  [[noreturn]] static void throwValidation(std::vector<http::FieldError> errors);
  std::optional<Json> validated(Json value, bool required, Evaluate evaluate);
  // How a request's parameters and body are evaluated against their schemas.
  schema::EvaluateOptions evaluateOptions() const;

  const http::Request& request_;
  http::BodyLimits limits_;
  bool assertFormats_ = true;
  std::vector<std::string> parameterErrors_;
};

// ---- responses ----------------------------------------------------------------------------

// Writes `body` as JSON with its media type. In debug builds (no NDEBUG) the body is first
// checked against its schema: a handler that breaks the contract gets a 500 that says
// where, instead of a client finding out.
void writeJson(http::Response& out, const Json& body, const std::string& mediaType, Evaluate evaluate);

template <class T>
void writeJson(http::Response& out, const T& body, const std::string& mediaType, Evaluate evaluate) {
  writeJson(out, model::serialize(body), mediaType, evaluate);
}

// A raw body (text/plain, application/octet-stream, text/event-stream ...).
void writeRaw(http::Response& out, const std::string& body, const std::string& mediaType);

// A response header, serialized by its style (simple).
template <class T>
void setHeader(http::Response& out, const std::string& name, const T& value) {
  http::ParamSpec spec = http::defaultParam(name, http::Location::Header);
  out.headers.set(name, http::encodeHeader(model::serialize(value), spec));
}
template <class T>
void setHeader(http::Response& out, const std::string& name, const std::optional<T>& value) {
  if (value) setHeader(out, name, *value);
}

}  // namespace tether::server
