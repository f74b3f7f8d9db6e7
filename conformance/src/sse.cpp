#include "sse.h"

namespace tether::conformance {

std::vector<SseEvent> parseEventStream(const std::string& body) {
  std::vector<SseEvent> out;
  SseEvent current;
  bool hasData = false;
  std::size_t pos = 0;
  while (pos <= body.size()) {
    std::size_t end = body.find_first_of("\r\n", pos);
    const bool last = end == std::string::npos;
    std::string line = body.substr(pos, last ? std::string::npos : end - pos);
    if (last) {
      pos = body.size() + 1;
    } else {
      pos = end + (body[end] == '\r' && end + 1 < body.size() && body[end + 1] == '\n' ? 2 : 1);
    }
    if (line.empty()) {
      // Dispatch: an event without data is dropped (WHATWG), its id still counts for resumption.
      if (hasData) out.push_back(current);
      current = SseEvent{};
      hasData = false;
      if (last) break;
      continue;
    }
    if (line[0] == ':') continue;  // comment / keep-alive
    std::size_t colon = line.find(':');
    std::string field = line.substr(0, colon);
    std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.erase(0, 1);
    if (field == "data") {
      current.data += (hasData ? "\n" : "") + value;
      hasData = true;
    } else if (field == "event") {
      current.type = value.empty() ? "message" : value;
    } else if (field == "id") {
      if (value.find('\0') == std::string::npos) current.id = value;
    }
  }
  // A stream cut mid-event (no blank line after it) loses that event, as a browser would.
  return out;
}

nlohmann::json eventStreamView(const std::vector<SseEvent>& events) {
  nlohmann::json view = {{"events", nlohmann::json::array()}, {"ids", nlohmann::json::array()},
                         {"types", nlohmann::json::array()}, {"last_id", nullptr}, {"count", events.size()}};
  for (const auto& e : events) {
    nlohmann::json data = nlohmann::json::parse(e.data, nullptr, false);
    if (data.is_discarded()) data = e.data;
    view["events"].push_back({{"id", e.id}, {"type", e.type}, {"data", std::move(data)}});
    view["types"].push_back(e.type);
    if (!e.id.empty()) {
      view["ids"].push_back(e.id);
      view["last_id"] = e.id;
    }
  }
  return view;
}

}  // namespace tether::conformance
