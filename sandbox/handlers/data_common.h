// What the data-store handlers (databases, Redis, storage, DNS) share beyond common.h.
#pragma once

#include "common.h"

namespace tether::sandbox::data {

// An event's payload as the Event schema has it: the resource as GET returns it after the
// change, and for status changes the previous values of what changed.
inline Json change(const Json& object, const Json& previousAttributes = nullptr) {
  return {{"object", object}, {"previous_attributes", previousAttributes}};
}

}  // namespace tether::sandbox::data
