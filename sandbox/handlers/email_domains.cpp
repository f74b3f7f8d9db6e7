// Sending domains and sandbox recipients (tag "Email Domains"): documents of kind
// "email_domain" (unique by domain name) and "sandbox_recipient" (unique by address, at most
// 10). A domain carries the deterministic SPF, DKIM, return-path and DMARC records to publish;
// its DNS checks run on the ticker: on `POST .../verify` (the row's status column holds
// `checking` meanwhile, which is what makes a second verify a 409) and hourly while pending,
// failing for good after 72 hours. Whether DNS "has" the records is the rule of
// email_common.h (everything but `.invalid` domains), and always for a domain in a DNS zone of
// the workspace, where the records are created (managed by the domain) when it is added.
// Sandbox recipients confirm themselves 5 sandbox seconds after being added (the owner
// "clicks the link"), except addresses whose local part starts with `unconfirmed`, which
// never do: the way to exercise a rejected sandbox message.
#include <set>

#include "email_common.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;
using namespace email;

constexpr std::int64_t kHourlyCheckSeconds = 3600;
constexpr std::int64_t kGiveUpSeconds = 72 * 3600;
constexpr std::int64_t kConfirmationSeconds = 5;
constexpr std::size_t kMaxRecipients = 10;
constexpr const char* kChecking = "checking";
// The status column of a recipient whose owner never clicks: out of the confirmation job's
// way, which only reads `pending_confirmation` rows.
constexpr const char* kNeverConfirms = "pending_forever";

bool neverConfirms(const std::string& address) { return localPartOf(address).rfind("unconfirmed", 0) == 0; }

// The records a domain must publish; the DKIM key is derived from the domain so that the
// same domain always gets the same records.
Json dnsRecords(const std::string& domain, const std::string& status) {
  auto record = [&](const char* purpose, const char* type, const std::string& name, const std::string& value) {
    return Json{{"purpose", purpose}, {"type", type}, {"name", name}, {"value", value}, {"status", status}};
  };
  return Json::array({
      record("spf", "TXT", domain, "v=spf1 include:spf.sandbox.tether.dev ~all"),
      record("dkim", "TXT", "tether._domainkey." + domain, "v=DKIM1; k=rsa; p=" + base64(sha256("dkim:" + domain))),
      record("return_path", "CNAME", "bounces." + domain, "feedback.sandbox.tether.dev"),
      record("dmarc", "TXT", "_dmarc." + domain, "v=DMARC1; p=none; rua=mailto:dmarc@" + domain),
  });
}

void setRecordStatus(Json& domain, const std::string& status) {
  for (Json& record : domain["dns_records"]) record["status"] = status;
}

struct Zone {
  std::string id;
  std::string name;
};

// The workspace's DNS zone holding the domain (kind "dns_zone": the domain itself or a
// parent of it), when there is one; the longest name wins.
std::optional<Zone> managedZone(storage::Connection& c, const Tenant& t, const std::string& domain) {
  std::optional<Zone> best;
  for (const Document& zone : all(c, t, "dns_zone")) {
    const std::string name = zone.body.value("name", "");
    const bool holds = name == domain || (domain.size() > name.size() + 1 &&
                                          domain.compare(domain.size() - name.size() - 1, std::string::npos,
                                                         "." + name) == 0);
    if (holds && (!best || name.size() > best->name.size())) best = Zone{zone.id, name};
  }
  return best;
}

// A fully qualified name relative to its zone, as DNS records name themselves (`@`: apex).
std::string relativeName(const std::string& fqdn, const std::string& zone) {
  return fqdn == zone ? "@" : fqdn.substr(0, fqdn.size() - zone.size() - 1);
}

// The domain's records as records of its zone, in the DNS handler's document shape, marked
// as managed by the email domain so that the DNS API refuses to change them.
void publishInZone(storage::Connection& c, const Tenant& t, const Zone& zone, const Json& records,
                   const std::string& now) {
  for (const Json& record : records) {
    Document d;
    d.id = newId("dnr_");
    d.kind = "dns_record";
    d.parent = zone.id;
    d.name = relativeName(record["name"].get<std::string>(), zone.name);
    d.createdAt = d.updatedAt = now;
    d.body = {{"id", d.id},          {"zone_id", zone.id},         {"type", record["type"]},
              {"name", *d.name},     {"value", record["value"]},   {"ttl", nullptr},
              {"priority", nullptr}, {"managed_by", "email_domain"}, {"created_at", now},
              {"updated_at", now}};
    documents::insert(c, t, d);
  }
}

// Removes what publishInZone() added (the zone may be gone by then: nothing to do).
void unpublishFromZone(storage::Connection& c, const Tenant& t, const Document& domain) {
  const Json& zoneId = domain.body["managed_zone_id"];
  if (!zoneId.is_string()) return;
  std::optional<Document> zone = documents::find(c, t, "dns_zone", zoneId.get<std::string>());
  if (!zone) return;
  const std::string zoneName = zone->body.value("name", "");
  std::set<std::string> names;
  for (const Json& record : domain.body["dns_records"]) {
    names.insert(relativeName(record["name"].get<std::string>(), zoneName));
  }
  for (const Document& record : all(c, t, "dns_record", zone->id)) {
    if (record.body["managed_by"] == "email_domain" && names.count(record.body.value("name", ""))) {
      documents::remove(c, t, "dns_record", record.id);
    }
  }
}

class EmailDomains final : public EmailDomainsHandler {
 public:
  explicit EmailDomains(const Services& services) : s_(services) {
    s_.ticker.add("email domain checks", [this] { checkDomains(); });
    s_.ticker.add("email sandbox recipient confirmations", [this] { confirmRecipients(); });
  }

  ListEmailDomainsResponse listEmailDomains(const ListEmailDomainsRequest& request, http::Context& context) override {
    ListQuery query = listQuery(request, kDomain);
    // The body's status, not the column: a domain being checked is still pending.
    if (request.status) query.bodyEquals.emplace_back("status", text(*request.status));
    Page page = s_.db.with([&](storage::Connection& c) { return documents::list(c, tenantOf(context), query); });
    return {reply<ListEmailDomainsResponse::Status200>(page.json())};
  }

  CreateEmailDomainResponse createEmailDomain(const CreateEmailDomainRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    const std::string now = s_.clock.nowText();
    const std::string domain = lower(request.body.domain);
    Document d;
    d.id = newId("edm_");
    d.kind = kDomain;
    d.name = d.uniqueName = domain;
    d.status = "pending_verification";
    d.createdAt = d.updatedAt = now;
    s_.db.transact([&](storage::Connection& c) {
      std::optional<Zone> zone = managedZone(c, t, domain);
      d.body = {{"id", d.id},
                {"domain", domain},
                {"status", "pending_verification"},
                {"dns_records", dnsRecords(domain, "pending")},
                {"managed_zone_id", zone ? Json(zone->id) : Json(nullptr)},
                {"verified_at", nullptr},
                {"last_checked_at", nullptr},
                {"created_at", now}};
      documents::insert(c, t, d);  // a domain already added: 409
      if (zone) publishInZone(c, t, *zone, d.body["dns_records"], now);
    });
    return {reply<CreateEmailDomainResponse::Status201>(d.body)};
  }

  GetEmailDomainResponse getEmailDomain(const GetEmailDomainRequest& request, http::Context& context) override {
    Document d = s_.db.with(
        [&](storage::Connection& c) { return documents::get(c, tenantOf(context), kDomain, request.email_domain_id); });
    return {reply<GetEmailDomainResponse::Status200>(d.body)};
  }

  DeleteEmailDomainResponse deleteEmailDomain(const DeleteEmailDomainRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, kDomain, request.email_domain_id);
      for (const Document& service : all(c, t, kService)) {
        if (domainOf(service.body.value("default_from", "")) == d.uniqueName) {
          conflict("The email service \"" + service.id + "\" sends from this domain by default; change its" +
                   " default_from first.");
        }
      }
      unpublishFromZone(c, t, d);
      documents::remove(c, t, kDomain, d.id);
    });
    return {DeleteEmailDomainResponse::Status204{}};
  }

  ListEmailDomainDnsRecordsResponse listEmailDomainDnsRecords(const ListEmailDomainDnsRecordsRequest& request,
                                                              http::Context& context) override {
    Document d = s_.db.with(
        [&](storage::Connection& c) { return documents::get(c, tenantOf(context), kDomain, request.email_domain_id); });
    // The records as rows of one timestamp, in their documented order, paged like any list.
    ListQuery query;
    query.kind = "email_dns_record";
    query.limit = request.limit.value_or(25);
    query.cursor = request.cursor;
    query.descending = false;
    std::vector<Document> rows;
    int position = 0;
    for (const Json& record : d.body["dns_records"]) {
      Document row;
      row.id = std::to_string(position++);
      row.kind = query.kind;
      row.createdAt = row.updatedAt = d.createdAt;
      row.body = record;
      rows.push_back(std::move(row));
    }
    Page page = documents::paginate(std::move(rows), query);
    return {reply<ListEmailDomainDnsRecordsResponse::Status200>(page.json())};
  }

  VerifyEmailDomainResponse verifyEmailDomain(const VerifyEmailDomainRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document d = s_.db.transact([&](storage::Connection& c) {
      Document domain = documents::get(c, t, kDomain, request.email_domain_id);
      // The claim is the 409: of two verifies at once, one finds the column already moved.
      if (domain.status == kChecking || !claim(c, t, domain.id, domain.status.value_or(""), kChecking)) {
        conflict("A DNS check of this domain is already running.");
      }
      domain.status = kChecking;
      if (domain.body["status"] == "failed") domain.body["status"] = "pending_verification";
      documents::update(c, t, domain);
      return domain;
    });
    return {reply<VerifyEmailDomainResponse::Status202>(d.body)};
  }

  ListSandboxRecipientsResponse listSandboxRecipients(const ListSandboxRecipientsRequest& request,
                                                      http::Context& context) override {
    ListQuery query = listQuery(request, kRecipient);
    // The body's status: the column of an owner who never clicks says so (see confirmRecipients).
    if (request.status) query.bodyEquals.emplace_back("status", text(*request.status));
    Page page = s_.db.with([&](storage::Connection& c) { return documents::list(c, tenantOf(context), query); });
    return {reply<ListSandboxRecipientsResponse::Status200>(page.json())};
  }

  CreateSandboxRecipientResponse createSandboxRecipient(const CreateSandboxRecipientRequest& request,
                                                        http::Context& context) override {
    const Tenant t = tenantOf(context);
    const std::string now = s_.clock.nowText();
    checkAddress("/email", request.body.email);
    Document d;
    d.id = newId("esr_");
    d.kind = kRecipient;
    d.name = d.uniqueName = lower(request.body.email);
    d.status = neverConfirms(request.body.email) ? kNeverConfirms : "pending_confirmation";
    d.createdAt = d.updatedAt = now;
    d.body = {{"id", d.id}, {"email", request.body.email}, {"status", "pending_confirmation"}, {"created_at", now}};
    s_.db.transact([&](storage::Connection& c) {
      if (all(c, t, kRecipient).size() >= kMaxRecipients) {
        conflict("A tenant has at most " + std::to_string(kMaxRecipients) + " sandbox recipients.");
      }
      documents::insert(c, t, d);  // the address already added: 409
    });
    return {reply<CreateSandboxRecipientResponse::Status201>(d.body)};
  }

  DeleteSandboxRecipientResponse deleteSandboxRecipient(const DeleteSandboxRecipientRequest& request,
                                                        http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      if (!documents::remove(c, t, kRecipient, request.sandbox_recipient_id)) {
        notFound("sandbox recipient \"" + request.sandbox_recipient_id + "\"");
      }
    });
    return {DeleteSandboxRecipientResponse::Status204{}};
  }

 private:
  // Requested checks first, then the hourly ones of pending domains.
  void checkDomains() {
    const std::string now = s_.clock.nowText();
    auto requested = s_.db.with([](storage::Connection& c) { return documents::byStatus(c, kDomain, kChecking, 100); });
    for (auto& [tenant, domain] : requested) runCheck(tenant, domain, kChecking, true, now);
    auto pending = s_.db.with(
        [](storage::Connection& c) { return documents::byStatus(c, kDomain, "pending_verification", 100); });
    for (auto& [tenant, domain] : pending) {
      const Json& last = domain.body["last_checked_at"];
      const std::string since = last.is_string() ? last.get<std::string>() : domain.createdAt;
      if (secondsBetween(since, now) >= kHourlyCheckSeconds) {
        runCheck(tenant, domain, "pending_verification", false, now);
      }
    }
  }

  // One DNS check: verified when the records are there; otherwise the records are marked
  // failed and the domain fails when it was verified or has been pending for 72 hours.
  // Requested checks always report their result as an event; hourly ones only changes.
  void runCheck(const Tenant& t, Document domain, const std::string& claimedStatus, bool requested,
                const std::string& now) {
    s_.db.transact([&](storage::Connection& c) {
      if (!claim(c, t, domain.id, claimedStatus, "checked")) return;  // another replica has it
      const std::string before = domain.body["status"].get<std::string>();
      const bool found = recordsPublished(domain.uniqueName.value_or("")) || domain.body["managed_zone_id"].is_string();
      setRecordStatus(domain.body, found ? "verified" : "failed");
      std::string after = before;
      if (found) {
        after = "verified";
        domain.body["verified_at"] = now;
      } else if (before == "verified" || (!requested && secondsBetween(domain.createdAt, now) >= kGiveUpSeconds)) {
        // Giving up is the hourly check's call: a requested check (after a failure, say)
        // leaves the domain pending until the next hourly one.
        after = "failed";
      }
      domain.body["status"] = after;
      domain.body["last_checked_at"] = now;
      domain.status = after;
      domain.updatedAt = now;
      documents::update(c, t, domain);
      if (requested || after != before) {
        const Json previous = after != before ? Json{{"status", before}} : Json(nullptr);
        s_.emit(c, t, found ? "email.domain.verified" : "email.domain.verification_failed",
                eventData(domain.body, previous));
      }
    });
  }

  void confirmRecipients() {
    const std::string now = s_.clock.nowText();
    auto pending = s_.db.with(
        [](storage::Connection& c) { return documents::byStatus(c, kRecipient, "pending_confirmation", 100); });
    for (auto& [tenant, recipient] : pending) {
      if (secondsBetween(recipient.createdAt, now) < kConfirmationSeconds) continue;
      s_.db.transact([&](storage::Connection& c) {
        if (!claim(c, tenant, recipient.id, "pending_confirmation", "confirmed")) return;
        recipient.status = "confirmed";
        recipient.body["status"] = "confirmed";
        recipient.updatedAt = now;
        documents::update(c, tenant, recipient);
      });
    }
  }

  const Services& s_;
};

}  // namespace

std::unique_ptr<EmailDomainsHandler> makeEmailDomainsHandler(const Services& services) {
  return std::make_unique<EmailDomains>(services);
}

}  // namespace tether::sandbox
