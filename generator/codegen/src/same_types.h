// Which inline schemas are the same as an earlier one. Real specs repeat inline schemas
// (GitHub's describes a user object inline hundreds of times, Stripe repeats its address
// objects and currency enums): declaring each distinct one once made GitHub Enterprise's
// models a quarter of their size.
#pragma once

#include <vector>

#include "tether/ir/model.h"

namespace tether::codegen {

// For each type, the first type (by id) of those `mergeable` marks that declares the same
// C++ type: the same kind, members (names, requiredness, nullability, comments, defaults),
// enum values, alternatives and discriminator, down to the types they use, compared as
// graphs so that recursive schemas compare too. A type that is not mergeable (a named
// schema keeps its own declaration) maps to itself. Type-level descriptions do not count:
// each alias keeps its own comment.
std::vector<ir::TypeId> sameTypes(const ir::Api& api, const std::vector<bool>& mergeable);

}  // namespace tether::codegen
