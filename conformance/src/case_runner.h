// One worker's runner of cases: setup, steps and teardown with their variables, and per
// step the features of the suite format (retry, repeat, pagination walks, webhook waits);
// what each response is checked against lives in expectations.h.
#pragma once

#include <atomic>
#include <memory>

#include "tether/conformance/runner.h"

namespace tether::conformance {

class WebhookReceiver;

// Request counts of a whole run, shared by its workers.
struct Counters {
  std::atomic<int> requests{0}, responses{0}, transportErrors{0};
};

class CaseRunner {
 public:
  // `receiver` may be null: then webhook steps fail (check `suite`) and ${webhook_url} is unknown.
  CaseRunner(const Contract& contract, HttpClient& client, const RunOptions& options, Counters& counters,
             std::shared_ptr<RateLimiter> limiter, WebhookReceiver* receiver);
  ~CaseRunner();
  CaseRunner(const CaseRunner&) = delete;
  CaseRunner& operator=(const CaseRunner&) = delete;

  CaseResult run(const Case& c);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Whether a case waits for webhooks or sends ${webhook_url} (the run then starts a receiver).
bool usesWebhooks(const Case& c);

}  // namespace tether::conformance
