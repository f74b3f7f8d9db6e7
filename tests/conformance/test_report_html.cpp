// The HTML report: everything a finding carries is on the page, HTML-escaped, and the
// counts match the JSON report it is rendered from; `run --html` writes it.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "pet_server.h"
#include "tether/conformance/report_html.h"
#include "tether/conformance/runner.h"

namespace tc = tether::conformance;

namespace {

std::size_t occurrences(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) ++n;
  return n;
}

tc::Finding finding(std::string check, std::string operation, std::string message) {
  tc::Finding f;
  f.check = std::move(check);
  f.operation = std::move(operation);
  f.message = std::move(message);
  f.request.method = "POST";
  f.request.target = "/pets?q=<script>";
  f.request.headers = {{"Content-Type", "application/json"}};
  f.request.body = R"({"name":"</pre><script>alert(1)</script>"})";
  f.response.status = 422;
  f.response.headers = {{"Content-Type", "application/problem+json"}};
  f.response.body = R"({"title":"<b>bad</b>"})";
  f.curl = "curl -sS -i -X POST 'http://127.0.0.1:1/pets?q=<script>' --data '\"&\"'";
  return f;
}

tc::CaseResult testCase(std::string name, std::string kind, tc::Outcome outcome, std::string skipReason = "") {
  tc::CaseResult c;
  c.name = std::move(name);
  c.kind = std::move(kind);
  c.outcome = outcome;
  c.skipReason = std::move(skipReason);
  c.requests = outcome == tc::Outcome::Skipped ? 0 : 1;
  return c;
}

// Two failed cases (three findings in two checks and two operations), a passed one and
// a skipped one, with markup in every text a server or a spec controls.
tc::RunReport sampleReport() {
  tc::RunReport r;
  tc::CaseResult a = testCase("create <script>", "examples", tc::Outcome::Failed);
  tc::Finding schema = finding("response-schema", "createPet", "the body does not match <Pet>");
  schema.schemaPath = "/properties/<name>/type";
  schema.instancePointer = "/name&x";
  a.findings = {schema, finding("problem-json", "createPet", "title is not a \"string\"")};
  tc::CaseResult b = testCase("list", "negative-data", tc::Outcome::Failed);
  b.findings = {finding("response-schema", "listPets", "id is a 'string'")};
  tc::CaseResult c = testCase("health", "examples", tc::Outcome::Passed);
  tc::CaseResult d = testCase("delete", "suite", tc::Outcome::Skipped, "read-only <run>");
  r.cases = {a, b, c, d};
  r.requests = 4;
  r.responses = 4;
  r.durationMs = 2000;
  return r;
}

TEST(HtmlReport, EscapesEverythingAServerOrSpecControls) {
  const std::string html = tc::renderHtmlReport(sampleReport().toJson());
  // The only tags are ours: none of the injected markup survives unescaped.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<b>bad"), std::string::npos);
  EXPECT_EQ(html.find("<Pet>"), std::string::npos);
  EXPECT_EQ(occurrences(html, "</pre>"), occurrences(html, "<pre>"));
  EXPECT_NE(html.find("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("the body does not match &lt;Pet&gt;"), std::string::npos);
  EXPECT_NE(html.find("title is not a &quot;string&quot;"), std::string::npos);
  EXPECT_NE(html.find("id is a &#39;string&#39;"), std::string::npos);
  EXPECT_NE(html.find("read-only &lt;run&gt;"), std::string::npos);
  // No external resource: no script at all, no link/stylesheet/image fetched from a URL.
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(occurrences(html, "<style>"), 1u);
}

TEST(HtmlReport, EveryFindingAppearsWithItsDetails) {
  const tc::RunReport report = sampleReport();
  const std::string html = tc::renderHtmlReport(report.toJson());
  EXPECT_EQ(occurrences(html, "<details class=\"finding\""), report.findingCount());
  EXPECT_EQ(occurrences(html, "<code>[response-schema]</code>"), 2u);
  EXPECT_EQ(occurrences(html, "<code>[problem-json]</code>"), 1u);
  EXPECT_NE(html.find("<code>/properties/&lt;name&gt;/type</code>"), std::string::npos);
  EXPECT_NE(html.find("<code>/name&amp;x</code>"), std::string::npos);
  EXPECT_NE(html.find("POST /pets?q=&lt;script&gt;\nContent-Type: application/json"), std::string::npos);
  EXPECT_NE(html.find("422\nContent-Type: application/problem+json"), std::string::npos);
  EXPECT_EQ(occurrences(html, "curl -sS -i -X POST &#39;http://127.0.0.1:1/pets?q=&lt;script&gt;&#39;"), 3u);
  EXPECT_NE(html.find("<dt>case</dt><dd>create &lt;script&gt;</dd>"), std::string::npos);
}

TEST(HtmlReport, CountsMatchTheJsonReport) {
  const std::string html = tc::renderHtmlReport(sampleReport().toJson());
  EXPECT_NE(html.find("<b>4</b>cases"), std::string::npos);
  EXPECT_NE(html.find("<b>1</b>passed"), std::string::npos);
  EXPECT_NE(html.find("<b>2</b>failed"), std::string::npos);
  EXPECT_NE(html.find("<b>1</b>skipped"), std::string::npos);
  EXPECT_NE(html.find("<b>3</b>findings"), std::string::npos);
  EXPECT_NE(html.find("<b>2.00</b>seconds"), std::string::npos);
  EXPECT_NE(html.find("<b>2</b>requests/s"), std::string::npos);
  // Per check: response-schema twice over two operations; per operation: createPet twice.
  EXPECT_NE(html.find("<code>response-schema</code></a></td><td class=\"n\">2</td><td>createPet (1), listPets (1)"),
            std::string::npos);
  EXPECT_NE(html.find("<code>createPet</code></td><td class=\"n\">2</td><td>problem-json (1), response-schema (1)"),
            std::string::npos);
  EXPECT_NE(html.find("<tr><td>examples</td><td class=\"n\">1</td><td class=\"n\">1</td><td class=\"n\">0</td>"),
            std::string::npos);
}

TEST(HtmlReport, LongBodiesAreCutAtACharacterBoundary) {
  tc::RunReport report = sampleReport();
  std::string body = "\"";
  while (body.size() < 50) body += "é";  // two bytes each: an odd cut lands inside one
  report.cases[0].findings[0].response.body = body;
  tc::HtmlReportOptions options;
  options.maxBodyBytes = 10;
  const std::string html = tc::renderHtmlReport(report.toJson(), options);
  EXPECT_NE(html.find("\n&quot;éééé\n… (9 of " + std::to_string(body.size()) + " bytes shown)"), std::string::npos)
      << html;
  EXPECT_EQ(tc::truncateUtf8("aé", 2), "a");
  EXPECT_EQ(tc::truncateUtf8("aé", 3), "aé");
  EXPECT_EQ(tc::truncateUtf8("short", 100), "short");
}

TEST(HtmlReport, CleanRunAndBadInput) {
  tc::RunReport clean;
  clean.cases = {testCase("health", "examples", tc::Outcome::Passed)};
  const std::string html = tc::renderHtmlReport(clean.toJson());
  EXPECT_NE(html.find("no findings"), std::string::npos);
  EXPECT_EQ(html.find("<details"), std::string::npos);
  EXPECT_THROW(tc::renderHtmlReport(nlohmann::json::object()), std::invalid_argument);
  EXPECT_THROW(tc::renderHtmlReport(nlohmann::json{{"summary", 1}, {"cases", nlohmann::json::array()}}),
               std::invalid_argument);
}

TEST(HtmlReport, RunWritesIt) {
  tc::testing::PetServer server(tc::testing::Fault::MissingHeader);
  auto dir = std::filesystem::temp_directory_path() / ("tether-conform-html-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string cmd = std::string(TETHER_CONFORM_BIN) + " run --spec " + TETHER_CONFORMANCE_FIXTURES +
                          "/pets.yaml --base-url " + server.baseUrl() + " --token good-token --quiet --json " +
                          (dir / "r.json").string() + " --html " + (dir / "r.html").string() +
                          " --cassette-out '' >/dev/null 2>&1";
  const int rc = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(rc));
  EXPECT_EQ(WEXITSTATUS(rc), 1);
  std::ifstream jsonIn(dir / "r.json"), htmlIn(dir / "r.html");
  const auto json = nlohmann::json::parse(jsonIn);
  const std::string html((std::istreambuf_iterator<char>(htmlIn)), std::istreambuf_iterator<char>());
  EXPECT_EQ(occurrences(html, "<details class=\"finding\""), json["summary"]["findings"].get<std::size_t>());
  EXPECT_NE(html.find("<code>[response-header]</code>"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
