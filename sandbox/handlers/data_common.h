// What the data-store handlers (databases, Redis, storage, DNS) share beyond common.h.
#pragma once

#include "common.h"
#include "plans.h"

namespace tether::sandbox::data {

}  // namespace tether::sandbox::data
