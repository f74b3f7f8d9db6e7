#include "tether/client/problem.h"

namespace tether::client {

namespace {

std::string text(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  // A number or other scalar (some servers send numeric codes): keep its JSON text.
  if (it->is_primitive() && !it->is_null()) return it->dump();
  return {};
}

// The object holding the problem members: the body itself (RFC 9457), or its "error"
// member when the body wraps them ({"error": {"code": ..., "message": ...}}).
const nlohmann::json& problemObject(const nlohmann::json& body) {
  bool flat = body.contains("type") || body.contains("title") || body.contains("detail");
  auto wrapped = body.find("error");
  if (!flat && wrapped != body.end() && wrapped->is_object()) return *wrapped;
  return body;
}

}  // namespace

Problem parseProblem(std::string_view body) {
  Problem problem;
  problem.type = "about:blank";
  nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) return problem;
  problem.parsed = true;
  const nlohmann::json& p = problemObject(json);
  if (std::string type = text(p, "type"); !type.empty()) problem.type = type;
  problem.title = text(p, "title");
  problem.detail = text(p, "detail");
  if (problem.detail.empty()) problem.detail = text(p, "message");  // the wrapped shape's name
  problem.instance = text(p, "instance");
  problem.code = text(p, "code");
  problem.requestId = text(p, "request_id");
  if (problem.requestId.empty()) problem.requestId = text(p, "requestId");
  if (problem.requestId.empty() && &p != &json) problem.requestId = text(json, "request_id");
  if (auto status = p.find("status"); status != p.end() && status->is_number_integer()) {
    problem.status = status->get<int>();
  }
  if (auto errors = p.find("errors"); errors != p.end()) problem.errors = *errors;
  return problem;
}

}  // namespace tether::client
