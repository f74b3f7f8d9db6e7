// Random identifiers for outgoing requests.
#pragma once

#include <string>

namespace tether::client::detail {

// A random (version 4) UUID in its canonical lowercase form.
std::string uuidV4();

}  // namespace tether::client::detail
