#include "services.h"

namespace tether::sandbox {

void Services::emit(storage::Connection& c, const Tenant& t, const std::string& type, const Json& data) const {
  const std::string id = newId("evt_"), now = clock.nowText();
  Json event = {{"id", id}, {"type", type}, {"workspace_id", t.workspace}, {"created_at", now}, {"data", data}};
  auto q = c.prepare("INSERT INTO events (id, workspace_id, mode, type, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)");
  q->bind_text(1, id).bind_text(2, t.workspace).bind_text(3, t.mode).bind_text(4, type).bind_text(5, event.dump());
  q->bind_text(6, now);
  q->run();
}

void Services::audit(storage::Connection& c, const Tenant& t, const std::string& action,
                     const std::string& resourceType, const std::string& resourceId,
                     const http::Context& context) const {
  const std::string now = clock.nowText();
  auto attribute = [&](const char* name) {
    auto it = context.attributes.find(name);
    return it == context.attributes.end() ? std::string() : it->second;
  };
  const bool token = attribute("credential_kind") == "access_token";
  Document entry;
  entry.id = newId("aud_");
  entry.kind = "audit_log_entry";
  entry.status = action;
  entry.createdAt = entry.updatedAt = now;
  entry.body = {{"id", entry.id},
                {"action", action},
                {"actor",
                 {{"type", token ? "access_token" : "api_key"},
                  {"id", context.principal.empty() ? Json(nullptr) : Json(context.principal)},
                  {"display", context.principal.empty() ? "system" : context.principal}}},
                {"resource", {{"type", resourceType}, {"id", resourceId}}},
                {"ip_address", attribute("remote_addr").empty() ? Json(nullptr) : Json(attribute("remote_addr"))},
                {"user_agent", attribute("user_agent").empty() ? Json(nullptr) : Json(attribute("user_agent"))},
                {"request_id", context.requestId},
                {"metadata", Json::object()},
                {"created_at", now}};
  documents::insert(c, t, entry);
}

}  // namespace tether::sandbox
