// The plan catalogue (what GET /v1/billing/plan shows) and the workspace's plan: one table,
// which billing shows and compute, the data stores and storage enforce.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common.h"

namespace tether::sandbox {

// The limits in the order the plan's `limits` object lists them.
inline constexpr const char* kPlanLimitNames[9] = {"projects",      "services",       "instances",
                                                   "databases",     "redis",          "buckets",
                                                   "storage_bytes", "emails_per_day", "members"};

struct Plan {
  const char* name;
  std::int64_t monthlyFeeCents;
  std::int64_t values[9];  // in kPlanLimitNames order; -1 for unlimited
  std::vector<std::string> features;

  // The limit of that name (one of kPlanLimitNames); -1 for unlimited.
  std::int64_t limit(std::string_view limitName) const;
};

// The plan of that name; `free` for a name the catalogue lacks.
const Plan& planNamed(const std::string& name);
// The workspace's plan name (free, pro, business, enterprise).
std::string planOf(storage::Connection& c, const Tenant& t);

}  // namespace tether::sandbox
