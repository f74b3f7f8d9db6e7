#include "ratelimit_buckets.h"

#include <algorithm>

namespace tether::sandbox {

namespace {
constexpr std::size_t kPruneAbove = 10000;  // buckets kept before full ones are dropped
}  // namespace

double MemoryBuckets::take(const std::string& bucket, double capacity, double perMs, std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  if (buckets_.size() >= kPruneAbove && !buckets_.count(bucket)) prune(capacity, perMs, nowMs);
  auto [it, fresh] = buckets_.try_emplace(bucket, Bucket{capacity, nowMs});
  Bucket& b = it->second;
  // A clock step backwards refills nothing rather than draining the bucket.
  const double elapsed = static_cast<double>(std::max<std::int64_t>(0, nowMs - b.refilledAtMs));
  const double available = std::min(capacity, b.tokens + elapsed * perMs);
  b.refilledAtMs = std::max(b.refilledAtMs, nowMs);
  if (available < 1.0) {
    b.tokens = available;
    return -1.0 - available;
  }
  b.tokens = available - 1.0;
  return b.tokens;
}

void MemoryBuckets::prune(double capacity, double perMs, std::int64_t nowMs) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    const double elapsed = static_cast<double>(std::max<std::int64_t>(0, nowMs - it->second.refilledAtMs));
    if (it->second.tokens + elapsed * perMs >= capacity) it = buckets_.erase(it);
    else ++it;
  }
}

}  // namespace tether::sandbox
