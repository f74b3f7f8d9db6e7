// The self-contained HTML report of a run: one file, inline CSS, no script and nothing
// fetched from elsewhere, so it can be attached to a CI run or mailed as it is.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tether::conformance {

struct HtmlReportOptions {
  std::string title = "tether-conform report";
  std::string target;                 // the base URL checked, shown under the title
  std::size_t maxBodyBytes = 4096;    // longer request/response bodies are cut (at a UTF-8 boundary)
};

// Renders the document written by RunReport::toJson() (so the page shows exactly what the
// JSON report holds): a summary, findings per check, per operation and per kind, then
// every finding with its check, operation, message, schema path, instance pointer,
// request, truncated response and curl reproduction. Every text is HTML-escaped.
// Throws std::invalid_argument when `report` lacks the "summary" or "cases" members.
std::string renderHtmlReport(const nlohmann::json& report, const HtmlReportOptions& options = {});

// Escapes & < > " ' for element text and quoted attribute values.
std::string htmlEscape(std::string_view text);

// At most `maxBytes` bytes of `text`, never cutting a UTF-8 sequence in two.
std::string truncateUtf8(std::string_view text, std::size_t maxBytes);

}  // namespace tether::conformance
