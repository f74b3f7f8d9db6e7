// Transactional email (tag "Email"): the tenant view, email services (kind
// "email_service", unique names), their API keys (kind "email_api_key", children of the
// service; only the SHA-256 of a secret is kept, in the row's sealed column), sending,
// messages and statistics.
//
// A message (kind "email_message") is a top-level document, so that it outlives its service
// for the 30 days the spec keeps it; its cc and bcc addresses, which the EmailMessage schema
// does not show, are sealed in the row for the recipient check. The ticker moves it along
// the spec's lifecycle, one second of sandbox time per step:
//   scheduled → queued (send_at reached) → sent, or rejected (sandbox mode and a recipient
//   that is not a confirmed sandbox recipient) → delivered, or bounced when a `to` address
//   has the local part `bounce` (or `bounce+...`) → complained when it is `complaint`.
// A delivered message to a local part `open` is opened at once when its service tracks opens.
// Every step the spec has an event type for is emitted (email.message.*).
#include <map>
#include <set>

#include "email_common.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;
using namespace email;

constexpr const char* kSmtpHost = "smtp.sandbox.tether.dev";
constexpr std::int64_t kStepSeconds = 1;
constexpr std::int64_t kMaxScheduleSeconds = 72 * 3600;
constexpr std::size_t kMaxRecipients = 50;
// The row's status column for a delivered message that will still draw a complaint: the
// ticker looks for it by that status, and other delivered messages are out of its way.
constexpr const char* kComplaining = "delivered_complaining";

struct Quota {
  std::int64_t daily;
  std::int64_t perSecond;
};
Quota quotaOf(const std::string& mode) { return mode == "production" ? Quota{50000, 14} : Quota{200, 1}; }

bool handedOver(const std::string& status) {
  return status == "sent" || status == "delivered" || status == "bounced" || status == "complained";
}

// Whether any `to` address has this local part, or this local part followed by +tag.
bool anyLocalPart(const Json& to, const std::string& wanted) {
  for (const Json& address : to) {
    const std::string local = localPartOf(address["email"].get<std::string>());
    if (local == wanted || local.rfind(wanted + "+", 0) == 0) return true;
  }
  return false;
}

std::int64_t sentSince(const std::vector<Document>& messages, const std::string& since) {
  std::int64_t count = 0;
  for (const Document& m : messages) {
    if (m.createdAt >= since && m.body["status"] != "rejected") ++count;
  }
  return count;
}

// "90m", "24h", "7d" → seconds; the pattern is the spec's, the 30-day ceiling its description's.
// A query parameter, so an out-of-range value is a 400 (the operation documents no 422);
// counted digit by digit, so no length of digits overflows.
std::int64_t rangeSeconds(const std::string& range) {
  constexpr std::int64_t kMax = 30 * 86400;
  const char unit = range.back();
  const std::int64_t scale = unit == 'm' ? 60 : unit == 'h' ? 3600 : 86400;
  std::int64_t amount = 0;
  for (std::size_t i = 0; i + 1 < range.size(); ++i) {
    amount = amount * 10 + (range[i] - '0');
    if (amount * scale > kMax) badRequest("The query parameter range is at most 30 days.");
  }
  return amount * scale;
}

std::int64_t epochSeconds(const std::string& timestamp) {
  Clock::time_point at{};
  Clock::parse(timestamp, at);
  return std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
}

class Email final : public EmailHandler {
 public:
  explicit Email(const Services& services) : s_(services) {
    s_.ticker.add("email message deliveries", [this] { moveMessages(); });
  }

  GetEmailTenantResponse getEmailTenant(const GetEmailTenantRequest&, http::Context& context) override {
    const Tenant t = tenantOf(context);
    const std::string now = s_.clock.nowText();
    Json tenant = s_.db.with([&](storage::Connection& c) {
      const std::string mode = tenantMode(c, t);
      const std::vector<Document> messages = all(c, t, kMessage);
      const Quota quota = quotaOf(mode);
      return Json{{"workspace_id", t.workspace},
                  {"mode", mode},
                  {"daily_quota", quota.daily},
                  {"sent_last_24h", sentSince(messages, plusSeconds(now, -86400))},
                  {"max_send_rate", quota.perSecond},
                  {"reputation", reputation(messages, plusSeconds(now, -30 * 86400))},
                  {"smtp_host", kSmtpHost}};
    });
    return {reply<GetEmailTenantResponse::Status200>(tenant)};
  }

  ListEmailServicesResponse listEmailServices(const ListEmailServicesRequest& request, http::Context& context) override {
    ListQuery query = listQuery(request, kService);
    Page page = s_.db.with([&](storage::Connection& c) { return documents::list(c, tenantOf(context), query); });
    return {reply<ListEmailServicesResponse::Status200>(page.json())};
  }

  CreateEmailServiceResponse createEmailService(const CreateEmailServiceRequest& request,
                                                http::Context& context) override {
    const Tenant t = tenantOf(context);
    const std::string now = s_.clock.nowText();
    Json in = toJson(request.body);
    checkAddress("/default_from", request.body.default_from);
    Document d;
    d.id = newId("ems_");
    d.kind = kService;
    d.name = d.uniqueName = request.body.name;
    d.createdAt = d.updatedAt = now;
    d.body = {{"id", d.id},
              {"name", request.body.name},
              {"default_from", request.body.default_from},
              {"track_opens", in.value("track_opens", false)},
              {"track_clicks", in.value("track_clicks", false)},
              {"created_at", now},
              {"updated_at", now}};
    s_.db.transact([&](storage::Connection& c) { documents::insert(c, t, d); });  // a name in use: 409
    return {reply<CreateEmailServiceResponse::Status201>(d.body)};
  }

  GetEmailServiceResponse getEmailService(const GetEmailServiceRequest& request, http::Context& context) override {
    Document d = s_.db.with(
        [&](storage::Connection& c) { return documents::get(c, tenantOf(context), kService, request.email_service_id); });
    return {reply<GetEmailServiceResponse::Status200>(d.body)};
  }

  UpdateEmailServiceResponse updateEmailService(const UpdateEmailServiceRequest& request,
                                                http::Context& context) override {
    const Tenant t = tenantOf(context);
    if (request.body.default_from) checkAddress("/default_from", *request.body.default_from);
    Document updated = s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, kService, request.email_service_id);
      mergePatch(d.body, toJson(request.body));
      d.name = d.uniqueName = d.body["name"].get<std::string>();
      d.updatedAt = s_.clock.nowText();
      d.body["updated_at"] = d.updatedAt;
      documents::update(c, t, d);
      return d;
    });
    return {reply<UpdateEmailServiceResponse::Status200>(updated.body)};
  }

  DeleteEmailServiceResponse deleteEmailService(const DeleteEmailServiceRequest& request,
                                                http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, kService, request.email_service_id);
      for (const Document& m : all(c, t, kMessage)) {
        const std::string status = m.body["status"].get<std::string>();
        if (m.body["email_service_id"] == d.id && (status == "queued" || status == "scheduled")) {
          conflict("The service still has " + status + " messages (\"" + m.id + "\"); wait until they are sent.");
        }
      }
      documents::remove(c, t, kService, d.id);  // its API keys and webhooks are its children
    });
    return {DeleteEmailServiceResponse::Status204{}};
  }

  ListEmailApiKeysResponse listEmailApiKeys(const ListEmailApiKeysRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    ListQuery query = listQuery(request, kApiKey);
    query.parent = request.email_service_id;
    Page page = s_.db.with([&](storage::Connection& c) {
      documents::get(c, t, kService, request.email_service_id);
      return documents::list(c, t, query);
    });
    return {reply<ListEmailApiKeysResponse::Status200>(page.json())};
  }

  CreateEmailApiKeyResponse createEmailApiKey(const CreateEmailApiKeyRequest& request,
                                              http::Context& context) override {
    const Tenant t = tenantOf(context);
    const std::string now = s_.clock.nowText();
    Json in = toJson(request.body);
    const std::string random = randomToken(32);
    const std::string head = "em_" + std::string(t.mode == "live" ? "live" : "test") + "_";
    const std::string secret = head + random;
    Document d;
    d.id = newId("eak_");
    d.kind = kApiKey;
    d.parent = request.email_service_id;
    d.name = request.body.name;
    d.status = "active";
    d.sealed = sha256(secret);  // only the hash: the secret is in this response and nowhere else
    d.createdAt = d.updatedAt = now;
    d.body = {{"id", d.id},
              {"email_service_id", request.email_service_id},
              {"name", request.body.name},
              {"prefix", head + random.substr(0, 4)},
              {"permission", in.value("permission", "send")},
              {"status", "active"},
              {"last_used_at", nullptr},
              {"created_at", now}};
    s_.db.transact([&](storage::Connection& c) {
      documents::get(c, t, kService, request.email_service_id);
      documents::insert(c, t, d);
      s_.audit(c, t, "email_api_key.created", kApiKey, d.id, context);
    });
    Json created = d.body;
    created["secret"] = secret;
    return {reply<CreateEmailApiKeyResponse::Status201>(created)};
  }

  RevokeEmailApiKeyResponse revokeEmailApiKey(const RevokeEmailApiKeyRequest& request,
                                              http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, kApiKey, request.email_api_key_id);
      if (d.status == "revoked") return;  // DELETE is idempotent
      d.status = "revoked";
      d.body["status"] = "revoked";
      d.updatedAt = s_.clock.nowText();
      documents::update(c, t, d);
      s_.audit(c, t, "email_api_key.revoked", kApiKey, d.id, context);
    });
    return {RevokeEmailApiKeyResponse::Status204{}};
  }

  SendEmailResponse sendEmail(const SendEmailRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    const std::string now = s_.clock.nowText();
    const Json in = toJson(request.body);
    Json recipients = Json::array();
    for (const char* field : {"to", "cc", "bcc"}) {
      const Json list = in.value(field, Json::array());
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string address = list[i]["email"].get<std::string>();
        checkAddress("/" + std::string(field) + "/" + std::to_string(i) + "/email", address);
        recipients.push_back(lower(address));
      }
    }
    for (const char* field : {"from", "reply_to"}) {
      if (in.contains(field)) checkAddress("/" + std::string(field) + "/email", in[field]["email"].get<std::string>());
    }
    if (recipients.size() > kMaxRecipients) {
      invalid("/to", "At most " + std::to_string(kMaxRecipients) + " recipients in to, cc and bcc together.");
    }
    std::optional<std::string> sendAt;
    if (in.contains("send_at")) {
      sendAt = in["send_at"].get<std::string>();
      const double ahead = secondsBetween(now, *sendAt);
      if (ahead <= 0 || ahead > kMaxScheduleSeconds) invalid("/send_at", "send_at must be in the next 72 hours.");
    }
    Document d;
    d.id = newId("msg_");
    d.kind = kMessage;
    d.status = sendAt ? "scheduled" : "queued";
    d.sealed = s_.sealer.seal(recipients.dump(), d.id);
    d.createdAt = d.updatedAt = now;
    s_.db.transact([&](storage::Connection& c) {
      std::optional<Document> service = documents::find(c, t, kService, in["email_service_id"].get<std::string>());
      if (!service) invalid("/email_service_id", "No email service with this id in the workspace.");
      const Json from = in.contains("from") ? in["from"] : Json{{"email", service->body["default_from"]}};
      const std::string fromDomain = domainOf(from["email"].get<std::string>());
      if (!domainVerified(c, t, fromDomain)) {
        invalid(in.contains("from") ? "/from/email" : "/email_service_id",
                "The sender's domain \"" + fromDomain + "\" is not a verified sending domain.");
      }
      const std::int64_t daily = quotaOf(tenantMode(c, t)).daily;
      if (sentSince(all(c, t, kMessage), plusSeconds(now, -86400)) >= daily) {
        conflict("The daily quota of " + std::to_string(daily) + " messages is reached.");
      }
      d.body = {{"id", d.id},
                {"email_service_id", service->id},
                {"status", *d.status},
                {"from", from},
                {"to", in["to"]},
                {"subject", in["subject"]},
                {"tags", in.value("tags", Json::array())},
                {"status_detail", nullptr},
                {"opened", false},
                {"send_at", sendAt ? Json(*sendAt) : Json(nullptr)},
                {"created_at", now},
                {"updated_at", now}};
      documents::insert(c, t, d);
    });
    return {reply<SendEmailResponse::Status202>(d.body)};
  }

  GetEmailMessageResponse getEmailMessage(const GetEmailMessageRequest& request, http::Context& context) override {
    Document d = s_.db.with(
        [&](storage::Connection& c) { return documents::get(c, tenantOf(context), kMessage, request.email_message_id); });
    return {reply<GetEmailMessageResponse::Status200>(d.body)};
  }

  GetEmailStatsResponse getEmailStats(const GetEmailStatsRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    const std::string range = request.range.value_or("1h");
    const std::int64_t seconds = rangeSeconds(range);
    const std::string now = s_.clock.nowText();
    const std::string since = plusSeconds(now, -seconds);
    const std::vector<Document> messages = s_.db.with([&](storage::Connection& c) { return all(c, t, kMessage); });
    // Buckets of a minute, an hour or a day, by the length of the window; a message counts
    // in the bucket of its creation.
    const std::int64_t bucket = seconds <= 7200 ? 60 : seconds <= 72 * 3600 ? 3600 : 86400;
    const std::int64_t first = epochSeconds(since) / bucket * bucket;
    std::map<std::int64_t, Json> series;
    for (std::int64_t at = first; at <= epochSeconds(now); at += bucket) {
      series[at] = {{"timestamp", Clock::format(Clock::time_point(std::chrono::seconds(at)))},
                    {"sent", 0},
                    {"delivered", 0},
                    {"bounced", 0},
                    {"complained", 0}};
    }
    Json totals = {{"sent", 0},     {"delivered", 0}, {"bounced", 0}, {"complained", 0},
                   {"rejected", 0}, {"opened", 0},    {"clicked", 0}};
    for (const Document& m : messages) {
      if (m.createdAt < since) continue;
      if (request.email_service_id && m.body["email_service_id"] != *request.email_service_id) continue;
      if (request.tag) {
        const Json& tags = m.body["tags"];
        if (std::find(tags.begin(), tags.end(), Json(*request.tag)) == tags.end()) continue;
      }
      const std::string status = m.body["status"].get<std::string>();
      Json& row = series[epochSeconds(m.createdAt) / bucket * bucket];
      auto count = [&](const char* field, bool inSeries) {
        totals[field] = totals[field].get<std::int64_t>() + 1;
        if (inSeries) row[field] = row[field].get<std::int64_t>() + 1;
      };
      if (handedOver(status)) count("sent", true);
      if (status == "delivered" || status == "complained") count("delivered", true);  // a complaint was delivered
      if (status == "bounced") count("bounced", true);
      if (status == "complained") count("complained", true);
      if (status == "rejected") count("rejected", false);
      if (m.body["opened"] == true) count("opened", false);
    }
    Json body = {{"range", range},
                 {"email_service_id", request.email_service_id ? Json(*request.email_service_id) : Json(nullptr)},
                 {"totals", totals},
                 {"series", Json::array()}};
    for (auto& [at, row] : series) body["series"].push_back(row);
    return {reply<GetEmailStatsResponse::Status200>(body)};
  }

 private:
  // Bounce and complaint rates over the messages handed over since `since`; a tenant with
  // at least 20 of them and more than 10 % bounces or 1 % complaints is under review.
  static Json reputation(const std::vector<Document>& messages, const std::string& since) {
    double handed = 0, bounced = 0, complained = 0;
    for (const Document& m : messages) {
      const std::string status = m.body["status"].get<std::string>();
      if (m.createdAt < since || !handedOver(status)) continue;
      handed += 1;
      if (status == "bounced") bounced += 1;
      if (status == "complained") complained += 1;
    }
    const double bounceRate = handed > 0 ? bounced / handed : 0, complaintRate = handed > 0 ? complained / handed : 0;
    const bool review = handed >= 20 && (bounceRate > 0.10 || complaintRate > 0.01);
    return {{"bounce_rate", bounceRate}, {"complaint_rate", complaintRate}, {"status", review ? "under_review" : "healthy"}};
  }

  // One lifecycle step for every message whose step is due (see the top of the file).
  void moveMessages() {
    for (const char* status : {"scheduled", "queued", "sent", kComplaining}) {
      auto due = s_.db.with([&](storage::Connection& c) { return documents::byStatus(c, kMessage, status, 100); });
      for (auto& [tenant, message] : due) step(tenant, message, status);
    }
  }

  void step(const Tenant& t, Document message, const std::string& from) {
    const std::string now = s_.clock.nowText();
    if (from == "scheduled") {
      if (message.body["send_at"].get<std::string>() > now) return;
    } else if (secondsBetween(message.updatedAt, now) < kStepSeconds) {
      return;
    }
    s_.db.transact([&](storage::Connection& c) {
      const std::string before = message.body["status"].get<std::string>();
      std::string after, column, detail, event;
      bool opened = false;
      if (from == "scheduled") {
        after = "queued";
      } else if (from == "queued") {
        std::optional<std::string> refused = refusedRecipient(c, t, message);
        after = refused ? "rejected" : "sent";
        detail = refused ? "Sandbox mode: " + *refused + " is not a confirmed sandbox recipient."
                         : "250 2.0.0 Ok: queued as " + message.id;
        if (refused) event = "email.message.rejected";
      } else if (from == "sent") {
        const bool bounce = anyLocalPart(message.body["to"], "bounce");
        after = bounce ? "bounced" : "delivered";
        detail = bounce ? "550 5.1.1 The email account that you tried to reach does not exist." : "250 2.0.0 Ok";
        event = bounce ? "email.message.bounced" : "email.message.delivered";
        if (!bounce && anyLocalPart(message.body["to"], "complaint")) column = kComplaining;
        opened = !bounce && anyLocalPart(message.body["to"], "open") && tracksOpens(c, t, message);
      } else {
        after = "complained";
        detail = "The recipient marked the message as spam.";
        event = "email.message.complained";
      }
      if (column.empty()) column = after;
      if (!claim(c, t, message.id, from, column)) return;  // another replica moved it
      message.status = column;
      message.body["status"] = after;
      if (!detail.empty()) message.body["status_detail"] = detail;
      if (opened) message.body["opened"] = true;
      message.body["updated_at"] = message.updatedAt = now;
      documents::update(c, t, message);
      if (!event.empty()) s_.emit(c, t, event, eventData(message.body, {{"status", before}}));
      if (opened) s_.emit(c, t, "email.message.opened", eventData(message.body, {{"opened", false}}));
    });
  }

  // Whether the message's service (if it still exists) adds the open-tracking pixel.
  static bool tracksOpens(storage::Connection& c, const Tenant& t, const Document& message) {
    std::optional<Document> service = documents::find(c, t, kService, message.body["email_service_id"]);
    return service && service->body.value("track_opens", false);
  }

  // In sandbox mode, the first recipient (to, cc or bcc) that is not a confirmed sandbox
  // recipient; nullopt when every one may receive.
  std::optional<std::string> refusedRecipient(storage::Connection& c, const Tenant& t, const Document& message) const {
    if (tenantMode(c, t) == "production") return std::nullopt;
    std::set<std::string> confirmed;
    for (const Document& r : all(c, t, kRecipient)) {
      if (r.body["status"] == "confirmed") confirmed.insert(r.uniqueName.value_or(""));
    }
    std::optional<std::string> opened = message.sealed ? s_.sealer.open(*message.sealed, message.id) : std::nullopt;
    const Json recipients = opened ? Json::parse(*opened, nullptr, false) : Json::array();
    for (const Json& address : recipients) {
      if (!confirmed.count(address.get<std::string>())) return address.get<std::string>();
    }
    return std::nullopt;
  }

  const Services& s_;
};

}  // namespace

std::unique_ptr<EmailHandler> makeEmailHandler(const Services& services) { return std::make_unique<Email>(services); }

}  // namespace tether::sandbox
