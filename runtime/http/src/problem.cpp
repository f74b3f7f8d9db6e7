#include "tether/http/problem.h"

namespace tether::http {

std::string titleFromCode(std::string_view code) {
  std::string title;
  for (char c : code) {
    if (c == '_') {
      title += ' ';
    } else if (title.empty()) {
      title += c;
    } else {
      title += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }
  return title;
}

std::string pointerToken(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

Problem makeProblem(int status, std::string code, std::string detail) {
  Problem p;
  p.status = status;
  p.title = titleFromCode(code);
  p.code = std::move(code);
  p.detail = std::move(detail);
  return p;
}

nlohmann::json problemJson(const Problem& problem) {
  nlohmann::json body = nlohmann::json::object();
  body["type"] = problem.type.empty() ? "about:blank" : problem.type;
  body["title"] = problem.title.empty() ? titleFromCode(problem.code) : problem.title;
  body["status"] = problem.status;
  if (!problem.detail.empty()) body["detail"] = problem.detail;
  if (!problem.instance.empty()) body["instance"] = problem.instance;
  if (!problem.code.empty()) body["code"] = problem.code;
  if (!problem.requestId.empty()) body["request_id"] = problem.requestId;
  if (!problem.errors.empty()) {
    nlohmann::json errors = nlohmann::json::array();
    for (const FieldError& e : problem.errors) errors.push_back({{"pointer", e.pointer}, {"message", e.message}});
    body["errors"] = std::move(errors);
  }
  if (problem.extra.is_object()) {
    for (const auto& member : problem.extra.items()) {
      if (!body.contains(member.key())) body[member.key()] = member.value();
    }
  }
  return body;
}

Response problemResponse(const Problem& problem) {
  Response response;
  response.status = problem.status;
  response.contentType = "application/problem+json";
  for (const auto& field : problem.headers) {
    if (!iequals(field.first, "Content-Type")) response.headers.add(field.first, field.second);
  }
  // Replacement, not an exception, for invalid UTF-8 in a message built from input.
  response.body = problemJson(problem).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

}  // namespace tether::http
