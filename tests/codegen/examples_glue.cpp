// One spec's generated code, as examples_test.cpp sees it (examples_glue.h). Compiled per
// spec with TETHER_EXAMPLES_NS (the generated namespace), TETHER_EXAMPLES_SPEC,
// TETHER_EXAMPLES_KNOWN and TETHER_EXAMPLES_SHARED; TETHER_EXAMPLES_ABSENT when the spec was
// not there at configure time, so nothing was generated.
#include "examples_glue.h"

#if !TETHER_EXAMPLES_ABSENT
#include "validators.h"

namespace TETHER_EXAMPLES_NS {
// Declared by the generated models.h; declared again here so that this unit need not
// parse the models (for a large spec, most of a minute).
bool reserialize(std::string_view schemaName, const nlohmann::json& in, nlohmann::json& out, std::string& error);
}  // namespace TETHER_EXAMPLES_NS
#endif

namespace tether::examples {

const SpecUnderTest& specUnderTest() {
#if TETHER_EXAMPLES_ABSENT
  static const SpecUnderTest spec{TETHER_EXAMPLES_SPEC, true, "", nullptr, nullptr};
#else
  static const std::map<std::string, GeneratedValidator, std::less<>> validators = {
#include "validators_table.inc"
  };
  static const SpecUnderTest spec{TETHER_EXAMPLES_SPEC, TETHER_EXAMPLES_SHARED != 0, TETHER_EXAMPLES_KNOWN,
                                  &TETHER_EXAMPLES_NS::reserialize, &validators};
#endif
  return spec;
}

}  // namespace tether::examples
