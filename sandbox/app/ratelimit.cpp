#include "ratelimit.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "problems.h"

namespace tether::sandbox {

namespace {

std::int64_t realNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The PostgreSQL store: one row per bucket, shared by the replicas.
double takeFromDatabase(Database& db, const std::string& bucket, double capacity, double perMs, std::int64_t now) {
  return db.transact([&](storage::Connection& c) {
    auto seed = c.prepare(
        "INSERT INTO rate_buckets (key_id, tokens, refilled_at_ms) VALUES ($1, $2, $3) ON CONFLICT (key_id) DO "
        "NOTHING");
    seed->bind_text(1, bucket).bind_double(2, capacity).bind_int(3, now);
    seed->run();
    // FOR UPDATE: two replicas take turns on the bucket.
    auto q = c.prepare("SELECT tokens, refilled_at_ms FROM rate_buckets WHERE key_id = $1 FOR UPDATE");
    q->bind_text(1, bucket);
    q->step();
    double available = std::min(capacity, q->real(0) + static_cast<double>(now - q->int64(1)) * perMs);
    double after = available >= 1.0 ? available - 1.0 : available;
    auto write = c.prepare("UPDATE rate_buckets SET tokens = $1, refilled_at_ms = $2 WHERE key_id = $3");
    write->bind_double(1, after).bind_int(2, now).bind_text(3, bucket);
    write->run();
    return available >= 1.0 ? after : -1.0 - available;  // negative: refused, carrying what was there
  });
}

}  // namespace

std::optional<http::Problem> spendToken(const Services& services, const std::string& bucket, http::Headers& out) {
  const double capacity = services.config.rateLimit;
  const double perMs = capacity / (services.config.rateWindowSeconds * 1000.0);
  const std::int64_t now = realNowMs();
  // Negative: refused, carrying what the bucket held.
  const double tokens = services.db.backend() == storage::Backend::Postgres
                            ? takeFromDatabase(services.db, bucket, capacity, perMs, now)
                            : services.db.memoryBuckets().take(bucket, capacity, perMs, now);
  const bool refused = tokens < 0;
  const double left = refused ? -1.0 - tokens : tokens;
  const auto limit = static_cast<std::int64_t>(capacity);
  const auto remaining = static_cast<std::int64_t>(std::floor(left));
  const auto reset = static_cast<std::int64_t>(std::ceil((capacity - left) / perMs / 1000.0));
  out.set("X-RateLimit-Limit", std::to_string(limit));
  out.set("X-RateLimit-Remaining", std::to_string(remaining));
  out.set("X-RateLimit-Reset", std::to_string(reset));
  out.set("RateLimit-Policy",
          "\"default\";q=" + std::to_string(limit) + ";w=" + std::to_string(services.config.rateWindowSeconds));
  out.set("RateLimit", "\"default\";r=" + std::to_string(remaining) + ";t=" + std::to_string(reset));
  if (!refused) return std::nullopt;
  const auto retry = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil((1.0 - left) / perMs / 1000.0)));
  http::Problem p = http::makeProblem(429, "RATE_LIMITED",
                                      "The rate limit of " + std::to_string(limit) + " requests per " +
                                          std::to_string(services.config.rateWindowSeconds) + " s is exhausted.");
  p.headers = out;
  p.headers.set("Retry-After", std::to_string(retry));
  return p;
}

}  // namespace tether::sandbox
