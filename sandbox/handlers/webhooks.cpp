// Webhooks (tag "Webhooks"): endpoints are documents of kind "webhook_endpoint" whose
// signing secrets are sealed in their row (shown once, at creation and rotation); their
// deliveries are documents of kind "webhook_delivery" under them. The ticker jobs of
// webhooks_delivery.cpp turn events into deliveries and send them; this file is the API.
#include "common.h"
#include "webhooks_delivery.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;

// A list page whose bodies lose the sandbox's bookkeeping members.
Json publicPage(const Page& page) {
  Json out = page.json();
  for (Json& item : out["data"]) item = webhooks::publicBody(item);
  return out;
}

class Webhooks final : public WebhooksHandler {
 public:
  explicit Webhooks(const Services& services) : s_(services) { webhooks::startDeliveries(s_); }

  ListWebhookEndpointsResponse listWebhookEndpoints(const ListWebhookEndpointsRequest& request,
                                                    http::Context& context) override {
    ListQuery query = listQuery(request, "webhook_endpoint");
    if (request.status) query.status = text(*request.status);
    Page page = s_.db.with([&](storage::Connection& c) { return documents::list(c, tenantOf(context), query); });
    return {reply<ListWebhookEndpointsResponse::Status200>(publicPage(page))};
  }

  CreateWebhookEndpointResponse createWebhookEndpoint(const CreateWebhookEndpointRequest& request,
                                                      http::Context& context) override {
    const Tenant t = tenantOf(context);
    const std::string now = s_.clock.nowText();
    Json in = toJson(request.body);
    Document endpoint;
    endpoint.id = newId("whe_");
    endpoint.kind = "webhook_endpoint";
    endpoint.name = request.body.url;
    endpoint.status = "enabled";
    endpoint.createdAt = endpoint.updatedAt = now;
    endpoint.body = {{"id", endpoint.id},
                     {"url", request.body.url},
                     {"description", in.value("description", Json(nullptr))},
                     {"events", in["events"]},
                     {"status", "enabled"},
                     {"disabled_reason", nullptr},
                     {"created_at", now},
                     {"updated_at", now},
                     {"_enabled_at", now},  // events from now on
                     {"_scanned_to", now}};
    const std::string secret = webhooks::newSecret();
    webhooks::sealSecrets(s_, endpoint, {{secret, std::nullopt}});
    s_.db.transact([&](storage::Connection& c) { documents::insert(c, t, endpoint); });
    Json shown = webhooks::publicBody(endpoint.body);
    shown["secret"] = secret;
    return {reply<CreateWebhookEndpointResponse::Status201>(shown)};
  }

  GetWebhookEndpointResponse getWebhookEndpoint(const GetWebhookEndpointRequest& request,
                                                http::Context& context) override {
    Document d = s_.db.with([&](storage::Connection& c) {
      return documents::get(c, tenantOf(context), "webhook_endpoint", request.webhook_endpoint_id);
    });
    return {reply<GetWebhookEndpointResponse::Status200>(webhooks::publicBody(d.body))};
  }

  UpdateWebhookEndpointResponse updateWebhookEndpoint(const UpdateWebhookEndpointRequest& request,
                                                      http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document updated = s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, "webhook_endpoint", request.webhook_endpoint_id);
      const std::string wasStatus = d.body["status"].get<std::string>();
      const std::string now = s_.clock.nowText();
      mergePatch(d.body, toJson(request.body));
      const std::string status = d.body["status"].get<std::string>();
      if (status != wasStatus) {
        d.status = status;
        d.body["disabled_reason"] = status == "disabled" ? Json("manual") : Json(nullptr);
        if (status == "enabled") {
          // Missed events are not replayed (redeliver does that): the endpoint reads on from now.
          d.body["_enabled_at"] = d.body["_scanned_to"] = now;
          d.body.erase("_failing_since");
        }
      }
      d.name = d.body["url"].get<std::string>();
      d.updatedAt = now;
      d.body["updated_at"] = now;
      documents::update(c, t, d);
      return d;
    });
    return {reply<UpdateWebhookEndpointResponse::Status200>(webhooks::publicBody(updated.body))};
  }

  DeleteWebhookEndpointResponse deleteWebhookEndpoint(const DeleteWebhookEndpointRequest& request,
                                                      http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      // Its deliveries, pending retries included, go with it.
      if (!documents::remove(c, t, "webhook_endpoint", request.webhook_endpoint_id)) {
        notFound("webhook endpoint \"" + request.webhook_endpoint_id + "\"");
      }
    });
    return {DeleteWebhookEndpointResponse::Status204{}};
  }

  RotateWebhookSecretResponse rotateWebhookSecret(const RotateWebhookSecretRequest& request,
                                                  http::Context& context) override {
    const Tenant t = tenantOf(context);
    const std::int64_t overlap = request.body.overlap_seconds.value_or(86400);
    Json result = s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, "webhook_endpoint", request.webhook_endpoint_id);
      const std::string now = s_.clock.nowText();
      std::vector<webhooks::SigningSecret> secrets = {{webhooks::newSecret(), std::nullopt}};
      Json previousExpiry = nullptr;
      std::vector<webhooks::SigningSecret> old = webhooks::secretsOf(s_, d);
      // Only the secret current until now keeps signing for the overlap; an older one stops.
      if (overlap > 0 && !old.empty()) {
        Clock::time_point at{};
        Clock::parse(now, at);
        previousExpiry = Clock::format(at + std::chrono::seconds(overlap));
        secrets.push_back({old.front().secret, previousExpiry.get<std::string>()});
      }
      webhooks::sealSecrets(s_, d, secrets);
      d.updatedAt = now;
      d.body["updated_at"] = now;
      documents::update(c, t, d);
      s_.audit(c, t, "webhook_endpoint.secret_rotated", "webhook_endpoint", d.id, context);
      return Json{{"secret", secrets.front().secret}, {"previous_secret_expires_at", previousExpiry}};
    });
    return {reply<RotateWebhookSecretResponse::Status200>(result)};
  }

  ListWebhookDeliveriesResponse listWebhookDeliveries(const ListWebhookDeliveriesRequest& request,
                                                      http::Context& context) override {
    const Tenant t = tenantOf(context);
    ListQuery query = listQuery(request, "webhook_delivery");
    query.parent = request.webhook_endpoint_id;
    // The body's status, not the row's: a delivery being sent is `sending` in its row.
    if (request.status) query.bodyEquals.emplace_back("status", text(*request.status));
    if (request.event_type) query.bodyEquals.emplace_back("event_type", text(*request.event_type));
    Page page = s_.db.with([&](storage::Connection& c) {
      documents::get(c, t, "webhook_endpoint", request.webhook_endpoint_id);  // 404 for a missing one
      return documents::list(c, t, query);
    });
    return {reply<ListWebhookDeliveriesResponse::Status200>(publicPage(page))};
  }

  GetWebhookDeliveryResponse getWebhookDelivery(const GetWebhookDeliveryRequest& request,
                                                http::Context& context) override {
    Document d = s_.db.with([&](storage::Connection& c) {
      return documents::get(c, tenantOf(context), "webhook_delivery", request.webhook_delivery_id);
    });
    return {reply<GetWebhookDeliveryResponse::Status200>(d.body)};
  }

  RedeliverWebhookResponse redeliverWebhook(const RedeliverWebhookRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document delivery = s_.db.transact([&](storage::Connection& c) {
      Document original = documents::get(c, t, "webhook_delivery", request.webhook_delivery_id);
      Document endpoint = enabledEndpoint(c, t, original.parent);
      const std::string eventId = original.body["event_id"].get<std::string>();
      std::optional<Json> event = webhooks::event(c, t, eventId);
      if (!event) conflict("The event " + eventId + " is no longer kept; it cannot be sent again.");
      Document again = webhooks::newDelivery(endpoint.id, *event, s_.clock.nowText(), false);
      documents::insert(c, t, again);
      return again;
    });
    return {reply<RedeliverWebhookResponse::Status202>(delivery.body)};
  }

  SendTestWebhookResponse sendTestWebhook(const SendTestWebhookRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document delivery = s_.db.transact([&](storage::Connection& c) {
      Document endpoint = enabledEndpoint(c, t, request.webhook_endpoint_id);
      const std::string now = s_.clock.nowText();
      // The ping is an event like any other (listed, streamed), but the fan-out job skips
      // pings: this delivery is its only one.
      Json ping = webhooks::insertEvent(c, t, "ping", {{"message", "pong"}, {"webhook_endpoint_id", endpoint.id}}, now);
      Document d = webhooks::newDelivery(endpoint.id, ping, now, false);
      documents::insert(c, t, d);
      return d;
    });
    return {reply<SendTestWebhookResponse::Status202>(delivery.body)};
  }

 private:
  // The endpoint, or 404; 409 when it is disabled (nothing is sent to it).
  static Document enabledEndpoint(storage::Connection& c, const Tenant& t, const std::string& id) {
    Document endpoint = documents::get(c, t, "webhook_endpoint", id);
    if (endpoint.status != "enabled") {
      conflict("The webhook endpoint is disabled (" + endpoint.body["disabled_reason"].get<std::string>() +
               "); enable it first.");
    }
    return endpoint;
  }

  const Services& s_;
};

}  // namespace

std::unique_ptr<WebhooksHandler> makeWebhooksHandler(const Services& services) {
  return std::make_unique<Webhooks>(services);
}

}  // namespace tether::sandbox
