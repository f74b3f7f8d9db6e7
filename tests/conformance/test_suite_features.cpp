// Suite features of the runner against a small in-process server (cpp-httplib): polling
// (retry), repeat until a status, cursor pagination walks, SSE streams with Last-Event-ID,
// webhook deliveries to the runner's loopback receiver with Standard Webhooks signatures;
// plus the SSE parser, the signature check and the parser's errors on their own.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <regex>
#include <set>
#include <thread>

#include "sse.h"
#include "tether/conformance/checker.h"
#include "tether/conformance/runner.h"
#include "tether/conformance/suite.h"
#include "webhook_receiver.h"

namespace tc = tether::conformance;

namespace {

// The Standard Webhooks reference vector (standard-webhooks/standard-webhooks, the spec's
// example): this secret signs "msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}".
const std::string kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const std::string kId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const std::string kTimestamp = "1614265330";
const std::string kBody = R"({"test": 2432232314})";
const std::string kSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

tc::Headers vectorHeaders(const std::string& signature = kSignature) {
  return {{"webhook-id", kId}, {"webhook-timestamp", kTimestamp}, {"webhook-signature", signature}};
}

// Endpoints for each feature; see the suites below for what each answers.
class FeatureServer {
 public:
  FeatureServer() {
    server_.Get("/counter", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(nlohmann::json{{"n", ++counter_}}.dump(), "application/json");
    });
    server_.Get("/limited", [this](const httplib::Request&, httplib::Response& res) {
      if (++limited_ > 4) {
        res.status = 429;
        res.set_header("Retry-After", "1");
        res.set_content(R"({"status":429,"title":"Too many requests"})", "application/problem+json");
        return;
      }
      res.set_content("{}", "application/json");
    });
    // Seven items i0..i6; `cursor` is the start index. fault=dup overlaps pages by one,
    // fault=loop always points at index 2, fault=big sends one item more than `limit`.
    server_.Get("/items", [](const httplib::Request& req, httplib::Response& res) {
      const int limit = req.has_param("limit") ? std::stoi(req.get_param_value("limit")) : 3;
      const int start = req.has_param("cursor") ? std::stoi(req.get_param_value("cursor")) : 0;
      const std::string fault = req.get_param_value("fault");
      const int size = fault == "big" ? limit + 1 : limit;
      nlohmann::json page = {{"data", nlohmann::json::array()}, {"meta", {{"next_cursor", nullptr}}}};
      for (int i = start; i < std::min(start + size, 7); ++i) page["data"].push_back({{"id", "i" + std::to_string(i)}});
      int next = start + size;
      if (fault == "dup") next -= 1;
      if (fault == "loop") next = 2;
      if (start + size < 7) page["meta"]["next_cursor"] = std::to_string(next);
      res.set_content(page.dump(), "application/json");
    });
    // Events 1..3, resumed after Last-Event-ID; fault=dup sends event 2 twice.
    server_.Get("/stream", [](const httplib::Request& req, httplib::Response& res) {
      const int after = req.has_header("Last-Event-ID") ? std::stoi(req.get_header_value("Last-Event-ID")) : 0;
      std::string out = ": keep-alive\r\n\r\n";
      for (int i = after + 1; i <= 3; ++i) {
        out += "id: " + std::to_string(i) + "\r\nevent: tick\r\ndata: {\"n\":\r\ndata: " + std::to_string(i) + "}\r\n\r\n";
        if (i == 2 && req.get_param_value("fault") == "dup") out += "id: 2\nevent: tick\ndata: {}\n\n";
      }
      res.set_content(out, "text/event-stream");
    });
    // Delivers the reference webhook to the URL in the body; "bad": true alters the body
    // after signing.
    server_.Post("/emit", [](const httplib::Request& req, httplib::Response& res) {
      const auto in = nlohmann::json::parse(req.body);
      std::string url = in["url"].get<std::string>();
      const std::size_t path = url.find('/', url.find("://") + 3);
      httplib::Client client(url.substr(0, path));
      httplib::Headers headers;
      for (const auto& [k, v] : vectorHeaders()) headers.emplace(k, v);
      const std::string body = in.value("bad", false) ? R"({"test": 2432232315})" : kBody;
      auto sent = client.Post(url.substr(path), headers, body, "application/json");
      res.status = sent ? 202 : 502;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FeatureServer() {
    server_.stop();
    thread_.join();
  }
  std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> counter_{0}, limited_{0};
};

std::shared_ptr<tc::Contract> contract() {
  static auto c = tc::Contract::load(std::string(TETHER_CONFORMANCE_FIXTURES) + "/pets.yaml");
  return c;
}

// Runs suites given as YAML (their requests are outside the pets contract: schema: false).
tc::RunReport runSuites(const FeatureServer& server, const std::vector<std::string>& yaml, int workers = 1) {
  std::vector<tc::Case> cases;
  for (std::size_t i = 0; i < yaml.size(); ++i) cases.push_back(tc::parseSuite(yaml[i], "suite" + std::to_string(i)));
  tc::RunOptions o;
  o.client.baseUrl = server.baseUrl();
  o.client.timeout = std::chrono::milliseconds(5000);
  o.workers = workers;
  return tc::run(*contract(), cases, o);
}

std::vector<std::string> findings(const tc::CaseResult& c) {
  std::vector<std::string> out;
  for (const auto& f : c.findings) out.push_back(f.check + ": " + f.message);
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + "\n";
  return out;
}

}  // namespace

TEST(SuiteFeatures, SseParserFollowsTheEventStreamRules) {
  auto events = tc::parseEventStream(": comment\r\nid: 7\r\nevent: tick\r\ndata: a\r\ndata: b\r\n\r\ndata: plain\n\n"
                                     "id: 9\nevent: cut\ndata: never dispatched");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].id, "7");
  EXPECT_EQ(events[0].type, "tick");
  EXPECT_EQ(events[0].data, "a\nb");
  EXPECT_EQ(events[1].id, "");
  EXPECT_EQ(events[1].type, "message");
  auto view = tc::eventStreamView(tc::parseEventStream("id: 1\ndata: {\"x\":1}\n\nid: 2\nevent: end\ndata: x\n\n"));
  EXPECT_EQ(view["ids"], nlohmann::json::array({"1", "2"}));
  EXPECT_EQ(view["types"], nlohmann::json::array({"message", "end"}));
  EXPECT_EQ(view["last_id"], "2");
  EXPECT_EQ(view["events"][0]["data"]["x"], 1);  // JSON data is parsed
  EXPECT_EQ(view["events"][1]["data"], "x");
}

TEST(SuiteFeatures, SignatureCheckAcceptsTheReferenceVectorOnly) {
  EXPECT_EQ(tc::verifyWebhookSignature(kSecret, vectorHeaders(), kBody), "");
  // One matching entry among several (a secret rotation) is enough.
  EXPECT_EQ(tc::verifyWebhookSignature(kSecret, vectorHeaders("v1,bm90IGl0 " + kSignature), kBody), "");
  EXPECT_NE(tc::verifyWebhookSignature(kSecret, vectorHeaders(), R"({"test": 2432232315})"), "");
  EXPECT_NE(tc::verifyWebhookSignature("whsec_" + tc::base64Encode("another key"), vectorHeaders(), kBody), "");
  EXPECT_NE(tc::verifyWebhookSignature(kSecret, vectorHeaders("v2," + kSignature.substr(3)), kBody), "");
  EXPECT_NE(tc::verifyWebhookSignature(kSecret, {{"webhook-id", kId}}, kBody), "");
  EXPECT_NE(tc::verifyWebhookSignature("whsec_%%%", vectorHeaders(), kBody), "");
  // The vector is from 2021: with a tolerance it is too old.
  EXPECT_NE(tc::verifyWebhookSignature(kSecret, vectorHeaders(), kBody, 300).find("more than 300 s"), std::string::npos);
  EXPECT_EQ(tc::base64Decode(tc::base64Encode("ab")), "ab");
  EXPECT_FALSE(tc::base64Decode("abc").has_value());
}

TEST(SuiteFeatures, ParserReadsTheNewFieldsAndRejectsBadOnes) {
  tc::Case c = tc::parseSuite(R"(
steps:
  - request: {path: /a}
    retry: {attempts: 5, interval_ms: 10}
    paginate: {items: /items, next: /next, param: page, key: /name, max_pages: 3, collect: names}
    expect: {contains: {/keys: [a]}, excludes: {/keys: b}, events: {min: 1, max: 2, types: [x]}}
  - request: {path: /b}
    repeat: {count: 9, until_status: 503}
  - webhook: {within_ms: 100, secret: "${s}", match: {/type: ping}, tolerance_s: 60}
    capture: {id: /id, sig: "header:webhook-signature"}
)", "t");
  const tc::Step& a = c.steps[0];
  EXPECT_EQ(a.retry.attempts, 5);
  EXPECT_EQ(a.retry.intervalMs, 10);
  EXPECT_TRUE(a.paginate.enabled);
  EXPECT_EQ(a.paginate.items, "/items");
  EXPECT_EQ(a.paginate.param, "page");
  EXPECT_EQ(a.paginate.maxPages, 3);
  EXPECT_EQ(a.capture.at("names"), "/keys");  // collect is a capture of the walk's keys
  EXPECT_EQ(a.expect.contains.size(), 1u);
  EXPECT_EQ(a.expect.excludes.size(), 1u);
  EXPECT_TRUE(a.expect.events);
  EXPECT_EQ(a.expect.maxEvents, 2);
  EXPECT_EQ(c.steps[1].repeat.count, 9);
  EXPECT_EQ(c.steps[1].repeat.untilStatus, 503);
  const tc::Step& w = c.steps[2];
  EXPECT_TRUE(w.webhook.enabled);
  EXPECT_EQ(w.webhook.withinMs, 100);
  EXPECT_EQ(w.webhook.toleranceSeconds, 60);
  EXPECT_EQ(w.capture.at("sig"), "header:webhook-signature");

  auto error = [](const std::string& yaml) {
    try {
      tc::parseSuite(yaml, "t");
    } catch (const tc::SuiteError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error("steps: [{request: {path: /a}, retry: {attempts: 0}}]").find("retry.attempts"), std::string::npos);
  EXPECT_NE(error("steps: [{request: {path: /a}, retry: {times: 2}}]").find("unknown field 'times'"), std::string::npos);
  EXPECT_NE(error("steps: [{request: {path: /a}, repeat: {until_status: 429}}]").find("missing 'count'"),
            std::string::npos);
  EXPECT_NE(error("steps: [{request: {path: /a}, repeat: {count: 2}, retry: {attempts: 2}}]").find("cannot be combined"),
            std::string::npos);
  EXPECT_NE(error("steps: [{request: {path: /a}, webhook: {}}]").find("sends nothing"), std::string::npos);
  EXPECT_NE(error("steps: [{webhook: {match: {type: ping}}}]").find("not a JSON Pointer"), std::string::npos);
  EXPECT_NE(error("steps: [{request: {path: /a}, paginate: {key: id}}]").find("not a JSON Pointer"), std::string::npos);
  EXPECT_NE(error("steps: [{request: {path: /a}, expect: {events: {min: -1}}}]").find("events.min"), std::string::npos);
  EXPECT_NE(error("steps: [{name: no request}]").find("missing 'request'"), std::string::npos);
}

TEST(SuiteFeatures, RetryPollsUntilTheExpectationHoldsAndKeepsOnlyTheLastAttempt) {
  FeatureServer server;
  auto report = runSuites(server, {R"(
steps:
  - request: {path: /counter}
    retry: {attempts: 5, interval_ms: 1}
    expect: {status: 200, body: {/n: 3}, schema: false}
    capture: {n: /n}
  - request: {path: /counter}
    expect: {body: {/n: 4}, schema: false}
)"});
  ASSERT_EQ(report.cases.size(), 1u);
  EXPECT_TRUE(report.cases[0].findings.empty()) << joined(findings(report.cases[0]));
  EXPECT_EQ(report.cases[0].requests, 4);

  FeatureServer fresh;
  auto exhausted = runSuites(fresh, {R"(
steps:
  - request: {path: /counter}
    retry: {attempts: 2, interval_ms: 1}
    expect: {body: {/n: 5}, schema: false}
)"});
  // Two attempts, one finding: that of the last (n = 2).
  ASSERT_EQ(exhausted.cases[0].findings.size(), 1u) << joined(findings(exhausted.cases[0]));
  EXPECT_NE(exhausted.cases[0].findings[0].message.find("is 2, expected 5"), std::string::npos);
  EXPECT_EQ(exhausted.cases[0].requests, 2);
}

TEST(SuiteFeatures, RepeatSendsUntilTheStatusAndChecksThatResponse) {
  FeatureServer server;
  auto report = runSuites(server, {R"(
steps:
  - request: {path: /limited}
    repeat: {count: 20, until_status: 429}
    expect: {status: 429, headers: {Retry-After: "1", Content-Type: application/problem+json}, schema: false}
)"});
  EXPECT_TRUE(report.cases[0].findings.empty()) << joined(findings(report.cases[0]));
  EXPECT_EQ(report.cases[0].requests, 5);  // four answered, the fifth refused: no 429 retries

  FeatureServer fresh;
  auto never = runSuites(fresh, {R"(
steps:
  - request: {path: /limited}
    repeat: {count: 3, until_status: 429}
    expect: {schema: false}
)"});
  ASSERT_EQ(never.cases[0].findings.size(), 1u);
  EXPECT_EQ(never.cases[0].findings[0].check, "rate-limit");
}

TEST(SuiteFeatures, PaginationWalkCollectsEveryKeyOnceAndFlagsBrokenPaging) {
  FeatureServer server;
  auto report = runSuites(server, {R"(
steps:
  - request: {path: /items, query: {limit: 2}}
    paginate: {collect: ids}
    expect: {status: 200, body: {/pages: 4}, contains: {/keys: [i0, i3, i6]}, excludes: {/keys: [i7]}, schema: false}
  - request: {path: /items, query: {limit: 7}}
    expect: {body: {/data/6/id: i6}, schema: false}
    capture: {all: /data}
  - request: {path: /items, query: {limit: 3}}
    paginate: {}
    expect: {body: {/keys: "${ids}", /items: "${all}"}, schema: false}
)"});
  EXPECT_TRUE(report.cases[0].findings.empty()) << joined(findings(report.cases[0]));

  auto broken = runSuites(server, {
      R"(steps: [{request: {path: /items, query: {limit: 2, fault: dup}}, paginate: {}, expect: {schema: false}}])",
      R"(steps: [{request: {path: /items, query: {limit: 2, fault: loop}}, paginate: {}, expect: {schema: false}}])",
      R"(steps: [{request: {path: /items, query: {limit: 2, fault: big}}, paginate: {}, expect: {schema: false}}])",
      R"(steps: [{request: {path: /items, query: {limit: 1}}, paginate: {max_pages: 3}, expect: {schema: false}}])",
      R"(steps: [{request: {path: /items, query: {limit: 2}}, paginate: {}, expect: {contains: {/keys: [i9]}, schema: false}}])",
  });
  ASSERT_EQ(broken.cases.size(), 5u);
  auto only = [](const tc::CaseResult& c, const std::string& check, const std::string& text) {
    EXPECT_FALSE(c.findings.empty()) << check;
    for (const auto& f : c.findings) {
      EXPECT_EQ(f.check, check) << f.message;
      EXPECT_NE(f.message.find(text), std::string::npos) << f.message;
    }
  };
  only(broken.cases[0], "pagination", "and again on page");
  only(broken.cases[1], "pagination", "(a loop)");
  only(broken.cases[2], "pagination", "over limit=2");
  only(broken.cases[3], "pagination", "more than 3 pages");
  only(broken.cases[4], "expected-body", "lacks \"i9\"");
}

TEST(SuiteFeatures, EventStreamExpectationsAndResumeWithLastEventId) {
  FeatureServer server;
  auto report = runSuites(server, {R"(
steps:
  - request: {path: /stream}
    expect: {status: 200, events: {min: 3, max: 3, types: [tick]}, body: {/events/1/data/n: 2}, schema: false}
    capture: {seen: /ids, last: /last_id, first: /ids/0}
  - request: {path: /stream, headers: {Last-Event-ID: "${first}"}}
    expect: {events: {min: 2, max: 2}, excludes: {/ids: ["${first}"]}, contains: {/ids: ["${last}"]}, schema: false}
  - request: {path: /stream, headers: {Last-Event-ID: "${last}"}}
    expect: {events: {max: 0}, excludes: {/ids: "${seen}"}, schema: false}
)"});
  EXPECT_TRUE(report.cases[0].findings.empty()) << joined(findings(report.cases[0]));

  auto bad = runSuites(server, {
      R"(steps: [{request: {path: /stream, query: {fault: dup}}, expect: {events: {}, schema: false}}])",
      R"(steps: [{request: {path: /stream}, expect: {events: {min: 4, types: [tock]}, schema: false}}])",
      R"(steps: [{request: {path: /counter}, expect: {events: {}, schema: false}}])",
      R"(steps: [{request: {path: /stream, headers: {Last-Event-ID: "1"}}, expect: {excludes: {/ids: ["2"]}, schema: false}}])",
  });
  auto messages = [&](std::size_t i) { return joined(findings(bad.cases[i])); };
  EXPECT_NE(messages(0).find("sse: event id 2 appears twice"), std::string::npos) << messages(0);
  EXPECT_NE(messages(1).find("expected at least 4"), std::string::npos) << messages(1);
  EXPECT_NE(messages(1).find("type 'tick', not one of tock"), std::string::npos) << messages(1);
  EXPECT_NE(messages(2).find("sse: expected a text/event-stream"), std::string::npos) << messages(2);
  EXPECT_NE(messages(3).find("/ids holds \"2\""), std::string::npos) << messages(3);
}

TEST(SuiteFeatures, WebhookDeliveriesReachEachCaseSignedOrNot) {
  FeatureServer server;
  // Two cases at once, each with its own receiver path: one gets a correctly signed
  // delivery, the other a tampered one; neither sees the other's.
  const std::string good = R"(
name: good
variables: {secret: ")" + kSecret + R"("}
steps:
  - request: {method: POST, path: /emit, json: {url: "${webhook_url}"}}
    expect: {status: 202, schema: false}
  - webhook: {within_ms: 5000, secret: "${secret}", match: {/test: 2432232314}}
    expect: {headers: {webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek}, body: {/test: 2432232314}}
    capture: {id: "header:webhook-id", value: /test}
  - request: {path: /counter}
    expect: {status: 200, schema: false}
)";
  const std::string tampered = R"(
name: tampered
steps:
  - request: {method: POST, path: /emit, json: {url: "${webhook_url}", bad: true}}
    expect: {status: 202, schema: false}
  - webhook: {within_ms: 5000, secret: ")" + kSecret + R"("}
)";
  const std::string silent = R"(
name: silent
steps:
  - webhook: {within_ms: 200, match: {/type: ping}}
)";
  auto report = runSuites(server, {good, tampered, silent}, 3);
  ASSERT_EQ(report.cases.size(), 3u);
  EXPECT_TRUE(report.cases[0].findings.empty()) << joined(findings(report.cases[0]));
  ASSERT_EQ(report.cases[1].findings.size(), 1u) << joined(findings(report.cases[1]));
  EXPECT_EQ(report.cases[1].findings[0].check, "webhook-signature");
  ASSERT_EQ(report.cases[2].findings.size(), 1u) << joined(findings(report.cases[2]));
  EXPECT_EQ(report.cases[2].findings[0].check, "webhook-delivery");
  EXPECT_NE(report.cases[2].findings[0].message.find("within 200 ms"), std::string::npos);
}

TEST(SuiteFeatures, BuiltinVariablesDifferPerCase) {
  FeatureServer server;
  std::set<std::string> targets;
  // The requests a report keeps are those of findings: an expectation that fails shows them.
  const std::string failing = R"(
steps:
  - request: {path: "/items", query: {tag: "${unique}", hook: "${webhook_url}", key: "${uuid}"}}
    expect: {status: 500, schema: false}
)";
  auto seen = runSuites(server, {failing, failing}, 2);
  const std::regex uuid("key=[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}($|&)");
  for (const auto& c : seen.cases) {
    ASSERT_EQ(c.findings.size(), 1u);
    targets.insert(c.findings[0].request.target);
    EXPECT_NE(c.findings[0].request.target.find("%2Fhooks%2F"), std::string::npos) << c.findings[0].request.target;
    EXPECT_TRUE(std::regex_search(c.findings[0].request.target, uuid)) << c.findings[0].request.target;
  }
  EXPECT_EQ(targets.size(), 2u);
}

TEST(SuiteFeatures, ACheckNameOnTheExpectationNamesEveryFailureOfTheStep) {
  FeatureServer server;
  auto report = runSuites(server, {R"(
steps:
  - request: {path: /counter}
    expect: {check: idempotency, status: 201, headers: {Idempotent-Replayed: "true"}, body: {/n: 7}, schema: false}
)", R"(
steps:
  - request: {path: /counter}
    expect: {status: 201, schema: false}
)"});
  ASSERT_EQ(report.cases.size(), 2u);
  std::set<std::string> named;
  for (const auto& f : report.cases[0].findings) named.insert(f.check);
  // Status, header and body all failed, all under the step's name.
  EXPECT_EQ(report.cases[0].findings.size(), 3u) << joined(findings(report.cases[0]));
  EXPECT_EQ(named, std::set<std::string>{"idempotency"});
  ASSERT_EQ(report.cases[1].findings.size(), 1u);
  EXPECT_EQ(report.cases[1].findings[0].check, "expected-status");  // the default stays
  EXPECT_THROW(tc::parseSuite("steps: [{request: {path: /}, expect: {check: ''}}]", "t"), tc::SuiteError);
}
