#include "case_runner.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <iomanip>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "expectations.h"
#include "webhook_receiver.h"

namespace tether::conformance {

namespace {

// A random version-4 UUID (RFC 9562), for values a spec declares `format: uuid`, such as
// the Cloud API's Idempotency-Key, which a server asserting formats refuses otherwise.
std::string randomUuid(std::mt19937_64& random) {
  const std::uint64_t high = (random() & ~0xF000ull) | 0x4000ull;                          // version 4
  const std::uint64_t low = (random() & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // variant 10
  std::ostringstream out;
  out << std::hex << std::setfill('0') << std::setw(8) << (high >> 32) << '-' << std::setw(4) << ((high >> 16) & 0xFFFF)
      << '-' << std::setw(4) << (high & 0xFFFF) << '-' << std::setw(4) << (low >> 48) << '-' << std::setw(12)
      << (low & 0xFFFFFFFFFFFFull);
  return out.str();
}

}  // namespace

struct CaseRunner::Impl {
 public:
  Impl(const Contract& contract, HttpClient& client, const RunOptions& options, Counters& counters,
       std::shared_ptr<RateLimiter> limiter, WebhookReceiver* receiver)
      : contract_(contract), client_(client), options_(options), counters_(counters), limiter_(std::move(limiter)),
        receiver_(receiver) {}

  CaseResult run(const Case& c) {
    CaseResult result;
    result.name = c.name;
    result.kind = c.kind;
    result.tags = c.tags;
    auto start = std::chrono::steady_clock::now();
    if (options_.readOnly) {
      for (const auto* list : {&c.setup, &c.steps, &c.teardown}) {
        for (const auto& s : *list) {
          if (s.webhook.enabled) continue;  // sends nothing
          std::string m = s.request.value("method", "GET");
          if (s.request.contains("raw")) m = s.request["raw"].value("method", "GET");
          std::transform(m.begin(), m.end(), m.begin(), [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
          if (!isSafeMethod(m)) {
            result.outcome = Outcome::Skipped;
            result.skipReason = "--read-only: the case sends " + m;
            return result;
          }
        }
      }
    }
    std::map<std::string, nlohmann::json> vars = builtinVariables();
    for (const auto& [name, value] : c.variables) vars[name] = value;  // a suite may override them
    bool ok = runSteps(c.setup, vars, result, false);
    const std::string refused = ok ? std::string() : setupRefusal(result);
    if (ok) runSteps(c.steps, vars, result, false);
    runSteps(c.teardown, vars, result, true);  // always, also after a failure
    result.outcome = result.findings.empty() ? Outcome::Passed : Outcome::Failed;
    if (!refused.empty() && result.findings.empty()) {
      result.outcome = Outcome::Skipped;
      result.skipReason = refused;
    }
    result.durationMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return result;
  }

 private:
  // A generated case whose resources could not be created (its setup answered a documented
  // refusal, check "setup") checked nothing: it is skipped with the reason, not failed.
  // Contract findings on the setup's responses stay.
  static std::string setupRefusal(CaseResult& result) {
    std::string reason;
    for (const auto& f : result.findings) {
      if (f.check != "setup" && f.check != "capture") return {};
      if (f.check == "setup" && reason.empty()) reason = f.operation + ": " + f.message + " " + f.response.body.substr(0, 200);
    }
    if (reason.empty()) return {};
    result.findings.clear();
    result.expectations.clear();
    return "setup refused: " + reason;
  }

  // ${unique}: 16 random hex digits per case, for names and Idempotency-Keys that must not
  // collide with other cases or earlier runs against the same deployment; ${uuid}: a random
  // UUID per case, where the spec asks for one;
  // ${webhook_url} (and ${webhook_https_url} for APIs that accept only https:// and deliver
  // plain HTTP to loopback, as the sandbox does): this case's own path on the receiver.
  std::map<std::string, nlohmann::json> builtinVariables() {
    thread_local std::mt19937_64 random{std::random_device{}()};
    std::ostringstream unique;
    unique << std::hex << std::setw(16) << std::setfill('0') << random();
    std::map<std::string, nlohmann::json> vars = {{"unique", unique.str()}, {"uuid", randomUuid(random)}};
    if (receiver_) {
      hookPath_ = receiver_->newPath();
      vars["webhook_url"] = receiver_->origin() + hookPath_;
      vars["webhook_https_url"] = "https" + receiver_->origin().substr(4) + hookPath_;
    }
    return vars;
  }

  // In teardown every step runs, and a step whose variables were never captured (the
  // resource was not created) is skipped without a finding.
  bool runSteps(const std::vector<Step>& steps, std::map<std::string, nlohmann::json>& vars, CaseResult& result,
                bool teardown) {
    bool ok = true;
    for (const Step& s : steps) {
      if (!runStep(s, vars, result, teardown)) {
        ok = false;
        if (!teardown) return false;
      }
    }
    return ok;
  }

  // Sends one request: counts it and tells the run's observers (cleanup tracking).
  Response send(const Request& request, CaseResult& result, HttpClient& client) {
    Response response = client.send(request);
    if (options_.onResponse && response.ok()) options_.onResponse(request, response);
    ++result.requests;
    ++counters_.requests;
    if (response.ok()) ++counters_.responses;
    else ++counters_.transportErrors;
    return response;
  }

  // Findings of one attempt of a step, and what it captured; kept only if it is the last.
  struct Attempt {
    std::vector<Finding> findings;
    std::map<std::string, nlohmann::json> captured;
    bool templateError = false;
  };

  // `retry:` re-runs the whole step (send, check, capture) until an attempt has no finding.
  bool runStep(const Step& step, std::map<std::string, nlohmann::json>& vars, CaseResult& result, bool teardown) {
    const std::size_t before = result.findings.size();
    Attempt attempt;
    for (int n = 1;; ++n) {
      attempt = Attempt{};
      attemptStep(step, vars, result, attempt);
      if (attempt.templateError && teardown) return true;
      if (attempt.findings.empty() || attempt.templateError || n >= step.retry.attempts) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(step.retry.intervalMs));
    }
    for (auto& [var, value] : attempt.captured) vars[var] = std::move(value);
    for (auto& f : attempt.findings) result.findings.push_back(std::move(f));
    while (result.expectations.size() < result.findings.size()) result.expectations.push_back(expectationToJson(step.expect));
    return result.findings.size() == before;
  }

  // Builds a Report that records findings about `request`/`response` into `out`.
  Report reporter(std::vector<Finding>& out, const std::string& opName, const Request& request,
                  const Response& response, bool curl = true) {
    return [&out, opName, request, response, curl, this](const std::string& check, const std::string& message,
                                                       const std::string& pointer) {
      Finding f;
      f.check = check;
      f.operation = opName;
      f.message = message;
      f.instancePointer = pointer;
      if (curl) f.curl = curlCommand(request, options_.client.baseUrl);
      f.request = request;
      f.response = response;
      out.push_back(std::move(f));
    };
  }

  void attemptStep(const Step& step, const std::map<std::string, nlohmann::json>& vars, CaseResult& result,
                   Attempt& a) {
    Request request;
    Expectation expect;
    WebhookWait hook = step.webhook;
    try {
      if (!hook.enabled)
        request = buildRequest(step.request.contains("raw") ? step.request : substitute(step.request, vars));
      expect = substituteExpectation(step.expect, vars);
      for (auto& [ptr, v] : hook.match) v = substitute(v, vars);
      if (!hook.secret.is_null()) hook.secret = substitute(hook.secret, vars);
    } catch (const std::exception& e) {
      a.templateError = true;
      Finding f;
      f.check = "suite";
      f.operation = step.name;
      f.message = e.what();
      a.findings.push_back(std::move(f));
      return;
    }
    if (hook.enabled) return receiveWebhook(step, hook, expect, a);

    const ir::Operation* op = step.operationId.empty() ? nullptr : contract_.byId(step.operationId);
    if (!op) op = contract_.match(request.method, request.target);
    const std::string opName = op ? operationName(*op) : request.method + " " + request.target;
    if (step.paginate.enabled) return walkPages(step, request, expect, op, opName, result, a);

    Response response;
    if (step.repeat.count > 0) {
      // Sent without the client's own 429 retries: here the 429 is what the step waits for.
      ClientOptions once = options_.client;
      once.maxRetries = 0;
      HttpClient client(once, limiter_);
      for (int i = 0; i < step.repeat.count; ++i) {
        response = send(request, result, client);
        if (!response.ok() || response.status == step.repeat.untilStatus) break;
      }
    } else {
      response = send(request, result, client_);
    }
    const Report add = reporter(a.findings, opName, request, response);
    if (!response.ok()) return add("transport", "no response: " + response.error, "");
    if (step.repeat.count > 0 && response.status != step.repeat.untilStatus)
      return add("rate-limit", "no " + std::to_string(step.repeat.untilStatus) + " in " +
                                   std::to_string(step.repeat.count) + " requests", "");
    checkStatus(expect, response.status, add);
    checkHeaders(expect, response.headers, add);
    const nlohmann::json view = responseView(expect, response, add);
    checkView(expect, view, add);
    checkContract(expect, op, request, response, add, a.findings);
    captureFrom(step.capture, view, response.headers, a.captured, add);
  }

  void checkContract(const Expectation& expect, const ir::Operation* op, const Request& request,
                     const Response& response, const Report& add, std::vector<Finding>& out) {
    if (expect.schema && op) {
      for (auto& f : checkResponse(contract_, *op, request, response, options_.client.baseUrl, options_.checks))
        out.push_back(std::move(f));
    } else if (expect.schema && !op && response.status != 405) {
      add("operation-documented", request.method + " " + request.target + " matches no operation of the spec", "");
    }
  }

  // `paginate:` status, headers and the contract apply to every page; body, contains and
  // captures to the walk's view {keys, items, pages}.
  void walkPages(const Step& step, const Request& first, const Expectation& expect, const ir::Operation* op,
                 const std::string& opName, CaseResult& result, Attempt& a) {
    const Paginate& g = step.paginate;
    const std::optional<long long> limit = queryInteger(first.target, g.limitParam);
    nlohmann::json view = {{"keys", nlohmann::json::array()}, {"items", nlohmann::json::array()}, {"pages", 0}};
    std::map<std::string, int> pageOfKey;
    std::set<std::string> cursors;
    Request page = first;
    Headers lastHeaders;
    for (int n = 1;; ++n) {
      const Response response = send(page, result, client_);
      view["pages"] = n;
      const Report add = reporter(a.findings, opName, page, response);
      if (!response.ok()) return add("transport", "no response: " + response.error, "");
      checkStatus(expect, response.status, add);
      checkHeaders(expect, response.headers, add);
      checkContract(expect, op, page, response, add, a.findings);
      lastHeaders = response.headers;
      const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
      const nlohmann::json* items = nullptr;
      if (!body.is_discarded() && body.contains(nlohmann::json::json_pointer(g.items))) items = &body.at(nlohmann::json::json_pointer(g.items));
      if (!items || !items->is_array()) return add("pagination", "page " + std::to_string(n) + " has no array at " + g.items, g.items);
      if (limit && static_cast<long long>(items->size()) > *limit)
        add("pagination", "page " + std::to_string(n) + " has " + std::to_string(items->size()) + " items, over " +
                              g.limitParam + "=" + std::to_string(*limit), g.items);
      for (const auto& item : *items) {
        const nlohmann::json::json_pointer keyPtr(g.key);
        if (!item.contains(keyPtr)) {
          add("pagination", "an item of page " + std::to_string(n) + " has no " + g.key, g.items);
          continue;
        }
        const nlohmann::json& key = item.at(keyPtr);
        auto [it, fresh] = pageOfKey.emplace(key.dump(), n);
        if (!fresh)
          add("pagination", key.dump() + " is on page " + std::to_string(it->second) + " and again on page " +
                                std::to_string(n), g.items);
        view["keys"].push_back(key);
        view["items"].push_back(item);
      }
      const nlohmann::json::json_pointer nextPtr(g.next);
      if (!body.contains(nextPtr) || !body.at(nextPtr).is_string() || body.at(nextPtr).get<std::string>().empty()) break;
      const std::string cursor = body.at(nextPtr).get<std::string>();
      if (!cursors.insert(cursor).second) {
        add("pagination", "page " + std::to_string(n) + " points back to cursor " + cursor + " (a loop)", g.next);
        break;
      }
      if (n >= g.maxPages) {
        add("pagination", "more than " + std::to_string(g.maxPages) + " pages (max_pages)", g.next);
        break;
      }
      page.target = withQueryParam(first.target, g.param, cursor);
    }
    const Report add = reporter(a.findings, opName, page, Response{}, false);
    checkView(expect, view, add);
    captureFrom(step.capture, view, lastHeaders, a.captured, add);
  }

  // `webhook:` takes the first delivery to this case's path whose body matches, checks its
  // signature, then the expectations (headers, body, contains) and captures against it.
  void receiveWebhook(const Step& step, const WebhookWait& hook, const Expectation& expect, Attempt& a) {
    Request seen;
    seen.method = "POST";
    seen.target = hookPath_;
    const std::string what = "webhook " + step.name;
    if (!receiver_) {
      reporter(a.findings, what, seen, Response{}, false)("suite", "the run has no webhook receiver", "");
      return;
    }
    auto matches = [&](const Delivery& d) {
      const nlohmann::json body = nlohmann::json::parse(d.body, nullptr, false);
      if (body.is_discarded()) return hook.match.empty();
      return std::all_of(hook.match.begin(), hook.match.end(), [&](const auto& m) {
        const nlohmann::json::json_pointer ptr(m.first);
        return body.contains(ptr) && body.at(ptr) == m.second;
      });
    };
    std::optional<Delivery> d = receiver_->take(hookPath_, matches, std::chrono::milliseconds(hook.withinMs));
    if (!d) {
      nlohmann::json filter = nlohmann::json::object();
      for (const auto& [ptr, v] : hook.match) filter[ptr] = v;
      reporter(a.findings, what, seen, Response{}, false)(
          "webhook-delivery", "no delivery to " + hookPath_ + " matching " + filter.dump() + " within " +
                                  std::to_string(hook.withinMs) + " ms (" + std::to_string(receiver_->pending(hookPath_)) +
                                  " others waiting)", "");
      return;
    }
    seen.headers = d->headers;
    seen.body = d->body;
    const Report add = reporter(a.findings, what, seen, Response{}, false);
    if (!hook.secret.is_null()) {
      const std::string why = verifyWebhookSignature(hook.secret.is_string() ? hook.secret.get<std::string>() : hook.secret.dump(),
                                                     d->headers, d->body, hook.toleranceSeconds);
      if (!why.empty()) add("webhook-signature", why, "");
    }
    checkHeaders(expect, d->headers, add);
    const nlohmann::json view = nlohmann::json::parse(d->body, nullptr, false);
    if (view.is_discarded()) add("webhook-delivery", "the delivered body is not JSON", "");
    checkView(expect, view, add);
    captureFrom(step.capture, view, d->headers, a.captured, add);
  }

  const Contract& contract_;
  HttpClient& client_;
  const RunOptions& options_;
  Counters& counters_;
  std::shared_ptr<RateLimiter> limiter_;
  WebhookReceiver* receiver_ = nullptr;
  std::string hookPath_;  // this case's path on the receiver
};

CaseRunner::CaseRunner(const Contract& contract, HttpClient& client, const RunOptions& options, Counters& counters,
                       std::shared_ptr<RateLimiter> limiter, WebhookReceiver* receiver)
    : impl_(std::make_unique<Impl>(contract, client, options, counters, std::move(limiter), receiver)) {}

CaseRunner::~CaseRunner() = default;

CaseResult CaseRunner::run(const Case& c) { return impl_->run(c); }

bool usesWebhooks(const Case& c) {
  for (const auto* list : {&c.setup, &c.steps, &c.teardown})
    for (const auto& s : *list)
      if (s.webhook.enabled || s.request.dump().find("${webhook_") != std::string::npos) return true;
  return false;
}


}  // namespace tether::conformance
