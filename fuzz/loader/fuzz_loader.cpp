// Feeds arbitrary bytes to the loader as YAML and as JSON, then runs every later stage
// on whatever loads: nothing may crash, hang or leak, whatever the input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tether/bundle/bundler.h"
#include "tether/check/checker.h"
#include "tether/ir/builder.h"
#include "tether/load/loader.h"

namespace {

void exercise(std::string_view text, const char* name) {
  tether::load::LoadOptions options;
  // Keep the alias budget small so each run stays fast; the limit itself is under test.
  options.limits.maxAliasNodes = 20000;
  tether::load::LoadedSpec spec = tether::load::loadSpecText(text, name, options);
  if (spec.root() == nullptr) return;
  tether::check::checkSpec(spec);
  tether::ir::Api api = tether::ir::build(spec);
  (void)tether::ir::toJson(api).dump();
  nlohmann::ordered_json bundled = tether::bundle::bundle(spec);
  (void)tether::bundle::toYamlText(bundled);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // Relative $refs resolve against a folder that does not exist, so no real file is read.
  exercise(text, "/nonexistent-fuzz-root/spec.yaml");
  exercise(text, "/nonexistent-fuzz-root/spec.json");
  return 0;
}
