// What the handler files share: typed values to and from the JSON documents, and the
// pieces every list and every write repeats.
#pragma once

#include <optional>
#include <string>

#include "../app/clock.h"
#include "../app/documents.h"
#include "../app/problems.h"
#include "../app/services.h"
#include "models.h"
#include "registry.h"
#include "tether/http/router.h"

namespace tether::sandbox {

// A generated model as JSON, and back. `as` throws when a document does not fit its type,
// which is a sandbox bug: the dispatcher answers 500 and the log names it.
template <class T>
Json toJson(const T& value) {
  return Json(value);
}
template <class T>
T as(const Json& value) {
  return value.get<T>();
}

// A response alternative with its body read from JSON into the alternative's body type;
// headers are left to the middleware (request id, rate limits).
template <class Alternative>
Alternative reply(const Json& body) {
  Alternative out{};
  out.body = body.get<decltype(out.body)>();
  return out;
}

// The text of an enum (or any value that serializes to a JSON string).
template <class T>
std::string text(const T& value) {
  return Json(value).get<std::string>();
}

// A date-time query parameter (since, until) in the sandbox's fixed-width UTC text, which
// sorts as time, or a 400 naming it. The generated validators pass any text, as JSON Schema
// 2020-12 makes `format` an annotation; a filter on a time that is not one is still the
// client's error.
inline std::optional<std::string> timestampParam(const std::optional<std::string>& value, const char* name) {
  if (!value) return std::nullopt;
  Clock::time_point t{};
  if (!Clock::parse(*value, t)) {
    badRequest(std::string("The query parameter ") + name + " is not an RFC 3339 date-time (\"" + *value + "\").");
  }
  return Clock::format(t);
}

// A list query from the spec's common list parameters.
template <class Request>
ListQuery listQuery(const Request& request, std::string kind) {
  ListQuery q;
  q.kind = std::move(kind);
  q.limit = request.limit.value_or(25);
  q.cursor = request.cursor;
  if constexpr (requires { request.sort; }) {
    if (request.sort) applySort(q, text(*request.sort));
  }
  if constexpr (requires { request.name; }) {
    if (request.name) q.namePrefix = *request.name;
  }
  return q;
}

// An event's payload as the Event schema has it: the resource as GET returns it after the
// change, and for updates and status changes the previous values of what changed.
inline Json change(const Json& object, const Json& previousAttributes = nullptr) {
  return {{"object", object}, {"previous_attributes", previousAttributes}};
}

// Shallow JSON merge of a PATCH body: members present replace, null clears (RFC 7396 for
// the top level, which is what the spec's update schemas describe).
inline void mergePatch(Json& target, const Json& patch) {
  for (auto it = patch.begin(); it != patch.end(); ++it) target[it.key()] = it.value();
}

}  // namespace tether::sandbox
