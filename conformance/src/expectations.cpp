#include "expectations.h"

#include <algorithm>
#include <set>

#include "sse.h"

namespace tether::conformance {

namespace {

bool statusMatches(const std::string& pattern, int status) {
  if (pattern.size() == 3 && (pattern[1] == 'X' || pattern[1] == 'x')) return status / 100 == pattern[0] - '0';
  return pattern == std::to_string(status);
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " or ") + s;
  return out;
}

const nlohmann::json* at(const nlohmann::json& view, const std::string& ptr) {
  if (view.is_discarded()) return nullptr;
  try {
    return &view.at(nlohmann::json::json_pointer(ptr));
  } catch (const std::exception&) {
    return nullptr;
  }
}

// contains/excludes: the array at each pointer must hold every listed value / none of them.
void checkMembership(const std::vector<std::pair<std::string, nlohmann::json>>& wanted, const nlohmann::json& view,
                     bool present, const std::string& check, const Report& report) {
  for (const auto& [ptr, values] : wanted) {
    const nlohmann::json* list = at(view, ptr);
    if (!list || !list->is_array()) {
      report(check, "the view has no array at " + ptr, ptr);
      continue;
    }
    const nlohmann::json each = values.is_array() ? values : nlohmann::json::array({values});
    for (const auto& v : each) {
      const bool found = std::find(list->begin(), list->end(), v) != list->end();
      if (found != present)
        report(check, ptr + (present ? " lacks " : " holds ") + v.dump() + " (" +
                                    std::to_string(list->size()) + " items)", ptr);
    }
  }
}

void checkEvents(const Expectation& e, const nlohmann::json& view, const Report& report) {
  const auto& events = view["events"];
  const auto n = static_cast<int>(events.size());
  if (n < e.minEvents) report("sse", "the stream has " + std::to_string(n) + " events, expected at least " +
                                         std::to_string(e.minEvents), "");
  if (e.maxEvents >= 0 && n > e.maxEvents)
    report("sse", "the stream has " + std::to_string(n) + " events, expected at most " + std::to_string(e.maxEvents), "");
  std::set<std::string> ids;
  for (const auto& ev : events) {
    const auto& type = ev["type"].get_ref<const std::string&>();
    if (!e.eventTypes.empty() && std::find(e.eventTypes.begin(), e.eventTypes.end(), type) == e.eventTypes.end())
      report("sse", "event " + ev["id"].get<std::string>() + " has type '" + type + "', not one of " +
                        joined(e.eventTypes), "");
    const auto& id = ev["id"].get_ref<const std::string&>();
    if (!id.empty() && !ids.insert(id).second) report("sse", "event id " + id + " appears twice in the stream", "");
  }
}

}  // namespace

Expectation substituteExpectation(const Expectation& e, const std::map<std::string, nlohmann::json>& vars) {
  Expectation out = e;
  for (auto* list : {&out.body, &out.contains, &out.excludes})
    for (auto& [ptr, v] : *list) v = substitute(v, vars);
  for (auto& [name, value] : out.headers) {
    const nlohmann::json v = substitute(value, vars);
    value = v.is_string() ? v.get<std::string>() : v.dump();
  }
  return out;
}

void checkStatus(const Expectation& e, int status, const Report& report) {
  if (e.statuses.empty()) return;
  if (std::none_of(e.statuses.begin(), e.statuses.end(), [&](const std::string& p) { return statusMatches(p, status); }))
    report(e.statusCheck, "expected status " + joined(e.statuses) + ", got " + std::to_string(status), "");
}

void checkHeaders(const Expectation& e, const Headers& headers, const Report& report) {
  for (const auto& [name, value] : e.headers) {
    const std::string* got = findHeader(headers, name);
    if (!got) report(e.headersCheck, "header " + name + " is missing", "");
    else if (!value.empty() && *got != value)
      report(e.headersCheck, "header " + name + " is '" + *got + "', expected '" + value + "'", "");
  }
}

nlohmann::json responseView(const Expectation& e, const Response& response, const Report& report) {
  if (response.mediaType() == "text/event-stream") return eventStreamView(parseEventStream(response.body));
  if (e.events) report("sse", "expected a text/event-stream, got '" + response.mediaType() + "'", "");
  return nlohmann::json::parse(response.body, nullptr, false);
}

void checkView(const Expectation& e, const nlohmann::json& view, const Report& report) {
  for (const auto& [ptr, want] : e.body) {
    if (view.is_discarded()) {
      report(e.bodyCheck, "the body is not JSON", ptr);
      return;
    }
    const nlohmann::json* got = at(view, ptr);
    if (!got) report(e.bodyCheck, "body has no " + ptr + " (expected " + want.dump() + ")", ptr);
    else if (*got != want) report(e.bodyCheck, "body " + ptr + " is " + got->dump() + ", expected " + want.dump(), ptr);
  }
  checkMembership(e.contains, view, true, e.bodyCheck, report);
  checkMembership(e.excludes, view, false, e.bodyCheck, report);
  if (e.events && view.is_object() && view.contains("events")) checkEvents(e, view, report);
}

void captureFrom(const std::map<std::string, std::string>& capture, const nlohmann::json& view,
                 const Headers& headers, std::map<std::string, nlohmann::json>& into, const Report& report) {
  for (const auto& [var, ptr] : capture) {
    if (ptr.rfind("header:", 0) == 0) {
      const std::string* value = findHeader(headers, ptr.substr(7));
      if (value) into[var] = *value;
      else report("capture", "cannot capture ${" + var + "}: no " + ptr.substr(7) + " header", "");
      continue;
    }
    const nlohmann::json* got = at(view, ptr);
    if (got) into[var] = *got;
    else report("capture", "cannot capture ${" + var + "}: the body has no " + ptr, ptr);
  }
}

std::string withQueryParam(const std::string& target, const std::string& name, const std::string& value) {
  const std::size_t q = target.find('?');
  std::string path = target.substr(0, q), kept;
  if (q != std::string::npos) {
    std::string query = target.substr(q + 1);
    std::size_t pos = 0;
    while (pos <= query.size()) {
      std::size_t amp = query.find('&', pos);
      std::string pair = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
      if (!pair.empty() && pair.substr(0, pair.find('=')) != percentEncode(name)) kept += (kept.empty() ? "" : "&") + pair;
      if (amp == std::string::npos) break;
      pos = amp + 1;
    }
  }
  return path + "?" + kept + (kept.empty() ? "" : "&") + percentEncode(name) + "=" + percentEncode(value);
}

std::optional<long long> queryInteger(const std::string& target, const std::string& name) {
  const std::size_t q = target.find('?');
  if (q == std::string::npos) return std::nullopt;
  const std::string key = percentEncode(name) + "=";
  for (std::size_t pos = q + 1; pos < target.size();) {
    std::size_t amp = target.find('&', pos);
    std::string pair = target.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    if (pair.rfind(key, 0) == 0) {
      try {
        return std::stoll(pair.substr(key.size()));
      } catch (const std::exception&) {
        return std::nullopt;
      }
    }
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return std::nullopt;
}

}  // namespace tether::conformance
