#include "plans.h"

namespace tether::sandbox {

namespace {
constexpr std::int64_t kGiB = std::int64_t{1} << 30;
}  // namespace

std::int64_t Plan::limit(std::string_view limitName) const {
  for (std::size_t i = 0; i < 9; ++i) {
    if (limitName == kPlanLimitNames[i]) return values[i];
  }
  return -1;
}

const Plan& planNamed(const std::string& name) {
  static const std::vector<Plan> plans = {
      {"free", 0, {3, 5, 2, 1, 1, 2, 1 * kGiB, 100, 3}, {"services", "databases", "redis", "storage", "email"}},
      {"pro",
       2000,
       {20, 50, 20, 10, 10, 20, 100 * kGiB, 10000, 20},
       {"services", "databases", "redis", "storage", "email", "custom_domains", "autoscaling", "audit_log"}},
      {"business",
       10000,
       {100, 500, 200, 50, 50, 100, 1024 * kGiB, 100000, 100},
       {"services", "databases", "redis", "storage", "email", "custom_domains", "autoscaling", "audit_log",
        "high_availability", "ip_allowlists"}},
      {"enterprise",
       50000,
       {-1, -1, -1, -1, -1, -1, -1, -1, -1},
       {"services", "databases", "redis", "storage", "email", "custom_domains", "autoscaling", "audit_log",
        "high_availability", "ip_allowlists", "sso", "dedicated_support"}},
  };
  for (const Plan& plan : plans) {
    if (name == plan.name) return plan;
  }
  return plans.front();
}

std::string planOf(storage::Connection& c, const Tenant& t) {
  auto q = c.prepare("SELECT plan FROM workspaces WHERE id = $1");
  q->bind_text(1, t.workspace);
  return q->step() ? q->text(0) : "free";
}

}  // namespace tether::sandbox
