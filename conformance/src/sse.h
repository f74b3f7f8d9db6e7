// Server-Sent Events as the runner sees them: a text/event-stream body parsed into events
// (WHATWG rules: `id`, `event`, `data` lines, blank-line dispatch, `:` comments), and the
// JSON view that suite expectations and captures read.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tether::conformance {

struct SseEvent {
  std::string id;            // the event's own `id:` (empty when it set none)
  std::string type = "message";
  std::string data;          // `data:` lines joined with "\n"
};

std::vector<SseEvent> parseEventStream(const std::string& body);

// {"events": [{"id", "type", "data"}], "ids": [...], "types": [...], "last_id": id or null,
//  "count": n}; `data` is parsed as JSON when it is JSON, else kept as a string.
nlohmann::json eventStreamView(const std::vector<SseEvent>& events);

}  // namespace tether::conformance
