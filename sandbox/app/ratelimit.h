// The rate limiter: a token bucket per API key (and per address for requests without a
// valid credential), its response headers and its 429. Where the buckets live depends on
// the backend; see spendToken().
#pragma once

#include <optional>
#include <string>

#include "services.h"
#include "tether/http/problem.h"

namespace tether::sandbox {

// Takes a token from `bucket` (an API key's id, or "ip:<address>" for requests without a
// valid credential). Sets both header families on `out`; returns a 429 when it was empty.
// On PostgreSQL the bucket is a row that every replica spends from (a transaction with
// SELECT ... FOR UPDATE per request); on SQLite, whose file one process serves, it is held
// in this process's memory (MemoryBuckets), which is exact there and needs no write.
std::optional<http::Problem> spendToken(const Services& services, const std::string& bucket, http::Headers& out);

}  // namespace tether::sandbox
