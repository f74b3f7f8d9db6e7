// DNS (tag "DNS"): zones (documents of kind "dns_zone"; a zone name exists once across
// workspaces, like at a real provider) and their records (kind "dns_record", parent = the
// zone). A new zone gets the platform's NS records and waits in `pending_delegation`.
// Record values are checked per type where the schema cannot (A is IPv4, MX needs a
// priority...), and a CNAME shares its name with no other record (RFC 1034). Deleting a
// zone deletes its records, unless the platform manages some of them (409).
#include <arpa/inet.h>

#include <chrono>
#include <regex>

#include "common.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;

const std::vector<std::string> kNameServers = {"ns1.cloud.example", "ns2.cloud.example"};

bool zoneNameTaken(storage::Connection& c, const Tenant& t, const std::string& name) {
  auto q = c.prepare("SELECT 1 FROM resources WHERE kind = 'dns_zone' AND mode = $1 AND unique_name = $2");
  q->bind_text(1, t.mode).bind_text(2, name);
  return q->step();
}

bool isHostname(const std::string& value) {
  static const std::regex host(
      "^(([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)\\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.?$");
  return value.size() <= 253 && std::regex_match(value, host);
}

bool isAddress(int family, const std::string& value) {
  unsigned char buffer[16];
  return inet_pton(family, value.c_str(), buffer) == 1;
}

// 422 with a pointer when `value` (and `priority`) do not fit the record type.
void checkRecord(const std::string& type, const std::string& value, const Json& priority) {
  const bool wantsPriority = type == "MX" || type == "SRV";
  if (wantsPriority && !priority.is_number_integer()) invalid("/priority", type + " records need a priority.");
  if (!wantsPriority && !priority.is_null()) invalid("/priority", "Only MX and SRV records have a priority.");
  if (type == "A" && !isAddress(AF_INET, value)) invalid("/value", "An A record's value is an IPv4 address.");
  if (type == "AAAA" && !isAddress(AF_INET6, value)) invalid("/value", "An AAAA record's value is an IPv6 address.");
  if ((type == "CNAME" || type == "NS" || type == "MX") && !isHostname(value)) {
    invalid("/value", "A " + type + " record's value is a host name.");
  }
  if (type == "SRV") {
    static const std::regex srv("^([0-9]{1,5}) ([0-9]{1,5}) (\\S+)$");
    std::smatch m;
    if (!std::regex_match(value, m, srv) || std::stol(m[1]) > 65535 || std::stol(m[2]) > 65535 ||
        !isHostname(m[3])) {
      invalid("/value", "An SRV record's value is \"<weight> <port> <target>\".");
    }
  }
  if (type == "CAA") {
    static const std::regex caa("^([0-9]{1,3}) (issue|issuewild|iodef) \"[^\"]*\"$");
    std::smatch m;
    if (!std::regex_match(value, m, caa) || std::stoi(m[1]) > 255) {
      invalid("/value", "A CAA record's value is '<flags> <issue|issuewild|iodef> \"<value>\"'.");
    }
  }
  if (type == "TXT") {
    for (unsigned char ch : value) {
      if (ch < 0x20 || ch == 0x7f) invalid("/value", "A TXT record's value is printable text.");
    }
  }
}

// Every record of a zone (few: a zone holds hundreds at most).
std::vector<Document> recordsOf(storage::Connection& c, const Tenant& t, const std::string& zoneId) {
  std::vector<Document> out;
  ListQuery query;
  query.kind = "dns_record";
  query.parent = zoneId;
  query.limit = 100;
  for (;;) {
    Page page = documents::list(c, t, query);
    for (Document& d : page.items) out.push_back(std::move(d));
    if (!page.hasMore || !page.nextCursor) return out;
    query.cursor = page.nextCursor;
  }
}

// A CNAME is alone at its name: 409 when adding would break that.
void checkCnameExclusive(storage::Connection& c, const Tenant& t, const std::string& zoneId, const std::string& type,
                         const std::string& name) {
  for (const Document& other : recordsOf(c, t, zoneId)) {
    if (other.body["name"] != name) continue;
    if (type == "CNAME" || other.body["type"] == "CNAME") {
      conflict("A CNAME record cannot share the name \"" + name + "\" with other records.");
    }
  }
}

Document newRecord(const std::string& zoneId, const std::string& type, const std::string& name,
                   const std::string& value, const Json& ttl, const Json& priority, const std::string& now) {
  Document d;
  d.id = newId("dnr_");
  d.kind = "dns_record";
  d.parent = zoneId;
  d.name = name;
  d.createdAt = d.updatedAt = now;
  d.body = {{"id", d.id},   {"zone_id", zoneId},     {"type", type},         {"name", name},
            {"value", value}, {"ttl", ttl},            {"priority", priority}, {"managed_by", nullptr},
            {"created_at", now}, {"updated_at", now}};
  return d;
}

// The sandbox has no registrar to look at: a zone counts as delegated at the first check,
// which the platform runs every 10 minutes (sandbox time).
constexpr std::chrono::seconds kDelegationCheck{600};

class Dns final : public DnsHandler {
 public:
  explicit Dns(const Services& services) : s_(services) {
    s_.ticker.add("dns delegation", [this] { checkDelegations(); });
  }

  ListDnsZonesResponse listDnsZones(const ListDnsZonesRequest& request, http::Context& context) override {
    ListQuery query = listQuery(request, "dns_zone");
    if (request.status) query.status = text(*request.status);
    const Tenant t = tenantOf(context);
    Json page = s_.db.with([&](storage::Connection& c) {
      Json out = documents::list(c, t, query).json();
      for (Json& zone : out["data"]) withCount(c, t, zone);
      return out;
    });
    return {reply<ListDnsZonesResponse::Status200>(page)};
  }

  CreateDnsZoneResponse createDnsZone(const CreateDnsZoneRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    const Json in = toJson(request.body);
    const std::string now = s_.clock.nowText(), name = in["name"].get<std::string>();
    Document zone;
    zone.id = newId("dnz_");
    zone.kind = "dns_zone";
    zone.name = zone.uniqueName = name;
    zone.status = "pending_delegation";
    zone.createdAt = zone.updatedAt = now;
    zone.body = {{"id", zone.id},         {"name", name},
                 {"status", "pending_delegation"}, {"name_servers", kNameServers},
                 {"default_ttl", in.value("default_ttl", std::int64_t{3600})},
                 {"record_count", 0},     {"created_at", now},
                 {"updated_at", now}};
    Json created = s_.db.transact([&](storage::Connection& c) {
      if (zoneNameTaken(c, t, name)) conflict("The zone \"" + name + "\" exists already.");
      documents::insert(c, t, zone);
      // The apex NS records point at the platform's name servers.
      for (const std::string& server : kNameServers) {
        documents::insert(c, t, newRecord(zone.id, "NS", "@", server, nullptr, nullptr, now));
      }
      Json body = zone.body;
      withCount(c, t, body);
      return body;
    });
    return {reply<CreateDnsZoneResponse::Status201>(created)};
  }

  GetDnsZoneResponse getDnsZone(const GetDnsZoneRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Json zone = s_.db.with([&](storage::Connection& c) {
      Json body = documents::get(c, t, "dns_zone", text(request.dns_zone_id)).body;
      withCount(c, t, body);
      return body;
    });
    return {reply<GetDnsZoneResponse::Status200>(zone)};
  }

  UpdateDnsZoneResponse updateDnsZone(const UpdateDnsZoneRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Json updated = s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, "dns_zone", text(request.dns_zone_id));
      d.body["default_ttl"] = request.body.default_ttl;
      d.updatedAt = s_.clock.nowText();
      d.body["updated_at"] = d.updatedAt;
      documents::update(c, t, d);
      withCount(c, t, d.body);
      return d.body;
    });
    return {reply<UpdateDnsZoneResponse::Status200>(updated)};
  }

  DeleteDnsZoneResponse deleteDnsZone(const DeleteDnsZoneRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, "dns_zone", text(request.dns_zone_id));
      for (const Document& record : recordsOf(c, t, d.id)) {
        if (!record.body["managed_by"].is_null()) {
          conflict("The zone has records managed by the platform (" + record.body["managed_by"].get<std::string>() +
                   "); remove that first.");
        }
      }
      documents::remove(c, t, "dns_zone", d.id);  // and its records, which are its children
    });
    return {DeleteDnsZoneResponse::Status204{}};
  }

  ListDnsRecordsResponse listDnsRecords(const ListDnsRecordsRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    ListQuery query = listQuery(request, "dns_record");
    query.parent = text(request.dns_zone_id);
    if (request.type) query.bodyEquals.emplace_back("type", text(*request.type));
    Page page = s_.db.with([&](storage::Connection& c) {
      documents::get(c, t, "dns_zone", *query.parent);  // 404 for a missing or foreign zone
      return documents::list(c, t, query);
    });
    return {reply<ListDnsRecordsResponse::Status200>(page.json())};
  }

  CreateDnsRecordResponse createDnsRecord(const CreateDnsRecordRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    const Json in = toJson(request.body);
    const std::string type = in["type"].get<std::string>(), name = in["name"].get<std::string>();
    const std::string value = in["value"].get<std::string>();
    const Json priority = in.value("priority", Json(nullptr));
    checkRecord(type, value, priority);
    Json created = s_.db.transact([&](storage::Connection& c) {
      Document zone = documents::get(c, t, "dns_zone", text(request.dns_zone_id));
      checkCnameExclusive(c, t, zone.id, type, name);
      Document d = newRecord(zone.id, type, name, value, in.value("ttl", Json(nullptr)), priority, s_.clock.nowText());
      documents::insert(c, t, d);
      return d.body;
    });
    return {reply<CreateDnsRecordResponse::Status201>(created)};
  }

  GetDnsRecordResponse getDnsRecord(const GetDnsRecordRequest& request, http::Context& context) override {
    Document d = s_.db.with([&](storage::Connection& c) {
      return documents::get(c, tenantOf(context), "dns_record", text(request.dns_record_id));
    });
    return {reply<GetDnsRecordResponse::Status200>(d.body)};
  }

  UpdateDnsRecordResponse updateDnsRecord(const UpdateDnsRecordRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    const Json patch = toJson(request.body);
    Json updated = s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, "dns_record", text(request.dns_record_id));
      refuseManaged(d);
      mergePatch(d.body, patch);
      checkRecord(d.body["type"].get<std::string>(), d.body["value"].get<std::string>(), d.body["priority"]);
      d.updatedAt = s_.clock.nowText();
      d.body["updated_at"] = d.updatedAt;
      documents::update(c, t, d);
      return d.body;
    });
    return {reply<UpdateDnsRecordResponse::Status200>(updated)};
  }

  DeleteDnsRecordResponse deleteDnsRecord(const DeleteDnsRecordRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, "dns_record", text(request.dns_record_id));
      refuseManaged(d);
      documents::remove(c, t, "dns_record", d.id);
    });
    return {DeleteDnsRecordResponse::Status204{}};
  }

 private:
  // record_count is counted when read, so it never drifts from the records.
  static void withCount(storage::Connection& c, const Tenant& t, Json& zone) {
    zone["record_count"] = documents::countChildren(c, t, "dns_record", zone["id"].get<std::string>());
  }

  // pending_delegation → active for the zones whose check has come.
  void checkDelegations() const {
    auto pending = s_.db.with(
        [&](storage::Connection& c) { return documents::byStatus(c, "dns_zone", "pending_delegation", 100); });
    const auto now = s_.clock.now();
    for (auto& [tenant, zone] : pending) {
      Clock::time_point since;
      if (!Clock::parse(zone.updatedAt, since)) continue;
      if (since + kDelegationCheck > now) break;  // oldest first: the rest are not due
      const std::string stamp = s_.clock.nowText();
      zone.body["status"] = "active";
      zone.body["updated_at"] = stamp;
      s_.db.transact([&](storage::Connection& c) {
        // Conditional, as another replica may be checking too and a PATCH may have come since.
        auto q = c.prepare(
            "UPDATE resources SET status = 'active', body = $1, updated_at = $2 WHERE id = $3"
            " AND status = 'pending_delegation' AND updated_at = $4");
        q->bind_text(1, zone.body.dump()).bind_text(2, stamp).bind_text(3, zone.id).bind_text(4, zone.updatedAt);
        q->run();
      });
    }
  }

  static void refuseManaged(const Document& record) {
    if (!record.body["managed_by"].is_null()) {
      conflict("The record is managed by the platform (" + record.body["managed_by"].get<std::string>() +
               "); it cannot be changed here.");
    }
  }

  const Services& s_;
};

}  // namespace

std::unique_ptr<DnsHandler> makeDnsHandler(const Services& services) { return std::make_unique<Dns>(services); }

}  // namespace tether::sandbox
