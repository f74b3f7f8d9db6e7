// Email webhooks (tag "Email Webhooks"): documents of kind "email_webhook", children of
// their email service (deleting the service deletes them). A service subscribes a URL once:
// a second subscription of the same URL is 409 on create and 422 on update (the update
// documents no 409). The records are what the delivery worker reads; signing and sending
// are not done here.
#include <set>

#include "email_common.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;
using namespace email;

// The schema says uniqueItems; say which one repeats rather than rely on a generic message.
void checkEvents(const Json& events) {
  std::set<std::string> seen;
  for (const Json& event : events) {
    if (!seen.insert(event.get<std::string>()).second) {
      invalid("/events", "The event \"" + event.get<std::string>() + "\" is listed twice.");
    }
  }
}

// Another webhook of the service with this URL, if any.
std::optional<std::string> subscribedUrl(storage::Connection& c, const Tenant& t, const std::string& service,
                                         const std::string& url, const std::string& except) {
  for (const Document& d : all(c, t, kWebhook, service)) {
    if (d.id != except && d.body["url"] == url) return d.id;
  }
  return std::nullopt;
}

class EmailWebhooks final : public EmailWebhooksHandler {
 public:
  explicit EmailWebhooks(const Services& services) : s_(services) {}

  ListEmailWebhooksResponse listEmailWebhooks(const ListEmailWebhooksRequest& request, http::Context& context) override {
    ListQuery query = listQuery(request, kWebhook);
    if (request.email_service_id) query.parent = *request.email_service_id;
    Page page = s_.db.with([&](storage::Connection& c) { return documents::list(c, tenantOf(context), query); });
    return {reply<ListEmailWebhooksResponse::Status200>(page.json())};
  }

  CreateEmailWebhookResponse createEmailWebhook(const CreateEmailWebhookRequest& request,
                                                http::Context& context) override {
    const Tenant t = tenantOf(context);
    const std::string now = s_.clock.nowText();
    Json in = toJson(request.body);
    checkEvents(in["events"]);
    Document d;
    d.id = newId("ewh_");
    d.kind = kWebhook;
    d.parent = request.body.email_service_id;
    d.name = request.body.url;
    d.createdAt = d.updatedAt = now;
    d.body = {{"id", d.id},
              {"email_service_id", request.body.email_service_id},
              {"url", request.body.url},
              {"events", in["events"]},
              {"enabled", in.value("enabled", true)},
              {"created_at", now},
              {"updated_at", now}};
    s_.db.transact([&](storage::Connection& c) {
      // The service is named in the body, not the path: a missing one is a 422 (the
      // operation documents no 404).
      if (!documents::find(c, t, kService, d.parent)) {
        invalid("/email_service_id", "No email service with this id in the workspace.");
      }
      if (std::optional<std::string> other = subscribedUrl(c, t, d.parent, request.body.url, "")) {
        conflict("The service already sends its events to this URL (email webhook \"" + *other + "\").");
      }
      documents::insert(c, t, d);
    });
    return {reply<CreateEmailWebhookResponse::Status201>(d.body)};
  }

  GetEmailWebhookResponse getEmailWebhook(const GetEmailWebhookRequest& request, http::Context& context) override {
    Document d = s_.db.with(
        [&](storage::Connection& c) { return documents::get(c, tenantOf(context), kWebhook, request.email_webhook_id); });
    return {reply<GetEmailWebhookResponse::Status200>(d.body)};
  }

  UpdateEmailWebhookResponse updateEmailWebhook(const UpdateEmailWebhookRequest& request,
                                                http::Context& context) override {
    const Tenant t = tenantOf(context);
    Json patch = toJson(request.body);
    if (patch.contains("events")) checkEvents(patch["events"]);
    Document updated = s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, kWebhook, request.email_webhook_id);
      if (patch.contains("url")) {
        if (std::optional<std::string> other = subscribedUrl(c, t, d.parent, patch["url"], d.id)) {
          invalid("/url", "The service already sends its events to this URL (email webhook \"" + *other + "\").");
        }
      }
      mergePatch(d.body, patch);
      d.name = d.body["url"].get<std::string>();
      d.updatedAt = s_.clock.nowText();
      d.body["updated_at"] = d.updatedAt;
      documents::update(c, t, d);
      return d;
    });
    return {reply<UpdateEmailWebhookResponse::Status200>(updated.body)};
  }

  DeleteEmailWebhookResponse deleteEmailWebhook(const DeleteEmailWebhookRequest& request,
                                                http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      if (!documents::remove(c, t, kWebhook, request.email_webhook_id)) {
        notFound("email webhook \"" + request.email_webhook_id + "\"");
      }
    });
    return {DeleteEmailWebhookResponse::Status204{}};
  }

 private:
  const Services& s_;
};

}  // namespace

std::unique_ptr<EmailWebhooksHandler> makeEmailWebhooksHandler(const Services& services) {
  return std::make_unique<EmailWebhooks>(services);
}

}  // namespace tether::sandbox
