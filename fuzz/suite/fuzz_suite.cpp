// Suite files are parsed, then every step's request is substituted and built: no input
// may crash, hang or throw anything but SuiteError.
#include <cstddef>
#include <cstdint>
#include <string>

#include "tether/conformance/suite.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    tether::conformance::Case c = tether::conformance::parseSuite(text, "fuzz.yaml");
    for (const auto* steps : {&c.setup, &c.steps, &c.teardown}) {
      for (const auto& step : *steps) {
        try {
          auto request = tether::conformance::substitute(step.request, c.variables);
          (void)tether::conformance::buildRequest(request);
        } catch (const tether::conformance::SuiteError&) {
        } catch (const nlohmann::json::exception&) {
        }
      }
    }
  } catch (const tether::conformance::SuiteError&) {
  }
  return 0;
}
