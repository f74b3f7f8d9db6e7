#include "ticker.h"

#include <exception>
#include <iostream>

#include <nlohmann/json.hpp>

namespace tether::sandbox {

void Ticker::add(std::string name, std::function<void()> job) {
  std::lock_guard lock(mutex_);
  jobs_.push_back({std::move(name), std::move(job)});
}

void Ticker::start(std::chrono::milliseconds period) {
  std::lock_guard guard(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this, period] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      if (wake_.wait_for(lock, period, [this] { return stopping_; })) break;
      lock.unlock();
      tick();
      lock.lock();
    }
  });
}

void Ticker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Ticker::tick() {
  std::lock_guard once(tickMutex_);
  std::vector<Job> jobs;
  {
    std::lock_guard lock(mutex_);
    jobs = jobs_;
  }
  for (const Job& job : jobs) {
    try {
      job.run();
    } catch (const std::exception& e) {
      nlohmann::json line = {{"level", "error"}, {"msg", "background job failed"}, {"job", job.name}, {"error", e.what()}};
      std::cerr << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n" << std::flush;
    }
  }
}

}  // namespace tether::sandbox
