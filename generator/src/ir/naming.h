// Gives every IR element its C++ identifier, through the naming policy of tether::naming.
#pragma once

#include "tether/ir/model.h"

namespace tether::ir {

void assignNames(Api& api);

}  // namespace tether::ir
