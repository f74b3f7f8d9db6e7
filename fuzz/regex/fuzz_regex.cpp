// libFuzzer target: input = "<pattern>\n<subject>". Translates the pattern as ECMA-262 and
// as another engine's dialect (Regex::fromForeignDialect), compiles what comes out and
// searches the subject. Nothing may crash, hang or leak (the match limit bounds a pattern
// that backtracks badly).
//
//   cmake --preset fuzz && cmake --build build/fuzz --target fuzz_regex
//   ./build/fuzz/fuzz/regex/fuzz_regex fuzz/regex/corpus -max_total_time=60
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tether/schema/regex.h"

using tether::schema::Regex;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t newline = input.find('\n');
  std::string_view pattern = input.substr(0, newline);
  std::string_view subject = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  std::string error;
  if (auto strict = Regex::compile(pattern, error)) (void)strict->search(subject);
  (void)Regex::withoutIdentityEscapes(pattern);
  if (std::optional<std::string> rewritten = Regex::fromForeignDialect(pattern)) {
    if (auto compiled = Regex::compile(*rewritten, error)) (void)compiled->search(subject);
  }
  return 0;
}
