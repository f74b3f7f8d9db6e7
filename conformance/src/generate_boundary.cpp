// Boundary values from the schemas of top-level JSON body fields and query parameters:
// the values at each limit (minLength, maxLength, minimum, maximum, every enum value, a
// value of each asserted format) must not be rejected (kind "boundary": any documented
// status but 400 and 422), and the values just outside must be (kind "negative": a 4xx).
#include <cmath>
#include <optional>
#include <set>
#include <functional>
#include <string>
#include <vector>

#include "generate_resolver.h"

namespace tether::conformance {

namespace {

using detail::OJson;
using detail::Chain;
using detail::pathParameters;
using detail::Resolver;

struct Probe {
  std::string what;  // "maxLength 50", "minimum 1", ...
  nlohmann::json value;
  bool valid;
};

// Strings at and beyond a length limit. Patterns and formats constrain the characters
// too, so those strings are left to the format probes.
void lengthProbes(const std::string& name, const OJson& s, std::vector<Probe>& out) {
  if (s.contains("pattern") || s.contains("format") || s.contains("enum") || s.contains("const")) return;
  // A member named `value` is interpreted by another member (a DNS record's type): any
  // string of the right length is not a valid one.
  if (name == "value") return;
  const std::size_t kLongest = 100000;  // longer limits are not probed (request size limits)
  if (s.contains("minLength") && s["minLength"].is_number_unsigned()) {
    auto n = s["minLength"].get<std::size_t>();
    if (n <= kLongest) out.push_back({"minLength " + std::to_string(n), std::string(n, 'x'), true});
    if (n > 0 && n <= kLongest) out.push_back({"shorter than minLength " + std::to_string(n), std::string(n - 1, 'x'), false});
  }
  if (s.contains("maxLength") && s["maxLength"].is_number_unsigned()) {
    auto n = s["maxLength"].get<std::size_t>();
    if (n <= kLongest) {
      out.push_back({"maxLength " + std::to_string(n), std::string(n, 'x'), true});
      out.push_back({"longer than maxLength " + std::to_string(n), std::string(n + 1, 'x'), false});
    }
  }
}

nlohmann::json number(double v, bool integer) {
  if (integer) return static_cast<long long>(v);
  return v;
}

// Numbers at and beyond each bound. multipleOf makes the neighbours of a bound invalid
// for another reason, so such schemas are skipped.
void rangeProbes(const OJson& s, bool integer, std::vector<Probe>& out) {
  if (s.contains("multipleOf") || s.contains("enum") || s.contains("const")) return;
  const double step = integer ? 1 : 0.5;
  auto bound = [&](const char* key) -> std::optional<double> {
    if (s.contains(key) && s[key].is_number()) return s[key].get<double>();
    return std::nullopt;
  };
  auto exact = [&](double v) { return !integer || std::floor(v) == v; };
  if (auto v = bound("minimum"); v && exact(*v)) {
    out.push_back({"minimum " + number(*v, integer).dump(), number(*v, integer), true});
    out.push_back({"below minimum " + number(*v, integer).dump(), number(*v - step, integer), false});
  }
  if (auto v = bound("maximum"); v && exact(*v)) {
    out.push_back({"maximum " + number(*v, integer).dump(), number(*v, integer), true});
    out.push_back({"above maximum " + number(*v, integer).dump(), number(*v + step, integer), false});
  }
  if (auto v = bound("exclusiveMinimum"); v && exact(*v)) {
    out.push_back({"just above exclusiveMinimum " + number(*v, integer).dump(), number(*v + step, integer), true});
    out.push_back({"at exclusiveMinimum " + number(*v, integer).dump(), number(*v, integer), false});
  }
  if (auto v = bound("exclusiveMaximum"); v && exact(*v)) {
    out.push_back({"just below exclusiveMaximum " + number(*v, integer).dump(), number(*v - step, integer), true});
    out.push_back({"at exclusiveMaximum " + number(*v, integer).dump(), number(*v, integer), false});
  }
}

void enumProbes(const OJson& s, std::vector<Probe>& out) {
  if (!s.contains("enum") || !s["enum"].is_array()) return;
  bool strings = true;
  for (const auto& v : s["enum"]) {
    if (v.is_null()) continue;  // a nullable enum: null is probed by nothing here
    strings = strings && v.is_string();
    out.push_back({"enum value " + nlohmann::json(v).dump(), nlohmann::json(v), true});
  }
  if (strings && !s["enum"].empty()) out.push_back({"not one of the enum values", "tether-not-in-enum", false});
}

// Formats a server is expected to assert (JSON Schema leaves assertion optional; an API
// that documents a format and accepts anything is reported).
void formatProbes(const OJson& s, std::vector<Probe>& out) {
  if (!s.contains("format") || !s["format"].is_string() || s.contains("enum") || s.contains("pattern")) return;
  static const std::vector<std::pair<std::string, std::string>> kValid = {
      {"date-time", "2030-01-01T00:00:00Z"}, {"date", "2030-01-01"}, {"email", "probe@example.com"},
      {"uuid", "00000000-0000-4000-8000-000000000000"}, {"uri", "https://example.com/"}};
  const std::string format = s["format"].get<std::string>();
  for (const auto& [name, value] : kValid) {
    if (name != format) continue;
    out.push_back({"format " + name, value, true});
    out.push_back({"not a valid " + name, "tether-not-a-" + name, false});
  }
}

std::string lower(const std::string& s) {
  std::string out;
  for (unsigned char c : s) out += static_cast<char>(std::tolower(c));
  return out;
}

// Some values are valid only together with others, so probing them alone would report a
// correct server: opaque paging tokens (a long string is not a cursor the API issued),
// one end of a min/max pair (min_instances at its maximum exceeds max_instances), and the
// enum that selects a variant (a DNS record's type must fit its value).
std::vector<Probe> probesFor(const std::string& name, const OJson& s) {
  std::vector<Probe> out;
  const std::string n = lower(name);
  for (const char* opaque : {"cursor", "token", "after", "before"})
    if (n.find(opaque) != std::string::npos) return out;
  const std::string type = detail::schemaType(s);
  if (type == "string") {
    lengthProbes(n, s, out);
    formatProbes(s, out);
  }
  if ((type == "integer" || type == "number") && n.rfind("min", 0) != 0 && n.rfind("max", 0) != 0)
    rangeProbes(s, type == "integer", out);
  if (n != "type" && n != "kind") enumProbes(s, out);
  return out;
}

}  // namespace

namespace detail {

std::vector<Case> generateBoundaryCases(const Contract& contract, const GenerateOptions& options,
                                        const Resolver& resolver) {
  std::vector<Case> out;
  Expectation reject;
  reject.statuses = {"4XX"};
  reject.statusCheck = "negative-data";
  for (const ir::Operation& op : contract.api().operations) {
    if (options.readOnly && !isSafeMethod(upper(op.method))) continue;
    const nlohmann::json base = baseRequest(contract, op);
    // A value that must be accepted is sent to real resources: the operation's path
    // parameters and body references are created first (and deleted after). When that
    // chain cannot be resolved the valid probes are not sent (a 404 would prove nothing).
    // Each case has a chain of its own (unique names: cases run in parallel).
    Expectation accept;
    accept.statuses = documentedStatusesExcept(op, {400, 422});
    accept.statusCheck = "boundary";
    const bool update = op.method != "post" && !isSafeMethod(upper(op.method));
    const ir::MediaType* body = jsonBody(op);
    std::set<std::string> required;
    if (body && body->type != ir::kNoType)
      for (const auto& f : contract.api().type(body->type).fields)
        if (f.required) required.insert(f.jsonName);
    auto emit = [&](const std::string& where, const Probe& p, const std::function<void(nlohmann::json&)>& set,
                    const std::string& member = {}) {
      Chain chain;
      nlohmann::json r = base;
      if (p.valid) {
        // An update's numeric limit may conflict with the resource's state ("storage can
        // only grow"), which is a valid refusal: not probed.
        if (update && (p.value.is_number())) return;
        // Members the spec's example leaves out may apply only with other values (a DNS
        // record's priority is for MX records): valid values go only where it sets one.
        if (!member.empty() && !required.count(member) && !base["json"].contains(member)) return;
        if (resolver.resolve(op, chain)) return;
        if (op.method == "post") r = resolver.creationRequest(op);
        for (const auto& param : pathParameters(op.path)) r["params"][param] = "${" + param + "}";
        // An update changes the probed member alone: the example's other members may not
        // fit the resource the chain made ("instance_size does not apply to static sites").
        if (update && !member.empty() && r["json"].is_object()) {
          nlohmann::json only = nlohmann::json::object();
          for (auto it = r["json"].begin(); it != r["json"].end(); ++it)
            if (required.count(it.key())) only[it.key()] = *it;
          r["json"] = std::move(only);
        }
        resolver.resolveBodyReferences(r, chain);
      }
      set(r);
      Case c = singleStepCase(p.valid ? "boundary" : "negative", op, where + " " + p.what, std::move(r),
                              p.valid ? accept : reject);
      c.setup = std::move(chain.create);
      c.teardown = std::move(chain.teardown);
      out.push_back(std::move(c));
    };
    if (body && body->type != ir::kNoType && base.contains("json") && base["json"].is_object()) {
      for (const auto& f : contract.api().type(body->type).fields) {
        if (f.readOnly || f.type == ir::kNoType) continue;
        for (const Probe& p : probesFor(f.jsonName, resolvedSchema(contract, f.type)))
          emit("body '" + f.jsonName + "'", p, [&](nlohmann::json& r) { r["json"][f.jsonName] = p.value; }, f.jsonName);
      }
    }
    for (const auto& p : op.parameters) {
      if (p.in != ir::ParameterLocation::Query || p.type == ir::kNoType) continue;
      for (const Probe& probe : probesFor(p.name, resolvedSchema(contract, p.type)))
        emit("query '" + p.name + "'", probe, [&](nlohmann::json& r) { r["query"][p.name] = probe.value; });
    }
  }
  return out;
}

}  // namespace detail

}  // namespace tether::conformance
