// Token buckets held in this process's memory: the rate limiter's store on SQLite. A
// SQLite database is a local file that one sandbox process serves, so a bucket kept here
// is exact, and spending from it costs no write transaction (a commit with fsync per
// request was the sandbox's ceiling: bench/sandbox_load). PostgreSQL deployments keep the
// buckets in the database, shared by the replicas (ratelimit.cpp).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace tether::sandbox {

class MemoryBuckets {
 public:
  // Refills `bucket` for the time since it was last touched (`perMs` tokens per ms, at most
  // `capacity`), then takes one token if there is one. Returns the tokens left after the
  // take, or, when the bucket was empty, -1 - what it held (the same encoding as the
  // database store).
  double take(const std::string& bucket, double capacity, double perMs, std::int64_t nowMs);

 private:
  struct Bucket {
    double tokens;
    std::int64_t refilledAtMs;
  };
  // Drops buckets that have refilled to capacity: such a bucket and no bucket at all
  // answer alike, so memory stays bounded by the buckets in recent use.
  void prune(double capacity, double perMs, std::int64_t nowMs);

  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace tether::sandbox
