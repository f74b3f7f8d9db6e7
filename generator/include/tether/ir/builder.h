// LoadedSpec -> Api: the only place that reads the raw document on behalf of emitters.
#pragma once

#include "tether/ir/model.h"
#include "tether/load/loader.h"

namespace tether::ir {

// Builds the IR of a loaded spec. It tolerates what `validate` reports (broken references
// become `Any` types, a missing operationId is synthesized), so that it never fails on a
// document that loaded.
Api build(const load::LoadedSpec& spec);

// The IR as JSON, for `tether generate --ir` and for golden tests.
Json toJson(const Api& api);

}  // namespace tether::ir
