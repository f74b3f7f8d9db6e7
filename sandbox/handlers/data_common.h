// What the data-store handlers (databases, Redis, storage, DNS) share beyond common.h.
#pragma once

#include "common.h"

namespace tether::sandbox::data {

// An event's payload as the Event schema has it: the resource as GET returns it after the
// change, and for status changes the previous values of what changed.
inline Json change(const Json& object, const Json& previousAttributes = nullptr) {
  return {{"object", object}, {"previous_attributes", previousAttributes}};
}

// The workspace's plan (free, pro, business, enterprise): plans cap how many databases,
// Redis instances and buckets a workspace has.
inline std::string planOf(storage::Connection& c, const Tenant& t) {
  auto q = c.prepare("SELECT plan FROM workspaces WHERE id = $1");
  q->bind_text(1, t.workspace);
  return q->step() ? q->text(0) : "free";
}

}  // namespace tether::sandbox::data
