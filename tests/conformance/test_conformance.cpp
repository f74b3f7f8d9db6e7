// The conformance runner against PetServer: a correct server gives no findings; each
// fault is reported by the check that names it.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "pet_server.h"
#include "tether/conformance/checker.h"
#include "tether/conformance/cleanup.h"
#include "tether/conformance/generate.h"
#include "tether/conformance/http.h"
#include "tether/conformance/runner.h"
#include "tether/conformance/suite.h"

namespace tc = tether::conformance;
using tc::testing::Fault;
using tc::testing::PetServer;

namespace {

const std::string kFixtures = TETHER_CONFORMANCE_FIXTURES;

std::shared_ptr<tc::Contract> contract() {
  static auto c = tc::Contract::load(kFixtures + "/pets.yaml");
  return c;
}

std::vector<tc::Case> allCases(std::uint64_t seed = 7) {
  auto cases = tc::loadSuites(kFixtures + "/suites");
  tc::GenerateOptions g;
  g.seed = seed;
  g.bola = true;
  for (auto& c : tc::generateCases(*contract(), g)) cases.push_back(std::move(c));
  return cases;
}

tc::RunOptions options(const PetServer& server, int workers = 1) {
  tc::RunOptions o;
  o.client.baseUrl = server.baseUrl();
  o.client.token = PetServer::kToken;
  o.client.token2 = PetServer::kToken2;
  o.client.timeout = std::chrono::milliseconds(5000);
  o.workers = workers;
  return o;
}

std::set<std::string> checks(const tc::RunReport& report) {
  std::set<std::string> out;
  for (const auto& c : report.cases)
    for (const auto& f : c.findings) out.insert(f.check);
  return out;
}

std::string describe(const tc::RunReport& report) {
  std::string out;
  for (const auto& c : report.cases)
    for (const auto& f : c.findings) out += c.name + ": " + f.format() + "\n";
  return out;
}

}  // namespace

TEST(Conformance, SpecLoadsAndCompilesEverySchema) {
  auto c = contract();
  EXPECT_EQ(c->api().operations.size(), 8u);
  EXPECT_TRUE(c->warnings().empty()) << c->warnings().front();
  ASSERT_NE(c->match("GET", "/pets/12?x=1"), nullptr);
  EXPECT_EQ(c->match("GET", "/pets/12")->operationId, "getPet");
  EXPECT_EQ(c->match("PUT", "/pets/12"), nullptr);
}

TEST(Conformance, CorrectServerHasNoFindings) {
  PetServer server;
  auto cases = allCases();
  auto report = tc::run(*contract(), cases, options(server));
  EXPECT_EQ(report.findingCount(), 0u) << describe(report);
  EXPECT_EQ(report.exitCode(), 0);
  EXPECT_EQ(report.count(tc::Outcome::Skipped), 0u);
  std::set<std::string> kinds;
  for (const auto& c : report.cases) kinds.insert(c.kind);
  EXPECT_EQ(kinds, (std::set<std::string>{"suite", "examples", "negative", "auth", "method", "boundary",
                                          "use-after-delete", "links", "bola"}));
  EXPECT_GE(report.requests, 20);
}

// Every pet and toy the run made is gone after the cleanup: the stateful cases delete
// theirs in teardown, the tracker deletes what the examples and boundary cases created.
TEST(Conformance, CleanupDeletesEverythingTheRunCreated) {
  PetServer server;
  auto o = options(server, 3);
  tc::CreationTracker tracker(*contract(), server.baseUrl());
  o.onResponse = [&](const tc::Request& q, const tc::Response& r) { tracker.observe(q, r); };
  auto report = tc::run(*contract(), allCases(), o);
  EXPECT_EQ(report.findingCount(), 0u) << describe(report);
  EXPECT_GT(server.resources(), 0u);  // the examples' and boundary probes' pets
  EXPECT_EQ(tracker.pending().size(), server.resources());
  tc::HttpClient client(o.client);
  auto cleaned = tracker.cleanup(client);
  EXPECT_EQ(server.resources(), 0u);
  EXPECT_GT(cleaned.deleted, 0);
  EXPECT_EQ(cleaned.failed, 0) << cleaned.summary();
  EXPECT_TRUE(tracker.pending().empty());
}

// A resource the tracker cannot delete is reported, not hidden.
TEST(Conformance, CleanupReportsWhatItCouldNotDelete) {
  PetServer server;
  tc::CreationTracker tracker(*contract(), server.baseUrl() + "/");
  tc::Request post;
  post.method = "POST";
  post.target = "/pets";
  post.body = R"({"name":"Rex"})";
  post.headers = {{"Content-Type", "application/json"}};
  tc::HttpClient owner({.baseUrl = server.baseUrl(), .token = PetServer::kToken});
  tracker.observe(post, owner.send(post));
  ASSERT_EQ(tracker.pending(), std::vector<std::string>{"/pets/1000"});
  tc::HttpClient stranger({.baseUrl = server.baseUrl(), .token = "revoked-token"});
  auto cleaned = tracker.cleanup(stranger);
  EXPECT_EQ(cleaned.failed, 1);
  ASSERT_EQ(cleaned.failures.size(), 1u);
  EXPECT_EQ(cleaned.failures[0], "DELETE /pets/1000: 401");
  EXPECT_EQ(server.resources(), 1u);
}

TEST(Generate, ResolvesCreationChainsThroughPathsNamesAndLinks) {
  std::vector<tc::NotGenerated> skipped;
  tc::GenerateOptions g;
  g.bola = true;
  auto cases = tc::generateCases(*contract(), g, &skipped);
  EXPECT_TRUE(skipped.empty()) << skipped.front().operation << ": " << skipped.front().reason;
  auto find = [&](const std::string& name) -> const tc::Case* {
    for (const auto& c : cases)
      if (c.name == name) return &c;
    return nullptr;
  };
  // {toyId} is made by createToy (name and path), which needs a pet first.
  const tc::Case* uad = find("use-after-delete: deleteToy");
  ASSERT_NE(uad, nullptr);
  ASSERT_EQ(uad->setup.size(), 2u);
  EXPECT_EQ(uad->setup[0].operationId, "createPet");
  EXPECT_EQ(uad->setup[1].operationId, "createToy");
  EXPECT_EQ(uad->setup[1].request["params"]["petId"], "${petId}");
  EXPECT_EQ(uad->setup[1].capture.at("toyId"), "/id");
  ASSERT_EQ(uad->teardown.size(), 2u);  // newest first
  EXPECT_EQ(uad->teardown[0].operationId, "deleteToy");
  EXPECT_EQ(uad->teardown[1].operationId, "deletePet");
  ASSERT_EQ(uad->steps.size(), 3u);
  EXPECT_EQ(uad->steps[2].expect.statuses, (std::vector<std::string>{"404", "410"}));
  // A link by operationRef, and one whose value is the request's own path parameter.
  const tc::Case* byRef = find("links: createPet -> GetPetByLocation");
  ASSERT_NE(byRef, nullptr);
  EXPECT_EQ(byRef->steps.back().operationId, "getPet");
  EXPECT_EQ(byRef->steps.back().request["params"]["petId"], "${link_petId}");
  const tc::Case* owner = find("links: createToy -> GetOwner");
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(owner->steps.back().request["params"]["petId"], "${petId}");
  // The second credential is a placeholder: reports never carry it.
  const tc::Case* bola = find("bola: getToy with another tenant's credential");
  ASSERT_NE(bola, nullptr);
  EXPECT_EQ(bola->steps[0].request["token"], tc::kSecondToken);
}

TEST(Generate, ReportsOperationsItCannotChain) {
  auto dir = std::filesystem::temp_directory_path() / ("tether-chain-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "spec.yaml") << R"(openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /gadgets/{gadgetId}:
    parameters: [{name: gadgetId, in: path, required: true, schema: {type: string}}]
    get:
      operationId: getGadget
      responses: {'200': {description: ok}, '404': {description: gone}}
    delete:
      operationId: deleteGadget
      responses: {'204': {description: deleted}, '404': {description: gone}}
)";
  auto spec = tc::Contract::load((dir / "spec.yaml").string());
  std::vector<tc::NotGenerated> skipped;
  auto cases = tc::generateCases(*spec, {}, &skipped);
  std::filesystem::remove_all(dir);
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].check, "use-after-delete");
  EXPECT_EQ(skipped[0].operation, "deleteGadget");
  EXPECT_NE(skipped[0].reason.find("{gadgetId}"), std::string::npos) << skipped[0].reason;
  for (const auto& c : cases) EXPECT_NE(c.kind, "use-after-delete");
}

TEST(Generate, BoundaryValuesAtAndBeyondEachLimit) {
  tc::GenerateOptions g;
  auto cases = tc::generateCases(*contract(), g);
  std::map<std::string, const tc::Case*> byName;
  for (const auto& c : cases) byName[c.name] = &c;
  const auto* atMax = byName["boundary: createPet (body 'name' maxLength 50)"];
  ASSERT_NE(atMax, nullptr);
  EXPECT_EQ(atMax->steps[0].request["json"]["name"], std::string(50, 'x'));
  EXPECT_EQ(atMax->steps[0].expect.statusCheck, "boundary");
  const auto* beyond = byName["negative: createPet (body 'name' longer than maxLength 50)"];
  ASSERT_NE(beyond, nullptr);
  EXPECT_EQ(beyond->steps[0].request["json"]["name"], std::string(51, 'x'));
  EXPECT_EQ(beyond->steps[0].expect.statuses, std::vector<std::string>{"4XX"});
  EXPECT_TRUE(byName.count("boundary: listPets (query 'limit' minimum 1)"));
  EXPECT_TRUE(byName.count("negative: listPets (query 'limit' below minimum 1)"));
  EXPECT_TRUE(byName.count("boundary: createToy (body 'color' enum value \"blue\")"));
  EXPECT_TRUE(byName.count("negative: createToy (body 'color' not one of the enum values)"));
  // A valid probe on a nested collection is sent under a real pet.
  const auto* toy = byName["boundary: createToy (body 'name' maxLength 20)"];
  ASSERT_NE(toy, nullptr);
  ASSERT_EQ(toy->setup.size(), 1u);
  EXPECT_EQ(toy->setup[0].operationId, "createPet");
}

TEST(Conformance, CorrectServerWithWorkersHasNoFindings) {
  PetServer server;
  auto report = tc::run(*contract(), allCases(3), options(server, 4));
  EXPECT_EQ(report.findingCount(), 0u) << describe(report);
}

struct FaultCase {
  Fault fault;
  const char* check;
};

class FaultTest : public ::testing::TestWithParam<FaultCase> {};

TEST_P(FaultTest, ReportedByTheRightCheck) {
  PetServer server(GetParam().fault);
  auto report = tc::run(*contract(), allCases(), options(server));
  auto found = checks(report);
  EXPECT_TRUE(found.count(GetParam().check)) << "expected " << GetParam().check << ", got:\n" << describe(report);
  EXPECT_EQ(report.exitCode(), 1);
  // Every finding carries its operation and a curl reproduction.
  for (const auto& c : report.cases) {
    for (const auto& f : c.findings) {
      EXPECT_FALSE(f.operation.empty());
      EXPECT_EQ(f.curl.rfind("curl ", 0), 0u) << f.curl;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Faults, FaultTest,
    ::testing::Values(FaultCase{Fault::WrongStatus, "expected-status"},
                      FaultCase{Fault::MissingField, "response-schema"},
                      FaultCase{Fault::WrongType, "response-schema"},
                      FaultCase{Fault::UndocumentedStatus, "status-documented"},
                      FaultCase{Fault::WrongContentType, "content-type"},
                      FaultCase{Fault::MissingHeader, "response-header"},
                      FaultCase{Fault::AuthIgnored, "auth"},
                      FaultCase{Fault::NoAllow, "method-not-allowed"},
                      FaultCase{Fault::ServerError, "server-error"},
                      FaultCase{Fault::NoProblemJson, "problem-json"},
                      FaultCase{Fault::AcceptsInvalid, "negative-data"},
                      FaultCase{Fault::ForeignTenantVisible, "bola"},
                      FaultCase{Fault::DeletedStillReadable, "use-after-delete"},
                      FaultCase{Fault::BrokenLink, "links"},
                      FaultCase{Fault::RejectsBoundary, "boundary"}),
    [](const auto& param) { return std::string(tc::testing::toString(param.param.fault)); });

TEST(Conformance, SchemaFindingNamesSchemaPathAndInstancePointer) {
  PetServer server(Fault::WrongType);
  auto report = tc::run(*contract(), allCases(), options(server));
  bool seen = false;
  for (const auto& c : report.cases) {
    for (const auto& f : c.findings) {
      if (f.check != "response-schema") continue;
      seen = true;
      EXPECT_NE(f.schemaPath.find("type"), std::string::npos) << f.schemaPath;
      EXPECT_NE(f.instancePointer.find("/id"), std::string::npos) << f.instancePointer;
    }
  }
  EXPECT_TRUE(seen);
}

TEST(Conformance, RetriesAfter429) {
  PetServer server(Fault::RateLimitOnce);
  tc::HttpClient client({.baseUrl = server.baseUrl(), .token = PetServer::kToken});
  tc::Request r;
  r.target = "/health";
  auto res = client.send(r);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.attempts, 2);
  EXPECT_EQ(server.requests(), 2);
}

TEST(Conformance, ReadOnlySendsNoUnsafeMethod) {
  PetServer server;
  auto cases = tc::loadSuites(kFixtures + "/suites");
  tc::GenerateOptions g;
  g.readOnly = true;
  for (auto& c : tc::generateCases(*contract(), g)) cases.push_back(std::move(c));
  auto o = options(server);
  o.readOnly = true;
  auto report = tc::run(*contract(), cases, o);
  EXPECT_EQ(server.unsafeRequests(), 0);
  EXPECT_GT(server.requests(), 0);
  EXPECT_EQ(report.count(tc::Outcome::Skipped), 1u);  // the lifecycle suite
  EXPECT_EQ(report.findingCount(), 0u) << describe(report);
}

TEST(Conformance, GeneratedCasesAreDeterministicPerSeed) {
  auto dump = [](const std::vector<tc::Case>& cases) {
    std::string s;
    for (const auto& c : cases) s += c.name + c.steps.front().request.dump() + "\n";
    return s;
  };
  tc::GenerateOptions a;
  a.seed = 42;
  EXPECT_EQ(dump(tc::generateCases(*contract(), a)), dump(tc::generateCases(*contract(), a)));
}

TEST(Conformance, CassetteReplaysAgainstAnotherBaseUrl) {
  std::stringstream cassette;
  {
    PetServer faulty(Fault::MissingHeader);
    auto report = tc::run(*contract(), allCases(), options(faulty));
    ASSERT_GT(report.findingCount(), 0u);
    tc::writeCassette(report, cassette);
  }
  auto replayed = tc::readCassette(cassette);
  ASSERT_FALSE(replayed.empty());
  {
    PetServer fixed;
    auto report = tc::run(*contract(), replayed, options(fixed));
    EXPECT_EQ(report.findingCount(), 0u) << describe(report);
  }
  {
    PetServer stillBroken(Fault::MissingHeader);
    auto report = tc::run(*contract(), replayed, options(stillBroken));
    EXPECT_TRUE(checks(report).count("response-header"));
  }
}

TEST(Conformance, ConnectionRefusedIsExitTwo) {
  tc::RunOptions o;
  o.client.baseUrl = "http://127.0.0.1:1";  // nothing listens on port 1
  o.client.connectTimeout = std::chrono::milliseconds(500);
  tc::GenerateOptions g;
  g.negative = g.auth = g.methods = false;
  auto report = tc::run(*contract(), tc::generateCases(*contract(), g), o);
  EXPECT_EQ(report.exitCode(), 2);
  EXPECT_TRUE(checks(report).count("transport"));
}

TEST(Suite, ParsesStepsCapturesAndTags) {
  auto c = tc::parseSuite(R"(
name: s
tags: [a, b]
setup: [{request: {path: /health}}]
steps:
  - name: one
    request: {method: post, path: /pets, json: {name: "${n}"}}
    expect: {status: [201, 2XX], body: {/name: x}}
    capture: {id: /id}
teardown: [{request: {method: DELETE, path: "/pets/${id}"}}]
)", "inline");
  EXPECT_EQ(c.tags, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(c.steps.size(), 1u);
  EXPECT_EQ(c.steps[0].expect.statuses, (std::vector<std::string>{"201", "2XX"}));
  EXPECT_EQ(c.steps[0].capture.at("id"), "/id");
  auto sub = tc::substitute(c.teardown[0].request, {{"id", 12}});
  EXPECT_EQ(tc::buildRequest(sub).target, "/pets/12");
  auto typed = tc::substitute(nlohmann::json{{"x", "${id}"}}, {{"id", 12}});
  EXPECT_EQ(typed["x"], 12);
}

TEST(Suite, RejectsMalformedSuites) {
  EXPECT_THROW(tc::parseSuite("steps: [{request: {path: /x}, expct: {}}]", "t"), tc::SuiteError);
  EXPECT_THROW(tc::parseSuite("name: no steps", "t"), tc::SuiteError);
  EXPECT_THROW(tc::parseSuite("steps: [{request: {method: GET}}]", "t"), tc::SuiteError);
  EXPECT_THROW(tc::parseSuite("steps: [{request: {path: /x}, capture: {a: nope}}]", "t"), tc::SuiteError);
  EXPECT_THROW(tc::parseSuite("steps: [", "t"), tc::SuiteError);
  EXPECT_THROW(tc::substitute(nlohmann::json("${missing}"), {}), tc::SuiteError);
}

TEST(Http, HostsAndCurlLines) {
  EXPECT_EQ(tc::urlHost("http://127.0.0.1:8080/x"), "127.0.0.1");
  EXPECT_EQ(tc::urlHost("https://[::1]:1/"), "::1");
  EXPECT_EQ(tc::urlHost("https://user@api.example.com/v1"), "api.example.com");
  EXPECT_TRUE(tc::isLoopbackHost("localhost"));
  EXPECT_TRUE(tc::isLoopbackHost("127.0.0.2"));
  EXPECT_FALSE(tc::isLoopbackHost("127.example.com"));
  EXPECT_FALSE(tc::isLoopbackHost("10.0.0.1"));
  tc::Request r;
  r.method = "POST";
  r.target = "/pets";
  r.body = R"({"name":"it's"})";
  auto line = tc::curlCommand(r, "http://h/");
  EXPECT_EQ(line, R"(curl -sS -i -X POST -H "Authorization: Bearer $TOKEN" --data-raw '{"name":"it'\''s"}' 'http://h/pets')");
  EXPECT_EQ(tc::parseRetryAfter("3")->count(), 3000);
  EXPECT_FALSE(tc::parseRetryAfter("soon"));
}

namespace {
int runCli(const std::string& args) {
  std::string cmd = std::string(TETHER_CONFORM_BIN) + " " + args + " >/dev/null 2>&1";
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}
}  // namespace

TEST(Cli, ExitCodesAndReports) {
  const std::string spec = " --spec " + kFixtures + "/pets.yaml";
  EXPECT_EQ(runCli("run" + spec + " --base-url http://api.example.com"), 2);
  EXPECT_EQ(runCli("run" + spec + " --base-url http://127.0.0.1:1 --token sk_live_abc"), 2);
  EXPECT_EQ(runCli("run --base-url http://127.0.0.1:1"), 2);
  auto dir = std::filesystem::temp_directory_path() / ("tether-conform-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    PetServer server;
    EXPECT_EQ(runCli("run" + spec + " --base-url " + server.baseUrl() + " --token good-token --suite " + kFixtures +
                     "/suites --workers 2 --seed 5 --junit " + (dir / "ok.xml").string()),
              0);
  }
  {
    PetServer server(Fault::MissingHeader);
    const std::string common = spec + " --base-url " + server.baseUrl() + " --token good-token";
    EXPECT_EQ(runCli("run" + common + " --json " + (dir / "r.json").string() + " --junit " +
                     (dir / "r.xml").string() + " --cassette-out " + (dir / "c.jsonl").string()),
              1);
    std::ifstream json(dir / "r.json");
    auto j = nlohmann::json::parse(json);
    EXPECT_GT(j["summary"]["findings"].get<int>(), 0);
    std::ifstream xml(dir / "r.xml");
    std::string text((std::istreambuf_iterator<char>(xml)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("<failure type=\"response-header\""), std::string::npos);
    EXPECT_EQ(runCli("replay" + common + " --cassette " + (dir / "c.jsonl").string() + " --cassette-out ''"), 1);
  }
  {
    PetServer fixed;
    EXPECT_EQ(runCli("replay" + spec + " --base-url " + fixed.baseUrl() + " --token good-token --cassette " +
                     (dir / "c.jsonl").string() + " --cassette-out ''"),
              0);
  }
  std::filesystem::remove_all(dir);
}

TEST(Suite, TeardownRunsAfterAFailureAndSkipsUncapturedVariables) {
  PetServer server;
  auto c = tc::parseSuite(R"(
name: failing
steps:
  - request: {method: POST, path: /pets, json: {name: a}}
    expect: {status: 200}
    capture: {id: /id}
  - request: {path: /health}
teardown:
  - request: {method: DELETE, path: "/pets/${never}"}
  - request: {method: DELETE, path: "/pets/1000"}
    expect: {status: 204}
)", "inline");
  auto report = tc::run(*contract(), {c}, options(server));
  ASSERT_EQ(report.cases.size(), 1u);
  // The expectation fails; the second step is not sent; the teardown deletes pet 1000.
  EXPECT_EQ(checks(report), (std::set<std::string>{"expected-status"})) << describe(report);
  EXPECT_EQ(report.cases[0].requests, 2);
  EXPECT_EQ(server.unsafeRequests(), 2);
}

// Ctrl-C: the run stops starting cases, deletes what it created and exits 130.
TEST(Cli, InterruptCleansUpAndExits130) {
  PetServer server;
  const std::string cmd = std::string(TETHER_CONFORM_BIN) + " run --spec " + kFixtures +
                          "/pets.yaml --base-url " + server.baseUrl() +
                          " --token good-token --rate 40 --quiet --cassette-out '' >/dev/null 2>&1";
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // Wait until the run has created something, then interrupt it.
  for (int i = 0; i < 200 && server.resources() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_GT(server.resources(), 0u);
  ::kill(pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_EQ(server.resources(), 0u);
  EXPECT_LT(server.requests(), 400);  // it stopped early
}
