#include "tether/conformance/report_html.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <map>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace tether::conformance {

namespace {

using nlohmann::json;

// Findings listed open when there are few of them; a long report starts folded.
constexpr std::size_t kOpenFindingsUpTo = 50;

const char* const kStyle = R"css(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:72em;padding:0 1em;color:#1d1d1f}
h1{font-size:1.6em;margin-bottom:.1em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}h3{margin-top:1.2em}
.target{color:#666;margin-top:0}
.cards{display:flex;flex-wrap:wrap;gap:.6em;margin:1em 0}
.card{border:1px solid #ddd;border-radius:6px;padding:.5em .9em;min-width:7em}
.card b{display:block;font-size:1.5em}
.passed b{color:#1a7f37}.failed b{color:#cf222e}.skipped b{color:#9a6700}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
details.finding{border:1px solid #ddd;border-left:4px solid #cf222e;border-radius:4px;margin:.5em 0;padding:.3em .7em}
details.finding summary{cursor:pointer}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace}
pre{background:#f6f8fa;padding:.5em;overflow-x:auto;white-space:pre-wrap;word-break:break-all;margin:.2em 0}
dl{display:grid;grid-template-columns:max-content auto;gap:.1em 1em;margin:.4em 0}dt{color:#666}dd{margin:0}
.note{color:#666;font-style:italic}
)css";

std::string text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

double number(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

std::string anchor(const std::string& prefix, const std::string& name) {
  std::string out = prefix;
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return out;
}

std::string fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

// "METHOD target", the headers, then the (truncated) body: an HTTP message as text.
std::string headerLines(const json& message) {
  std::string out;
  auto it = message.find("headers");
  if (it == message.end() || !it->is_array()) return out;
  for (const auto& h : *it) {
    if (h.is_array() && h.size() == 2 && h[0].is_string() && h[1].is_string())
      out += h[0].get<std::string>() + ": " + h[1].get<std::string>() + "\n";
  }
  return out;
}

std::string bodyBlock(const std::string& body, std::size_t maxBytes) {
  if (body.empty()) return "";
  std::string shown = truncateUtf8(body, maxBytes);
  std::string out = "\n" + shown;
  if (shown.size() < body.size())
    out += "\n… (" + std::to_string(shown.size()) + " of " + std::to_string(body.size()) + " bytes shown)";
  return out;
}

std::string requestText(const json& request, std::size_t maxBytes) {
  std::string out = text(request, "method") + " " + text(request, "target") + "\n" + headerLines(request);
  auto creds = request.find("sendCredentials");
  if (creds != request.end() && creds->is_boolean() && !creds->get<bool>()) out += "(sent without credentials)\n";
  if (request.contains("token")) out += "(sent with another bearer token)\n";
  return out + bodyBlock(text(request, "body"), maxBytes);
}

std::string responseText(const json& response, std::size_t maxBytes) {
  const int status = static_cast<int>(number(response, "status"));
  if (status == 0) return "no response: " + text(response, "error");
  return std::to_string(status) + "\n" + headerLines(response) + bodyBlock(text(response, "body"), maxBytes);
}

struct FindingRef {
  const json* finding;
  const json* testCase;
};

struct Tally {
  std::size_t findings = 0;
  std::map<std::string, std::size_t> by;  // operations of a check, or checks of an operation
};

std::string tallyList(const std::map<std::string, std::size_t>& by) {
  std::string out;
  for (const auto& [name, n] : by) out += (out.empty() ? "" : ", ") + htmlEscape(name) + " (" + std::to_string(n) + ")";
  return out;
}

void writeTallyTable(std::ostringstream& h, const char* first, const char* last, const char* anchorPrefix,
                     const std::map<std::string, Tally>& tallies) {
  h << "<table><thead><tr><th>" << first << "</th><th>findings</th><th>" << last << "</th></tr></thead><tbody>\n";
  for (const auto& [name, t] : tallies) {
    h << "<tr><td>";
    if (anchorPrefix) h << "<a href=\"#" << anchor(anchorPrefix, name) << "\">";
    h << "<code>" << htmlEscape(name) << "</code>" << (anchorPrefix ? "</a>" : "") << "</td><td class=\"n\">"
      << t.findings << "</td><td>" << tallyList(t.by) << "</td></tr>\n";
  }
  h << "</tbody></table>\n";
}

void writeSummary(std::ostringstream& h, const json& summary) {
  const double ms = number(summary, "durationMs");
  const double requests = number(summary, "requests");
  auto card = [&](const char* cls, const char* label, const std::string& value) {
    h << "<div class=\"card " << cls << "\"><b>" << value << "</b>" << label << "</div>\n";
  };
  auto count = [&](const char* key) { return fixed(number(summary, key), 0); };
  h << "<div class=\"cards\" id=\"summary\">\n";
  card("", "cases", count("cases"));
  card("passed", "passed", count("passed"));
  card("failed", "failed", count("failed"));
  card("skipped", "skipped", count("skipped"));
  card("failed", "findings", count("findings"));
  card("", "requests", count("requests"));
  card("", "transport errors", count("transportErrors"));
  card("", "seconds", fixed(ms / 1000, 2));
  card("", "requests/s", ms > 0 ? fixed(requests * 1000 / ms, 0) : "–");
  h << "</div>\n";
}

void writeKinds(std::ostringstream& h, const json& cases) {
  std::map<std::string, std::array<std::size_t, 3>> byKind;  // passed, failed, skipped
  for (const auto& c : cases) {
    const std::string outcome = text(c, "outcome");
    auto& n = byKind[text(c, "kind")];
    n[outcome == "passed" ? 0 : outcome == "failed" ? 1 : 2]++;
  }
  h << "<h2>Cases per kind</h2>\n<table><thead><tr><th>kind</th><th>passed</th><th>failed</th><th>skipped</th>"
       "</tr></thead><tbody>\n";
  for (const auto& [kind, n] : byKind) {
    h << "<tr><td>" << htmlEscape(kind) << "</td><td class=\"n\">" << n[0] << "</td><td class=\"n\">" << n[1]
      << "</td><td class=\"n\">" << n[2] << "</td></tr>\n";
  }
  h << "</tbody></table>\n";
}

void writeFinding(std::ostringstream& h, const FindingRef& ref, std::size_t maxBytes, bool open) {
  const json& f = *ref.finding;
  h << "<details class=\"finding\"" << (open ? " open" : "") << "><summary><code>[" << htmlEscape(text(f, "check"))
    << "]</code> <b>" << htmlEscape(text(f, "operation")) << "</b>: " << htmlEscape(text(f, "message"))
    << "</summary>\n<dl><dt>case</dt><dd>" << htmlEscape(text(*ref.testCase, "name")) << "</dd>\n";
  const std::string schemaPath = text(f, "schemaPath");
  const std::string pointer = text(f, "instancePointer");
  if (!schemaPath.empty()) h << "<dt>schema path</dt><dd><code>" << htmlEscape(schemaPath) << "</code></dd>\n";
  if (!schemaPath.empty() || !pointer.empty())
    h << "<dt>instance</dt><dd><code>" << htmlEscape(pointer.empty() ? "(root)" : pointer) << "</code></dd>\n";
  h << "</dl>\n";
  if (f.contains("request")) h << "<div>request</div><pre>" << htmlEscape(requestText(f["request"], maxBytes)) << "</pre>\n";
  if (f.contains("response"))
    h << "<div>response</div><pre>" << htmlEscape(responseText(f["response"], maxBytes)) << "</pre>\n";
  const std::string curl = text(f, "curl");
  if (!curl.empty()) h << "<div>reproduce</div><pre>" << htmlEscape(curl) << "</pre>\n";
  h << "</details>\n";
}

void writeUnpassedCases(std::ostringstream& h, const json& cases) {
  h << "<h2>Failed and skipped cases</h2>\n";
  std::ostringstream rows;
  for (const auto& c : cases) {
    const std::string outcome = text(c, "outcome");
    if (outcome == "passed") continue;
    const auto findings = c.contains("findings") && c["findings"].is_array() ? c["findings"].size() : 0;
    rows << "<tr><td>" << htmlEscape(text(c, "name")) << "</td><td>" << htmlEscape(text(c, "kind")) << "</td><td>"
         << htmlEscape(outcome) << "</td><td class=\"n\">" << findings << "</td><td>"
         << htmlEscape(text(c, "skipReason")) << "</td></tr>\n";
  }
  if (rows.str().empty()) {
    h << "<p class=\"note\">none</p>\n";
    return;
  }
  h << "<table><thead><tr><th>case</th><th>kind</th><th>outcome</th><th>findings</th><th>skip reason</th></tr>"
       "</thead><tbody>\n"
    << rows.str() << "</tbody></table>\n";
}

}  // namespace

std::string htmlEscape(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (char c : in) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string truncateUtf8(std::string_view in, std::size_t maxBytes) {
  if (in.size() <= maxBytes) return std::string(in);
  std::size_t end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the cut sequence.
  while (end > 0 && (static_cast<unsigned char>(in[end]) & 0xC0) == 0x80) --end;
  return std::string(in.substr(0, end));
}

std::string renderHtmlReport(const json& report, const HtmlReportOptions& options) {
  if (!report.is_object() || !report.contains("summary") || !report["summary"].is_object() ||
      !report.contains("cases") || !report["cases"].is_array())
    throw std::invalid_argument("not a tether-conform JSON report (needs \"summary\" and \"cases\")");
  const json& cases = report["cases"];

  std::map<std::string, std::vector<FindingRef>> byCheck;
  std::map<std::string, Tally> checkTally, operationTally;
  std::size_t total = 0;
  for (const auto& c : cases) {
    if (!c.contains("findings") || !c["findings"].is_array()) continue;
    for (const auto& f : c["findings"]) {
      const std::string check = text(f, "check"), op = text(f, "operation");
      byCheck[check].push_back({&f, &c});
      checkTally[check].findings++;
      checkTally[check].by[op]++;
      operationTally[op].findings++;
      operationTally[op].by[check]++;
      ++total;
    }
  }

  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<title>"
    << htmlEscape(options.title) << "</title>\n<style>" << kStyle << "</style></head>\n<body>\n<h1>"
    << htmlEscape(options.title) << "</h1>\n";
  if (!options.target.empty()) h << "<p class=\"target\">" << htmlEscape(options.target) << "</p>\n";
  writeSummary(h, report["summary"]);

  h << "<h2>Findings per check</h2>\n";
  if (checkTally.empty()) h << "<p class=\"note\">no findings: the deployment honoured its contract</p>\n";
  else writeTallyTable(h, "check", "operations", "check-", checkTally);
  if (!operationTally.empty()) {
    h << "<h2>Findings per operation</h2>\n";
    writeTallyTable(h, "operation", "checks", nullptr, operationTally);
  }
  writeKinds(h, cases);

  if (total > 0) {
    h << "<h2>Findings</h2>\n";
    for (const auto& [check, refs] : byCheck) {
      h << "<section id=\"" << anchor("check-", check) << "\"><h3><code>" << htmlEscape(check) << "</code> ("
        << refs.size() << ")</h3>\n";
      for (const auto& ref : refs) writeFinding(h, ref, options.maxBodyBytes, total <= kOpenFindingsUpTo);
      h << "</section>\n";
    }
  }
  writeUnpassedCases(h, cases);
  h << "</body></html>\n";
  return h.str();
}

}  // namespace tether::conformance
