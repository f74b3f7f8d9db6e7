// Background work that moves with the clock: lifecycles (a deployment building, a database
// provisioning) and webhook deliveries. Handlers register their work when they are made;
// the sandbox runs every registered job on one thread, every `period` of real time, from
// its construction to its destruction. A job that throws is logged and runs again next
// tick. Jobs must be idempotent: on PostgreSQL several replicas tick the same rows, so a
// job claims a row with a conditional UPDATE (… WHERE status = 'queued') before acting.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tether::sandbox {

class Ticker {
 public:
  Ticker() = default;
  ~Ticker() { stop(); }
  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;

  void add(std::string name, std::function<void()> job);
  void start(std::chrono::milliseconds period);
  void stop();
  // Runs every job once, now, on the caller's thread (tests that want no waiting).
  void tick();

 private:
  struct Job {
    std::string name;
    std::function<void()> run;
  };
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Job> jobs_;
  std::mutex tickMutex_;  // one tick at a time, background or tick()
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace tether::sandbox
