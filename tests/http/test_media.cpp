// Media types: parsing Content-Type and Accept, negotiation (406) and request matching (415).
#include <gtest/gtest.h>

#include "tether/http/media.h"

namespace th = tether::http;

TEST(MediaType, ParsesParametersAndSuffix) {
  auto mt = th::parseMediaType("Application/Problem+JSON; charset=\"UTF-8\" ;version=2");
  ASSERT_TRUE(mt);
  EXPECT_EQ(mt->essence(), "application/problem+json");
  EXPECT_EQ(mt->suffix(), "json");
  EXPECT_EQ(mt->param("CHARSET"), "UTF-8");
  EXPECT_EQ(mt->param("version"), "2");
  EXPECT_FALSE(mt->param("q"));
  auto multipart = th::parseMediaType("multipart/form-data; boundary=\"a b;c\"");
  ASSERT_TRUE(multipart);
  EXPECT_EQ(multipart->param("boundary"), "a b;c");
}

TEST(MediaType, RejectsMalformed) {
  for (const char* bad : {"", "json", "application/", "/json", "application/json;", "application/json; charset",
                          "text/plain; a=\"unterminated", "*/json", "text/plain x", "a b/c"}) {
    SCOPED_TRACE(bad);
    // A trailing ';' alone is tolerated (seen in the wild); everything else is refused.
    if (std::string(bad) == "application/json;") {
      EXPECT_TRUE(th::parseMediaType(bad));
    } else {
      EXPECT_FALSE(th::parseMediaType(bad));
    }
  }
}

TEST(Accept, ParsesRangesWithQ) {
  auto ranges = th::parseAccept("text/html, application/*;q=0.5, */*;q=0.1, bogus, image/png;q=2");
  ASSERT_EQ(ranges.size(), 3u);
  EXPECT_EQ(ranges[1].essence(), "application/*");
  EXPECT_DOUBLE_EQ(ranges[1].q, 0.5);
  EXPECT_DOUBLE_EQ(ranges[2].q, 0.1);
}

TEST(Negotiate, ChoosesByQAndSpecificity) {
  const std::vector<std::string> offered{"application/json", "text/csv"};
  EXPECT_EQ(th::negotiate("", offered), "application/json");
  EXPECT_EQ(th::negotiate("*/*", offered), "application/json");
  EXPECT_EQ(th::negotiate("text/csv", offered), "text/csv");
  EXPECT_EQ(th::negotiate("text/*", offered), "text/csv");
  EXPECT_EQ(th::negotiate("application/json;q=0.4, text/csv;q=0.9", offered), "text/csv");
  // The most specific range decides an offer's q: */* allows, application/json;q=0 forbids.
  EXPECT_EQ(th::negotiate("*/*, application/json;q=0", offered), "text/csv");
  EXPECT_EQ(th::negotiate("image/png", offered), std::nullopt);  // 406
  EXPECT_EQ(th::negotiate("application/xml, text/html", offered), std::nullopt);
  // An Accept with no readable range is disregarded.
  EXPECT_EQ(th::negotiate("garbage", offered), "application/json");
}

TEST(Negotiate, StructuredSuffixWildcardAndWildcardOffers) {
  EXPECT_EQ(th::negotiate("application/*+json", {"text/plain", "application/problem+json"}), "application/problem+json");
  EXPECT_EQ(th::negotiate("application/*+json", {"application/json"}), std::nullopt);
  EXPECT_EQ(th::negotiate("application/json", {"application/problem+json"}), std::nullopt);
  // A declared "image/*" response is answered with the concrete type the client asked for.
  EXPECT_EQ(th::negotiate("image/webp, image/png;q=0.5", {"image/*"}), "image/webp");
  EXPECT_EQ(th::negotiate("text/html", {"image/*"}), std::nullopt);
}

TEST(ContentType, MatchesDeclaredTypes) {
  const std::vector<std::string> declared{"application/json", "application/*+json", "image/*", "text/plain; charset=utf-8"};
  EXPECT_EQ(th::matchContentType("application/json; charset=UTF-8", declared), "application/json");
  EXPECT_EQ(th::matchContentType("application/merge-patch+json", declared), "application/*+json");
  EXPECT_EQ(th::matchContentType("image/png", declared), "image/*");
  EXPECT_EQ(th::matchContentType("text/plain; charset=UTF-8", declared), "text/plain; charset=utf-8");
  EXPECT_EQ(th::matchContentType("text/plain; charset=latin1", declared), std::nullopt);
  EXPECT_EQ(th::matchContentType("application/xml", declared), std::nullopt);  // 415
  EXPECT_EQ(th::matchContentType("not a type", declared), std::nullopt);
  EXPECT_EQ(th::matchContentType("*/*", declared), std::nullopt);  // a request body has a concrete type
  EXPECT_EQ(th::matchContentType("video/mp4", {"*/*"}), "*/*");
}

TEST(ContentType, JsonFamily) {
  EXPECT_TRUE(th::isJsonMediaType("application/json"));
  EXPECT_TRUE(th::isJsonMediaType("application/vnd.api+json; charset=utf-8"));
  EXPECT_FALSE(th::isJsonMediaType("text/json+plain"));
  EXPECT_FALSE(th::isJsonMediaType("application/jsonl"));
}
