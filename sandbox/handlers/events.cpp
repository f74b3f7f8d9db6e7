// Events (tag "Events"): the `events` table that Services::emit appends to, read as a page
// (newest first) or as a Server-Sent Events stream (oldest first, resumed after
// Last-Event-ID). The stream sends what there is and ends; clients reconnect with the
// id of the last event they received, which is how they follow new events.
#include <algorithm>

#include "common.h"
#include "webhooks_delivery.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;

bool wanted(const Json& event, const ListEventsRequest& request) {
  if (request.type && !request.type->empty()) {
    const std::string type = event["type"].get<std::string>();
    if (std::none_of(request.type->begin(), request.type->end(),
                     [&](const cloud::EventType& t) { return text(t) == type; })) {
      return false;
    }
  }
  if (request.resource_id) {
    const Json& object = event["data"]["object"];
    if (!object.is_object() || object.value("id", Json(nullptr)) != Json(*request.resource_id)) return false;
  }
  return true;
}

// One SSE frame: the data is the event as one line of JSON (dump() escapes newlines).
std::string frame(const Json& event) {
  return "id: " + event["id"].get<std::string>() + "\nevent: " + event["type"].get<std::string>() +
         "\ndata: " + event.dump() + "\n\n";
}

class Events final : public EventsHandler {
 public:
  explicit Events(const Services& services) : s_(services) {}

  ListEventsResponse listEvents(const ListEventsRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    const std::optional<std::string> since = timestampParam(request.since, "since");
    const bool stream = context.responseMediaType == "text/event-stream";
    std::vector<Json> all = s_.db.with([&](storage::Connection& c) {
      return webhooks::events(c, t, stream ? request.last_event_id : std::nullopt, since);
    });
    ListEventsResponse::Status200 out{};
    if (stream) {
      std::string body;
      for (const Json& event : all) {
        if (wanted(event, request)) body += frame(event);
      }
      out.body_raw = std::move(body);
      return {std::move(out)};
    }
    ListQuery query = listQuery(request, "event");
    std::vector<Document> matching;
    for (Json& event : all) {
      if (!wanted(event, request)) continue;
      Document d;
      d.id = event["id"].get<std::string>();
      d.kind = "event";
      d.createdAt = d.updatedAt = event["created_at"].get<std::string>();
      d.body = std::move(event);
      matching.push_back(std::move(d));
    }
    out.body_json = as<cloud::EventList>(documents::paginate(std::move(matching), query).json());
    return {std::move(out)};
  }

  GetEventResponse getEvent(const GetEventRequest& request, http::Context& context) override {
    std::optional<Json> event =
        s_.db.with([&](storage::Connection& c) { return webhooks::event(c, tenantOf(context), request.event_id); });
    if (!event) notFound("event \"" + request.event_id + "\"");
    return {reply<GetEventResponse::Status200>(*event)};
  }

 private:
  const Services& s_;
};

}  // namespace

std::unique_ptr<EventsHandler> makeEventsHandler(const Services& services) {
  return std::make_unique<Events>(services);
}

}  // namespace tether::sandbox
