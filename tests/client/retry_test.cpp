// Retry decisions, Retry-After and HTTP-date parsing, and the jittered back-off.
#include <gtest/gtest.h>

#include "tether/client/retry.h"

namespace tether::client {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

// 1994-11-06T08:49:37Z
constexpr std::int64_t kRfcExample = 784111777;

TEST(Retry, IdempotentMethodsAndKeyedRequests) {
  for (const char* method : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "get"}) {
    EXPECT_TRUE(isIdempotent({.method = method})) << method;
  }
  EXPECT_FALSE(isIdempotent({.method = "POST"}));
  EXPECT_FALSE(isIdempotent({.method = "PATCH"}));
  EXPECT_TRUE(isIdempotent({.method = "POST", .headers = {{"idempotency-key", "k"}}}));
}

TEST(Retry, StatusesWorthRetrying) {
  for (int status : {429, 503}) {
    EXPECT_TRUE(shouldRetryStatus(status, false)) << status;
    EXPECT_TRUE(shouldRetryStatus(status, true)) << status;
  }
  for (int status : {502, 504}) {
    EXPECT_FALSE(shouldRetryStatus(status, false)) << status;
    EXPECT_TRUE(shouldRetryStatus(status, true)) << status;
  }
  for (int status : {200, 400, 401, 404, 409, 422, 500, 501}) EXPECT_FALSE(shouldRetryStatus(status, true)) << status;
}

TEST(Retry, HttpDatesInAllThreeForms) {
  EXPECT_EQ(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), kRfcExample);
  EXPECT_EQ(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), kRfcExample);
  EXPECT_EQ(parseHttpDate("Sun Nov  6 08:49:37 1994"), kRfcExample);
  EXPECT_EQ(parseHttpDate("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  EXPECT_EQ(parseHttpDate("Tue, 29 Feb 2028 23:59:59 GMT"), 1835481599);
  for (const char* bad : {"", "Sun, 06 Nov 1994 08:49:37", "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT ", "yesterday"}) {
    EXPECT_FALSE(parseHttpDate(bad).has_value()) << bad;
  }
}

TEST(Retry, RetryAfterAsSecondsOrDate) {
  system_clock::time_point now{seconds{kRfcExample}};
  EXPECT_EQ(parseRetryAfter("120", now), milliseconds{120000});
  EXPECT_EQ(parseRetryAfter(" 0 ", now), milliseconds{0});
  EXPECT_EQ(parseRetryAfter("Sun, 06 Nov 1994 08:50:07 GMT", now), milliseconds{30000});
  EXPECT_EQ(parseRetryAfter("Sun, 06 Nov 1994 08:49:00 GMT", now), milliseconds{0}) << "a past date: now";
  EXPECT_EQ(parseRetryAfter("99999999999999999999999", now), milliseconds{(std::int64_t{1} << 40) * 1000})
      << "saturates instead of overflowing";
  for (const char* bad : {"", "-5", "1.5", "soon", "12abc"}) EXPECT_FALSE(parseRetryAfter(bad, now).has_value()) << bad;
}

TEST(Retry, BackoffIsFullJitterUnderAnExponentialCeiling) {
  RetryPolicy policy;
  policy.baseDelay = milliseconds{100};
  policy.maxDelay = milliseconds{1000};
  Backoff backoff(policy, 1234);
  for (int round = 0; round < 200; ++round) {
    EXPECT_LE(backoff.delay(1, std::nullopt), milliseconds{100});
    EXPECT_LE(backoff.delay(3, std::nullopt), milliseconds{400});
    EXPECT_LE(backoff.delay(60, std::nullopt), milliseconds{1000}) << "capped, no overflow";
    EXPECT_GE(backoff.delay(2, std::nullopt), milliseconds{0});
  }
  EXPECT_EQ(backoff.delay(1, milliseconds{700}), milliseconds{700}) << "the server's delay replaces the jitter";
  EXPECT_EQ(backoff.delay(1, milliseconds{5000}), milliseconds{1000}) << "capped by maxDelay";
}

TEST(Retry, SameSeedSameDelays) {
  RetryPolicy policy;
  Backoff a(policy, 99), b(policy, 99);
  for (int retry = 1; retry < 10; ++retry) EXPECT_EQ(a.delay(retry, std::nullopt), b.delay(retry, std::nullopt));
}

}  // namespace
}  // namespace tether::client
