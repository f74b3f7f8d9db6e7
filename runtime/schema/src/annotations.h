// See tether/schema/annotations.h.
#pragma once

#include "tether/schema/annotations.h"

namespace tether::schema::detail {
using tether::schema::Annotations;
}  // namespace tether::schema::detail
