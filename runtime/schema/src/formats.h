// Validators for the `format` values JSON Schema defines (format-assertion mode).
#pragma once

#include <optional>
#include <string_view>

#include "tether/schema/program.h"

namespace tether::schema::detail {

std::optional<Format> formatFromName(std::string_view name);
const char* formatName(Format format);

// True when `value` is valid for `format`.
bool checkFormat(Format format, std::string_view value);

// Draft 7 content assertions: base64 decoding (RFC 4648) and/or a JSON parse.
bool checkContent(bool base64, bool json, std::string_view value);

}  // namespace tether::schema::detail
