// Internal: the two back ends' factories and the helpers they share.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "tether/sandbox/storage.h"

namespace tether::sandbox::storage::detail {

std::unique_ptr<Connection> open_sqlite(const std::string& path, const Options& options);
std::unique_ptr<Connection> open_postgres(const std::string& url, const Options& options);

// Rewrites "$N" placeholders to "?N", leaving string literals, quoted identifiers and
// comments alone (a '$' inside 'text' is data).
std::string dollar_to_question(std::string_view sql);

}  // namespace tether::sandbox::storage::detail
