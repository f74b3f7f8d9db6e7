// Host names: RFC 1123 (hostname) and IDNA2008 (idn-hostname): Punycode (RFC 3492), the
// contextual rules of RFC 5892 and the Bidi rule of RFC 5893. Unicode properties come from
// PCRE2's Unicode tables rather than from a table of our own.
#pragma once

#include <string>
#include <string_view>

namespace tether::schema::detail {

bool checkHostname(std::string_view host);
bool checkIdnHostname(std::string_view host);

// RFC 3492. Return false on malformed input / overflow.
bool punycodeDecode(std::string_view input, std::u32string& output);
bool punycodeEncode(const std::u32string& input, std::string& output);

}  // namespace tether::schema::detail
