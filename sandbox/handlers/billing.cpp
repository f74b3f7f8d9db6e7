// Billing (tag "Billing"): usage computed from the documents store (each billable resource
// accrues its hourly rate from its creation, or the period's start, to now), the plan of
// the workspace with its limits and the counts against them, and invoices: a deterministic
// history of finalized months (derived from the workspace id, so every call and every
// replica agrees) before the current period's draft, which is the live usage.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "identity_common.h"
#include "plans.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;
using namespace std::chrono;

constexpr int kFinalizedMonths = 3;   // invoices before the current period
constexpr double kTaxRate = 0.2;

// A billable kind of document and what one hour of it costs.
struct Product {
  const char* kind;          // document kind
  const char* resourceType;  // UsageItem.resource_type
  const char* unit;
  double centsPerHour;
};
constexpr Product kProducts[] = {
    {"service", "services", "service_hours", 1.0},       {"instance", "instances", "instance_hours", 2.0},
    {"database", "databases", "database_hours", 3.0},    {"redis", "redis", "redis_hours", 2.0},
    {"bucket", "storage", "bucket_hours", 0.5},
};

// The first instant of the month `offset` months from the one holding `t` (UTC).
Clock::time_point monthStart(Clock::time_point t, int offset) {
  const year_month_day date{floor<days>(t)};
  const year_month target = year_month{date.year(), date.month()} + months{offset};
  return sys_days{target / 1};
}

double round2(double value) { return std::round(value * 100.0) / 100.0; }

// One line per billable resource of the tenant, accrued from max(created, period start).
std::vector<Json> usageItems(storage::Connection& c, const Tenant& t, Clock::time_point periodStart,
                             Clock::time_point now, const std::optional<std::string>& project) {
  std::vector<Json> items;
  for (const Product& product : kProducts) {
    for (const Document& d : identity::allOf(c, t, product.kind)) {
      if (project && d.body.value("project_id", Json()) != Json(*project)) continue;
      Clock::time_point created{};
      if (!Clock::parse(d.createdAt, created)) continue;
      const Clock::time_point from = std::max(created, periodStart);
      const double accrued = now > from ? duration<double>(now - from).count() / 3600.0 : 0.0;
      items.push_back({{"resource_type", product.resourceType},
                       {"resource_id", d.id},
                       {"resource_name", d.body.value("name", Json(d.name ? Json(*d.name) : Json()))},
                       {"quantity", round2(accrued)},
                       {"unit", product.unit},
                       {"amount_cents", static_cast<std::int64_t>(std::llround(accrued * product.centsPerHour))}});
    }
  }
  // Most expensive first; ties by id so the order is stable.
  std::sort(items.begin(), items.end(), [](const Json& a, const Json& b) {
    if (a["amount_cents"] != b["amount_cents"]) return a["amount_cents"] > b["amount_cents"];
    return a["resource_id"].get<std::string>() < b["resource_id"].get<std::string>();
  });
  return items;
}

std::int64_t totalOf(const std::vector<Json>& lines) {
  std::int64_t total = 0;
  for (const Json& line : lines) total += line["amount_cents"].get<std::int64_t>();
  return total;
}

class Billing final : public BillingHandler {
 public:
  explicit Billing(const Services& services) : s_(services) {}

  GetUsageResponse getUsage(const GetUsageRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    const Clock::time_point now = s_.clock.now(), periodStart = monthStart(now, 0);
    Json usage = s_.db.with([&](storage::Connection& c) {
      // The operation documents no 404: an unknown project is a bad query parameter.
      if (request.project_id && !documents::find(c, t, "project", *request.project_id)) {
        badRequest("The query parameter \"project_id\" names no project of the workspace.");
      }
      std::vector<Json> items = usageItems(c, t, periodStart, now, request.project_id);
      if (request.resource_type) {
        const std::string type = text(*request.resource_type);
        std::erase_if(items, [&](const Json& item) { return item["resource_type"] != type; });
      }
      return Json{{"period_start", Clock::format(periodStart)},
                  {"period_end", Clock::format(monthStart(now, 1))},
                  {"currency", "USD"},
                  {"items", items},
                  {"total_cents", totalOf(items)},
                  {"updated_at", Clock::format(floor<hours>(now))}};  // aggregated hourly
    });
    return {reply<GetUsageResponse::Status200>(usage)};
  }

  GetPlanLimitsResponse getPlanLimits(const GetPlanLimitsRequest&, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Json plan = s_.db.with([&](storage::Connection& c) {
      const Plan& limits = planNamed(planOf(c, t));
      const std::int64_t counts[9] = {count(c, t, "project"),  count(c, t, "service"), count(c, t, "instance"),
                                      count(c, t, "database"), count(c, t, "redis"),   count(c, t, "bucket"),
                                      storedBytes(c, t),       emailsToday(c, t),      members(c, t)};
      Json limitJson = Json::object(), usageJson = Json::object();
      for (int i = 0; i < 9; ++i) {
        limitJson[kPlanLimitNames[i]] = limits.values[i] < 0 ? Json(nullptr) : Json(limits.values[i]);
        usageJson[kPlanLimitNames[i]] = counts[i];
      }
      const int requests = s_.config.rateLimit, window = s_.config.rateWindowSeconds;
      return Json{{"plan", limits.name},
                  {"rate_limit",
                   {{"requests", requests},
                    {"window_seconds", window},
                    {"policy", "\"default\";q=" + std::to_string(requests) + ";w=" + std::to_string(window)}}},
                  {"limits", limitJson},
                  {"usage", usageJson},
                  {"features", limits.features}};
    });
    return {reply<GetPlanLimitsResponse::Status200>(plan)};
  }

  ListInvoicesResponse listInvoices(const ListInvoicesRequest& request, http::Context& context) override {
    ListQuery query = listQuery(request, "invoice");
    if (request.status) query.status = text(*request.status);
    const Tenant t = tenantOf(context);
    Page page = s_.db.with([&](storage::Connection& c) { return documents::paginate(invoices(c, t), query); });
    return {reply<ListInvoicesResponse::Status200>(page.json())};
  }

  GetInvoiceResponse getInvoice(const GetInvoiceRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Json invoice = s_.db.with([&](storage::Connection& c) {
      for (const Document& d : invoices(c, t)) {
        if (d.id == request.invoice_id) return d.body;
      }
      notFound("invoice \"" + request.invoice_id + "\"");
    });
    return {reply<GetInvoiceResponse::Status200>(invoice)};
  }

 private:
  static std::int64_t count(storage::Connection& c, const Tenant& t, const std::string& kind) {
    return static_cast<std::int64_t>(identity::allOf(c, t, kind).size());
  }
  static std::int64_t storedBytes(storage::Connection& c, const Tenant& t) {
    std::int64_t bytes = 0;
    for (const Document& d : identity::allOf(c, t, "bucket")) {
      const Json size = d.body.value("size_bytes", Json(0));
      if (size.is_number_integer()) bytes += size.get<std::int64_t>();
    }
    return bytes;
  }
  std::int64_t emailsToday(storage::Connection& c, const Tenant& t) const {
    const std::string today = Clock::format(floor<days>(s_.clock.now()));
    std::int64_t sent = 0;
    for (const Document& d : identity::allOf(c, t, "email")) sent += d.createdAt >= today ? 1 : 0;
    return sent;
  }
  // Members and pending invitations: both take a seat.
  static std::int64_t members(storage::Connection& c, const Tenant& t) {
    std::int64_t seats = 0;
    for (const Document& m : identity::allOf(c, identity::membersTenant(t.workspace, t), "member", t.workspace)) {
      seats += m.status.value_or("") != "expired" ? 1 : 0;
    }
    return seats;
  }

  // The current period's draft (live usage) and the finalized months before it: the last
  // one open, older ones paid. Finalized amounts are derived from the workspace, mode and
  // month, so they never change.
  std::vector<Document> invoices(storage::Connection& c, const Tenant& t) const {
    const Clock::time_point now = s_.clock.now();
    const Plan& limits = planNamed(planOf(c, t));
    std::vector<Document> out;
    for (int offset = 0; offset >= -kFinalizedMonths; --offset) {
      const Clock::time_point start = monthStart(now, offset), end = monthStart(now, offset + 1);
      const std::string seed = t.workspace + "/" + t.mode + "/" + Clock::format(start);
      std::vector<Json> lines = {{{"description", std::string(limits.name) + " plan"},
                                  {"resource_type", "plan"},
                                  {"quantity", 1},
                                  {"unit", "month"},
                                  {"amount_cents", limits.monthlyFeeCents}}};
      if (offset == 0) {
        for (const Json& item : usageItems(c, t, start, now, std::nullopt)) lines.push_back(usageLine(item));
      } else {
        lines.push_back(generatedLine(seed));
      }
      const std::string status = offset == 0 ? "draft" : offset == -1 ? "open" : "paid";
      out.push_back(invoiceDocument(seed, start, end, status, lines));
    }
    return out;
  }

  static Json usageLine(const Json& item) {
    return {{"description", item["resource_type"].get<std::string>() + " " + item["resource_name"].dump()},
            {"resource_type", item["resource_type"]},
            {"quantity", item["quantity"]},
            {"unit", item["unit"]},
            {"amount_cents", item["amount_cents"]}};
  }

  static Json generatedLine(const std::string& seed) {
    const double serviceHours = std::round(identity::unitHash(seed + "/services") * 72000.0) / 100.0;
    return {{"description", "Service hours"},
            {"resource_type", "services"},
            {"quantity", serviceHours},
            {"unit", "service_hours"},
            {"amount_cents", static_cast<std::int64_t>(std::llround(serviceHours))}};
  }

  static Document invoiceDocument(const std::string& seed, Clock::time_point start, Clock::time_point end,
                                  const std::string& status, const std::vector<Json>& lines) {
    const year_month_day date{floor<days>(start)};
    char number[32];
    std::snprintf(number, sizeof number, "SBX-%04d-%04u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()));
    const std::int64_t subtotal = totalOf(lines);
    const std::int64_t tax = std::llround(static_cast<double>(subtotal) * kTaxRate);
    Document d;
    d.id = identity::stableId("inv_", seed);
    d.kind = "invoice";
    d.status = status;
    // The draft is made when its period opens; a finalized invoice in the last second of
    // its period, so it sorts before the draft of the next period that opens at its end.
    d.createdAt = d.updatedAt = Clock::format(status == "draft" ? start : end - std::chrono::seconds(1));
    d.name = number;
    d.body = {{"id", d.id},
              {"number", number},
              {"status", status},
              {"currency", "USD"},
              {"period_start", Clock::format(start)},
              {"period_end", Clock::format(end)},
              {"lines", lines},
              {"subtotal_cents", subtotal},
              {"tax_cents", tax},
              {"total_cents", subtotal + tax},
              {"pdf_url", status == "draft" ? Json(nullptr) : Json("https://sandbox.invalid/invoices/" + d.id + ".pdf")},
              {"created_at", d.createdAt}};
    return d;
  }

  const Services& s_;
};

}  // namespace

std::unique_ptr<BillingHandler> makeBillingHandler(const Services& services) {
  return std::make_unique<Billing>(services);
}

}  // namespace tether::sandbox
