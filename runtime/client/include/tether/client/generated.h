// What generated clients share whatever the spec: settings, the typed Response, multipart
// parts, and the detail:: helpers their per-operation code calls (parameter encoding,
// bodies, typed response reading). The generated client.h brings these names into its
// namespace, so generated code and its users spell them as before (api::client::Settings).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tether/client/client.h"
#include "tether/http/params.h"
#include "tether/model/model.h"
#include "tether/schema/evaluator.h"

namespace tether::client {

// What every generated method shares besides the Transport.
struct Settings {
  // Checks every parsed response body against the spec with the generated validators and
  // throws ResponseValidationError when it does not conform. On by default in debug builds
  // (NDEBUG not defined), off in release builds.
#ifdef NDEBUG
  bool validateResponses = false;
#else
  bool validateResponses = true;
#endif
};

// A response body that does not conform to the spec (only with Settings::validateResponses).
class ResponseValidationError : public std::runtime_error {
 public:
  ResponseValidationError(const std::string& operationId, int status, nlohmann::json output)
      : std::runtime_error("the response of " + operationId + " (status " + std::to_string(status) +
                           ") does not conform to the spec: " + output.dump()),
        status_(status),
        output_(std::move(output)) {}
  int status() const { return status_; }
  // The validator's errors in JSON Schema's basic output format.
  const nlohmann::json& output() const { return output_; }

 private:
  int status_;
  nlohmann::json output_;
};

// The body of a successful response that documents none.
struct NoContent {
  friend bool operator==(const NoContent&, const NoContent&) { return true; }
};

// The documented headers of a successful response that documents none.
struct NoHeaders {
  friend bool operator==(const NoHeaders&, const NoHeaders&) { return true; }
};

// A whole successful response: its status, its headers (every field, lookups ignore case),
// the documented ones typed, and its body, typed. Error statuses throw
// tether::client::ApiError, as the plain methods do.
template <class T, class H = NoHeaders>
struct Response {
  int status = 0;
  tether::client::Headers headers{};
  H typedHeaders{};  // the headers the spec documents for the success response
  T body{};
  int attempts = 1;  // how many times the request was sent (retries)

  std::optional<std::string> header(std::string_view name) const { return headers.get(name); }
};

// A part of a multipart body sent as it is, after the parts made from the body's model
// (files, or anything the model does not describe).
struct Part {
  std::string name{};
  std::optional<std::string> filename{};
  std::string contentType = "application/octet-stream";
  std::string data{};
};

namespace detail {

// present(x): a pointer to the value inside optional / Nullable / Box layers, or nullptr.
template <class T>
struct Unwrap {
  static const T* get(const T& value) { return &value; }
};
template <class T>
struct Unwrap<std::optional<T>> {
  static auto get(const std::optional<T>& value) -> decltype(Unwrap<T>::get(*value)) {
    return value ? Unwrap<T>::get(*value) : nullptr;
  }
};
template <class T>
struct Unwrap<tether::model::Optional<T>> {
  static auto get(const tether::model::Optional<T>& value) -> decltype(Unwrap<T>::get(*value)) {
    return value ? Unwrap<T>::get(*value) : nullptr;
  }
};
template <class T>
struct Unwrap<tether::model::Nullable<T>> : Unwrap<tether::model::Optional<T>> {};
template <class T>
struct Unwrap<tether::model::Box<T>> {
  static auto get(const tether::model::Box<T>& value) -> decltype(Unwrap<T>::get(*value)) {
    return Unwrap<T>::get(*value);
  }
};
template <class T>
auto present(const T& value) {
  return Unwrap<T>::get(value);
}

// A parameter's value as the codec takes it; `json` parameters (content: application/json)
// travel as the text of their JSON.
template <class T>
nlohmann::json param(const T& value, bool jsonContent) {
  nlohmann::json j = tether::model::serialize(value);
  return jsonContent ? nlohmann::json(j.dump()) : j;
}

// application/x-www-form-urlencoded: every member as form/explode (arrays repeat the key).
inline std::string formBody(const nlohmann::json& object) {
  std::string out;
  if (!object.is_object()) return out;
  for (const auto& member : object.items()) {
    tether::http::ParamSpec spec;
    spec.name = member.key();
    spec.in = tether::http::Location::Query;
    spec.style = tether::http::Style::Form;
    spec.explode = true;
    tether::http::appendQuery(out, member.value(), spec);
  }
  return out;
}

struct Multipart {
  std::string contentType;  // multipart/form-data; boundary=...
  std::string body;
};

inline void appendPart(std::string& body, const std::string& boundary, const std::string& name,
                       const std::optional<std::string>& filename, const std::string& contentType,
                       const std::string& data) {
  auto quoted = [](const std::string& text) {
    std::string out;
    for (char c : text) {
      if (c == '"' || c == '\\') out += '\\';
      if (c != '\r' && c != '\n') out += c;
    }
    return out;
  };
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + quoted(name) + "\"";
  if (filename) body += "; filename=\"" + quoted(*filename) + "\"";
  body += "\r\nContent-Type: " + contentType + "\r\n\r\n" + data + "\r\n";
}

// multipart/form-data: the model's members (strings as text, other scalars as their JSON
// text, arrays as one part per item, objects as application/json), then the raw parts.
inline Multipart multipartBody(const nlohmann::json& object, const std::vector<Part>& parts) {
  std::random_device device;
  std::string boundary;
  auto contains = [&](const std::string& text) { return text.find(boundary) != std::string::npos; };
  for (bool clash = true; clash;) {
    boundary = "tether-";
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = 0; i < 24; ++i) boundary += kHex[device() & 0xF];
    clash = object.is_object() && contains(object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    for (const Part& part : parts) clash = clash || contains(part.data);
  }
  Multipart out;
  out.contentType = "multipart/form-data; boundary=" + boundary;
  auto scalar = [&](const std::string& name, const nlohmann::json& value) {
    if (value.is_null()) return;
    if (value.is_string()) {
      appendPart(out.body, boundary, name, std::nullopt, "text/plain; charset=utf-8", value.get<std::string>());
    } else if (value.is_object() || value.is_array()) {
      appendPart(out.body, boundary, name, std::nullopt, "application/json", value.dump());
    } else {
      appendPart(out.body, boundary, name, std::nullopt, "text/plain", value.dump());
    }
  };
  if (object.is_object()) {
    for (const auto& member : object.items()) {
      if (member.value().is_array()) {
        for (const nlohmann::json& item : member.value()) scalar(member.key(), item);
      } else {
        scalar(member.key(), member.value());
      }
    }
  }
  for (const Part& part : parts) appendPart(out.body, boundary, part.name, part.filename, part.contentType, part.data);
  out.body += "--" + boundary + "--\r\n";
  return out;
}

using Evaluate = void (*)(const nlohmann::json&, tether::schema::Result&, const tether::schema::EvaluateOptions&);

// The JSON of a response body, validated first when the settings ask for it (not a
// template: what the reading of every operation's body shares).
inline nlohmann::json parseBody(const HttpResponse& response, const Settings& settings, Evaluate evaluate,
                                const char* operationId) {
  nlohmann::json j = nlohmann::json::parse(response.body, nullptr, false);
  if (j.is_discarded()) throw tether::model::ParseError("", "the response body is not valid JSON");
  if (settings.validateResponses && evaluate != nullptr) {
    tether::schema::Result result;
    // Formats are not asserted on responses (generated validators carry them for servers'
    // requests; see EvaluateOptions::assert_formats).
    tether::schema::EvaluateOptions options;
    options.assert_formats = false;
    evaluate(j, result, options);
    if (!result.valid) throw ResponseValidationError(operationId, response.status, result.toBasicOutput());
  }
  return j;
}

// Reads a JSON response body into `out`, in place: unknown enum values map to the enums'
// Unknown enumerator (a server may add values). An empty body (204, 202 without content)
// leaves `out` as it is.
template <class T>
void readJson(const HttpResponse& response, const Settings& settings, Evaluate evaluate, const char* operationId,
              T& out) {
  if (response.body.empty()) return;
  nlohmann::json j = parseBody(response, settings, evaluate, operationId);
  tether::model::ReadOptions options;
  options.unknownEnums = tether::model::UnknownEnums::MapToUnknown;
  tether::model::Reader reader(options);
  using tether::model::read;
  if (!read(j, out, reader)) throw tether::model::ParseError(reader.errorPointer(), reader.errorMessage());
}

// A documented response header, typed; absent or unreadable (a server that deviates from
// its spec) leaves it unset rather than failing a call that succeeded.
template <class T>
void readHeader(const tether::http::Headers& headers, const tether::http::ParamSpec& spec, std::optional<T>& out) {
  try {
    std::optional<nlohmann::json> value = tether::http::decodeHeader(headers, spec);
    if (!value) return;
    tether::model::ReadOptions options;
    options.unknownEnums = tether::model::UnknownEnums::MapToUnknown;
    out = tether::model::parse<T>(*value, options);
  } catch (const std::exception&) {
    out.reset();
  }
}

inline tether::http::Headers httpHeaders(const tether::client::Headers& headers) {
  tether::http::Headers out;
  for (const auto& [name, value] : headers) out.add(name, value);
  return out;
}

// A response's status, headers and attempts, its documented headers typed, its body left
// to the caller (each operation's body is read into it in place, not moved through
// temporaries: every move of a model type makes the unit define its special members).
template <class T, class H>
Response<T, H> received(HttpResponse& response) {
  Response<T, H> out;
  if constexpr (!std::is_same_v<H, NoHeaders>) out.typedHeaders = H::read(httpHeaders(response.headers));
  out.status = response.status;
  out.headers = std::move(response.headers);
  out.attempts = response.attempts;
  return out;
}

// ---- parameters: each adds one parameter to the request when it has a value ----------

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

// The path segment of a path parameter (an absent optional one encodes null).
template <class T>
std::string path(const T& value, const tether::http::ParamSpec& spec, bool jsonContent = false) {
  if constexpr (IsOptional<T>::value) {
    return tether::http::encodePath(value ? param(*value, jsonContent) : nlohmann::json(), spec);
  } else {
    return tether::http::encodePath(param(value, jsonContent), spec);
  }
}

template <class T>
void query(HttpRequest& request, const T& value, const tether::http::ParamSpec& spec, bool jsonContent = false) {
  if constexpr (IsOptional<T>::value) {
    if (value) tether::http::appendQuery(request.query, param(*value, jsonContent), spec);
  } else {
    tether::http::appendQuery(request.query, param(value, jsonContent), spec);
  }
}

template <class T>
void header(HttpRequest& request, const T& value, const tether::http::ParamSpec& spec, bool jsonContent = false) {
  if constexpr (IsOptional<T>::value) {
    if (value) request.headers.emplace_back(spec.name, tether::http::encodeHeader(param(*value, jsonContent), spec));
  } else {
    request.headers.emplace_back(spec.name, tether::http::encodeHeader(param(value, jsonContent), spec));
  }
}

// Appends "name=value" to a Cookie header's text.
template <class T>
void cookie(std::string& cookies, const T& value, const tether::http::ParamSpec& spec, bool jsonContent = false) {
  if constexpr (IsOptional<T>::value) {
    if (value) cookie(cookies, *value, spec, jsonContent);
  } else {
    cookies += (cookies.empty() ? "" : "; ") + tether::http::encodeCookie(param(value, jsonContent), spec);
  }
}

// ---- responses: a sent request's response, typed ----------------------------------------

// A JSON body (read only for a 2XX status; see readJson).
template <class T, class H = NoHeaders>
Response<T, H> receiveJson(HttpResponse response, const Settings& settings, Evaluate evaluate,
                           const char* operationId) {
  Response<T, H> out = received<T, H>(response);
  if (out.status >= 200 && out.status < 300) readJson(response, settings, evaluate, operationId, out.body);
  return out;
}

// A body that is not JSON, as its bytes.
template <class H = NoHeaders>
Response<std::string, H> receiveRaw(HttpResponse response) {
  Response<std::string, H> out = received<std::string, H>(response);
  out.body = std::move(response.body);
  return out;
}

// No documented body.
template <class H = NoHeaders>
Response<NoContent, H> receiveNothing(HttpResponse response) {
  return received<NoContent, H>(response);
}

}  // namespace detail

}  // namespace tether::client
