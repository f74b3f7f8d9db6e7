// Body parsers: JSON under limits (depth, size, UTF-8) with positions, forms and multipart.
#include <gtest/gtest.h>

#include <cmath>

#include "tether/http/body.h"

namespace th = tether::http;
using nlohmann::json;

TEST(JsonBody, ParsesValidJson) {
  th::JsonResult r = th::parseJsonBody(R"({"name": "x", "tags": [1, 2]})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value, json({{"name", "x"}, {"tags", {1, 2}}}));
}

TEST(JsonBody, SyntaxErrorHasLineAndColumn) {
  th::JsonResult r = th::parseJsonBody("{\n  \"name\": \"x\",\n  \"n\": tru\n}");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.problem->status, 400);
  EXPECT_EQ(r.problem->code, "BAD_REQUEST");
  EXPECT_EQ(r.problem->extra["line"], 3);
  EXPECT_NE(r.problem->detail.find("line 3"), std::string::npos) << r.problem->detail;
  ASSERT_EQ(r.problem->errors.size(), 1u);
  EXPECT_EQ(r.problem->errors[0].pointer, "");

  th::JsonResult truncated = th::parseJsonBody(R"({"a": )");
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.problem->extra["line"], 1);
  EXPECT_FALSE(th::parseJsonBody(""));
  EXPECT_FALSE(th::parseJsonBody("{} {}"));
}

TEST(JsonBody, ANumberTooLargeForADoubleIsABadRequestAtItsPosition) {
  // nlohmann raises this as out_of_range, not parse_error: it must still come back as a 400.
  th::JsonResult r = th::parseJsonBody(R"({"a": [1, 200e9100], "c": true})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.problem->status, 400);
  EXPECT_EQ(r.problem->extra["offset"], 10);
  EXPECT_NE(r.problem->detail.find("200e9100"), std::string::npos);
  EXPECT_FALSE(th::parseJsonBody("-1e400"));
  // A syntax error still points where the parser saw it: the '}' that ends "tru".
  th::JsonResult syntax = th::parseJsonBody(R"({"a": tru})");
  ASSERT_FALSE(syntax);
  EXPECT_EQ(syntax.problem->extra["offset"], 9);
  EXPECT_TRUE(th::parseJsonBody("1e308"));
}

// Issue 19: no number a client sends may escape the parser as an exception (a 500). Those a
// double cannot hold are 400s wherever they stand; the edges a double does hold (-0,
// denormals, underflow to zero) are values.
TEST(JsonBody, NumbersNoDoubleHoldsAre400AtAnyDepth) {
  const std::string digits400(400, '9');
  const std::vector<std::string> numbers = {"1e400", "-1e400", "200e9100", "1.7976931348623159e308", digits400, "-" + digits400};
  for (const std::string& number : numbers) {
    for (const std::string& body : {number, "[" + number + "]", R"({"a": [{"b": [1, )" + number + "]}]}",
                                    std::string(60, '[') + number + std::string(60, ']')}) {
      SCOPED_TRACE(body.substr(0, 80));
      th::JsonResult r = th::parseJsonBody(body);
      ASSERT_FALSE(r);
      EXPECT_EQ(r.problem->status, 400);
      EXPECT_EQ(r.problem->code, "BAD_REQUEST");
      EXPECT_EQ(r.problem->extra["offset"], body.find(number));
    }
  }
}

TEST(JsonBody, NumbersAtTheEdgesOfADoubleAreValues) {
  th::JsonResult r = th::parseJsonBody(R"([-0, -0.0, 4.9e-324, 1e-400, -1e-400, 2.2250738585072014e-308, 1.7976931348623157e308,
                                          18446744073709551615, 18446744073709551616, -9223372036854775809])");
  ASSERT_TRUE(r) << r.problem->detail;
  const json& v = r.value;
  EXPECT_EQ(v[0], 0);
  EXPECT_TRUE(std::signbit(v[1].get<double>()));
  EXPECT_EQ(v[2].get<double>(), 4.9e-324);
  EXPECT_EQ(v[3].get<double>(), 0.0);  // underflows to zero, as strtod rounds it
  EXPECT_EQ(v[4].get<double>(), 0.0);
  EXPECT_EQ(v[6].get<double>(), 1.7976931348623157e308);
  EXPECT_TRUE(v[7].is_number_unsigned());
  EXPECT_TRUE(v[8].is_number_float());  // past uint64: a double, not an error
  EXPECT_TRUE(v[9].is_number_float());
  EXPECT_NO_THROW((void)v.dump());
}

TEST(JsonBody, DeepNestingIsRefusedWithoutRecursion) {
  // 100k levels: refused by the pre-scan at level 65, before any value is built.
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  th::JsonResult r = th::parseJsonBody(deep);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.problem->status, 400);
  EXPECT_EQ(r.problem->extra["column"], 65);
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  EXPECT_FALSE(th::parseJsonBody(objects));
  // Brackets inside strings are not nesting; at the limit itself is fine.
  EXPECT_TRUE(th::parseJsonBody("[\"" + std::string(1000, '[') + "\"]"));
  th::BodyLimits limits;
  limits.maxDepth = 3;
  EXPECT_TRUE(th::parseJsonBody("[[[1]]]", limits));
  EXPECT_FALSE(th::parseJsonBody("[[[[1]]]]", limits));
}

TEST(JsonBody, InvalidUtf8IsRefusedWithItsPosition) {
  th::JsonResult r = th::parseJsonBody("{\"a\": \"x\xff\"}");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.problem->extra["offset"], 8);
  EXPECT_NE(r.problem->detail.find("UTF-8"), std::string::npos);
  EXPECT_FALSE(th::parseJsonBody("\"\xed\xa0\x80\""));      // encoded surrogate
  EXPECT_FALSE(th::parseJsonBody("\"\xc0\xaf\""));          // overlong
  EXPECT_FALSE(th::parseJsonBody(R"("\ud800")"));           // lone escaped surrogate
  EXPECT_TRUE(th::parseJsonBody("\"\xf0\x9f\x98\x80\""));   // U+1F600
}

TEST(JsonBody, HugeBodyIs413) {
  th::BodyLimits limits;
  limits.maxBytes = 1024;
  th::JsonResult r = th::parseJsonBody("[" + std::string(2000, ' ') + "]", limits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.problem->status, 413);
  EXPECT_EQ(r.problem->code, "PAYLOAD_TOO_LARGE");
}

// Issue 19: form fields are typed without exceptions: a number out of a double's or an
// integer's range stays text (the schema validator then names the field), a bad escape is a
// 400 naming the field.
TEST(FormBody, ExtremeNumbersStayTextAndBadEscapesAre400) {
  th::Shape shape = th::Shape::object({{"n", th::Scalar::Number}, {"i", th::Scalar::Integer}});
  const std::string digits400(400, '9');
  th::JsonResult r = th::parseFormBody("n=1e400&i=" + digits400 + "&n=-1e400", shape);
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value["n"], json({"1e400", "-1e400"}));
  EXPECT_EQ(r.value["i"], digits400);
  r = th::parseFormBody("n=-0&i=-0&n=4.9e-324&n=1e-400", shape);
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value["i"], 0);
  EXPECT_EQ(r.value["n"][0], 0);
  EXPECT_EQ(r.value["n"][1].get<double>(), 4.9e-324);
  EXPECT_TRUE(r.value["n"][2].is_string() || r.value["n"][2] == 0.0);  // underflow: text, or zero
  for (const char* body : {"n=%zz", "n=%", "n=%e9", "%ff=1"}) {
    SCOPED_TRACE(body);
    th::JsonResult bad;
    ASSERT_NO_THROW(bad = th::parseFormBody(body, shape));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.problem->status, 400);
  }
}

TEST(FormBody, TypedByShape) {
  th::Shape shape = th::Shape::object({{"age", th::Scalar::Integer}, {"admin", th::Scalar::Boolean}});
  shape.arrayProperties = {"tags"};
  th::JsonResult r = th::parseFormBody("name=Ada+Lovelace&age=36&admin=true&tags=x&nick=a&nick=b&note=%E2%82%AC", shape);
  ASSERT_TRUE(r);
  EXPECT_EQ(r.value, json({{"name", "Ada Lovelace"},
                           {"age", 36},
                           {"admin", true},
                           {"tags", {"x"}},
                           {"nick", {"a", "b"}},
                           {"note", "\xe2\x82\xac"}}));
  th::JsonResult bad = th::parseFormBody("a=%zz", shape);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.problem->status, 400);
  EXPECT_EQ(bad.problem->errors.at(0).pointer, "/a");
  EXPECT_EQ(th::parseFormBody("", shape).value, json::object());
}

namespace {
const char* kMultipartType = "multipart/form-data; boundary=XyZ";
std::string multipartBody() {
  return "preamble\r\n"
         "--XyZ\r\n"
         "Content-Disposition: form-data; name=\"title\"\r\n"
         "\r\n"
         "Holiday\r\n"
         "--XyZ\r\n"
         "Content-Disposition: form-data; name=\"count\"\r\n"
         "\r\n"
         "3\r\n"
         "--XyZ\r\n"
         "Content-Disposition: form-data; name=\"meta\"\r\n"
         "Content-Type: application/json\r\n"
         "\r\n"
         "{\"a\": [1]}\r\n"
         "--XyZ\r\n"
         "Content-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
         "Content-Type: application/octet-stream\r\n"
         "\r\n" +
         std::string("\x00\xff\r\n--X", 8) +
         "\r\n"
         "--XyZ--\r\n"
         "epilogue";
}
}  // namespace

TEST(Multipart, PartsWithNamesFilenamesAndTypes) {
  th::MultipartResult r = th::parseMultipart(multipartBody(), kMultipartType);
  ASSERT_TRUE(r) << r.problem->detail;
  ASSERT_EQ(r.parts.size(), 4u);
  EXPECT_EQ(r.parts[0].name, "title");
  EXPECT_EQ(r.parts[0].data, "Holiday");
  EXPECT_EQ(r.parts[0].contentType, "text/plain");
  EXPECT_FALSE(r.parts[0].isFile());
  EXPECT_EQ(r.parts[3].filename, "a.bin");
  EXPECT_EQ(r.parts[3].data, std::string("\x00\xff\r\n--X", 8));  // bytes kept, even delimiter look-alikes
  EXPECT_TRUE(r.parts[3].isFile());

  th::Shape shape = th::Shape::object({{"count", th::Scalar::Integer}});
  th::JsonResult j = th::multipartToJson(r.parts, shape);
  ASSERT_TRUE(j);
  EXPECT_EQ(j.value["title"], "Holiday");
  EXPECT_EQ(j.value["count"], 3);
  EXPECT_EQ(j.value["meta"], json({{"a", {1}}}));
  EXPECT_EQ(j.value["file"].get<std::string>(), std::string("\x00\xff\r\n--X", 8));
}

TEST(Multipart, FilenameStarAndEmptyParts) {
  std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.txt\"; filename*=UTF-8''%E2%82%AC.txt\r\n\r\n\r\n--b--";
  th::MultipartResult r = th::parseMultipart(body, "multipart/form-data; boundary=b");
  ASSERT_TRUE(r);
  ASSERT_EQ(r.parts.size(), 1u);
  EXPECT_EQ(r.parts[0].filename, "\xe2\x82\xac.txt");
  EXPECT_EQ(r.parts[0].data, "");
}

// Issue 19: a body cut anywhere, or ending where a delimiter's CRLF or "--" should follow,
// is a 400 from parseMultipart; none of its offsets may run past the body (an out_of_range
// from string_view would be a 500).
TEST(Multipart, TruncatedBodiesAre400NeverAnException) {
  const std::string whole = multipartBody();
  for (std::size_t cut = 0; cut < whole.size(); ++cut) {
    SCOPED_TRACE(cut);
    th::MultipartResult r;
    ASSERT_NO_THROW(r = th::parseMultipart(whole.substr(0, cut), kMultipartType));
    if (!r) {
      EXPECT_EQ(r.problem->status, 400);
    }
  }
  for (const char* body : {"--XyZ", "--XyZ\r", "--XyZ \t", "--XyZ\r\n", "--XyZ\r\n\r\n", "\r\n--XyZ", "x\r\n--XyZ\r\n"}) {
    SCOPED_TRACE(body);
    th::MultipartResult r;
    ASSERT_NO_THROW(r = th::parseMultipart(body, kMultipartType));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.problem->status, 400);
  }
  for (const char* type : {"multipart/form-data; boundary=", "multipart/form-data; boundary=\"", "multipart/", ";;;", ""}) {
    SCOPED_TRACE(type);
    th::MultipartResult r;
    ASSERT_NO_THROW(r = th::parseMultipart("--\r\n", type));
    EXPECT_FALSE(r);
  }
}

// A JSON part holding a number no double holds is the JSON body's 400, pointed at the part;
// a text part typed number keeps the text for the validator to report.
TEST(Multipart, ExtremeNumbersInPartsAre400OrText) {
  th::MultipartResult r = th::parseMultipart(
      "--b\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"n\": [1e400]}\r\n"
      "--b\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n-1e400\r\n--b--",
      "multipart/form-data; boundary=b");
  ASSERT_TRUE(r);
  th::JsonResult merged = th::multipartToJson(r.parts, th::Shape::object({{"n", th::Scalar::Number}}));
  ASSERT_FALSE(merged);
  EXPECT_EQ(merged.problem->status, 400);
  EXPECT_EQ(merged.problem->errors.at(0).pointer, "/meta");
  th::JsonResult text = th::multipartToJson({r.parts[1]}, th::Shape::object({{"n", th::Scalar::Number}}));
  ASSERT_TRUE(text);
  EXPECT_EQ(text.value["n"], "-1e400");
}

TEST(Multipart, MalformedBodiesAre400) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end", kMultipartType},
      {"nothing here", kMultipartType},
      {"--XyZ\r\nContent-Disposition: form-data\r\n\r\nx\r\n--XyZ--", kMultipartType},  // no name
      {"--XyZ\r\nX-Other: 1\r\n\r\nx\r\n--XyZ--", kMultipartType},                      // no disposition
      {"--XyZ\r\nbroken header\r\n\r\nx\r\n--XyZ--", kMultipartType},
      {"--XyZ\r\n\r\nx\r\n--XyZ--", kMultipartType},
      {"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ--", "multipart/form-data"},  // no boundary
      {"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ--", "application/json"},
      {"--XyZjunk", kMultipartType},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.first);
    th::MultipartResult r = th::parseMultipart(c.first, c.second);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.problem->status, 400);
  }
  th::BodyLimits limits;
  limits.maxParts = 2;
  EXPECT_FALSE(th::parseMultipart(multipartBody(), kMultipartType, limits));
  // A text part that is not UTF-8 cannot become a JSON string.
  th::MultipartResult latin = th::parseMultipart("--b\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\n\xe9\r\n--b--",
                                                 "multipart/form-data; boundary=b");
  ASSERT_TRUE(latin);
  EXPECT_FALSE(th::multipartToJson(latin.parts, th::Shape::object()));
}
