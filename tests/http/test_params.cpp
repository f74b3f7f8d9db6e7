// The parameter codec against the OpenAPI 3.1.1 "Style Examples" table (color = "blue",
// ["blue","black","brown"], {"R":100,"G":200,"B":150}), in both directions, plus round
// trips, typing and malformed input.
#include <gtest/gtest.h>

#include <cstdint>

#include "tether/http/params.h"

namespace th = tether::http;
using nlohmann::json;

namespace {

const json kString = "blue";
const json kArray = json::array({"blue", "black", "brown"});
const json kObject = {{"R", 100}, {"G", 200}, {"B", 150}};

th::ParamSpec spec(th::Location in, th::Style style, bool explode, th::Shape shape) {
  th::ParamSpec s;
  s.name = "color";
  s.in = in;
  s.style = style;
  s.explode = explode;
  s.shape = std::move(shape);
  return s;
}

th::Shape rgb() { return th::Shape::object({{"R", th::Scalar::Integer}, {"G", th::Scalar::Integer}, {"B", th::Scalar::Integer}}); }

// One row of the table. `object` is the table's text (R, G, B order) and is what the
// decoder reads; `objectEncoded` is what the encoder writes, members in nlohmann::json's
// (sorted) order.
struct Row {
  th::Location in;
  th::Style style;
  bool explode;
  std::string string, array, object, objectEncoded;
};

std::string label(const Row& r) {
  static const char* styles[] = {"simple", "label", "matrix", "form", "spaceDelimited", "pipeDelimited", "deepObject"};
  return std::string(styles[static_cast<int>(r.style)]) + (r.explode ? " explode" : " no-explode");
}

const std::vector<Row> kPathRows = {
    {th::Location::Path, th::Style::Matrix, false, ";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150",
     ";color=B,150,G,200,R,100"},
    {th::Location::Path, th::Style::Matrix, true, ";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150",
     ";B=150;G=200;R=100"},
    {th::Location::Path, th::Style::Label, false, ".blue", ".blue,black,brown", ".R,100,G,200,B,150", ".B,150,G,200,R,100"},
    {th::Location::Path, th::Style::Label, true, ".blue", ".blue.black.brown", ".R=100.G=200.B=150", ".B=150.G=200.R=100"},
    {th::Location::Path, th::Style::Simple, false, "blue", "blue,black,brown", "R,100,G,200,B,150", "B,150,G,200,R,100"},
    {th::Location::Path, th::Style::Simple, true, "blue", "blue,black,brown", "R=100,G=200,B=150", "B=150,G=200,R=100"},
};

const std::vector<Row> kQueryRows = {
    {th::Location::Query, th::Style::Form, false, "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150",
     "color=B,150,G,200,R,100"},
    {th::Location::Query, th::Style::Form, true, "color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150",
     "B=150&G=200&R=100"},
    {th::Location::Query, th::Style::SpaceDelimited, false, "", "color=blue%20black%20brown",
     "color=R%20100%20G%20200%20B%20150", "color=B%20150%20G%20200%20R%20100"},
    {th::Location::Query, th::Style::PipeDelimited, false, "", "color=blue%7Cblack%7Cbrown",
     "color=R%7C100%7CG%7C200%7CB%7C150", "color=B%7C150%7CG%7C200%7CR%7C100"},
    {th::Location::Query, th::Style::DeepObject, true, "", "", "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150",
     "color%5BB%5D=150&color%5BG%5D=200&color%5BR%5D=100"},
};

std::string encodeQuery(const json& value, const th::ParamSpec& s) {
  std::string q;
  th::appendQuery(q, value, s);
  return q;
}

}  // namespace

TEST(ParamsTable, PathDecodesEveryRow) {
  for (const Row& r : kPathRows) {
    SCOPED_TRACE(label(r));
    EXPECT_EQ(th::decodePath(r.string, spec(r.in, r.style, r.explode, th::Shape::primitive())), kString);
    EXPECT_EQ(th::decodePath(r.array, spec(r.in, r.style, r.explode, th::Shape::array())), kArray);
    EXPECT_EQ(th::decodePath(r.object, spec(r.in, r.style, r.explode, rgb())), kObject);
  }
}

TEST(ParamsTable, PathEncodesEveryRow) {
  for (const Row& r : kPathRows) {
    SCOPED_TRACE(label(r));
    EXPECT_EQ(th::encodePath(kString, spec(r.in, r.style, r.explode, th::Shape::primitive())), r.string);
    EXPECT_EQ(th::encodePath(kArray, spec(r.in, r.style, r.explode, th::Shape::array())), r.array);
    EXPECT_EQ(th::encodePath(kObject, spec(r.in, r.style, r.explode, rgb())), r.objectEncoded);
  }
}

TEST(ParamsTable, PathUndefinedColumn) {
  EXPECT_EQ(th::encodePath(nullptr, spec(th::Location::Path, th::Style::Matrix, false, {})), ";color");
  EXPECT_EQ(th::encodePath(nullptr, spec(th::Location::Path, th::Style::Matrix, true, {})), ";color");
  EXPECT_EQ(th::encodePath(nullptr, spec(th::Location::Path, th::Style::Label, false, {})), ".");
  EXPECT_EQ(th::encodePath(nullptr, spec(th::Location::Path, th::Style::Simple, false, {})), "");
  // And back: the empty forms read as an empty string.
  EXPECT_EQ(th::decodePath(";color", spec(th::Location::Path, th::Style::Matrix, false, {})), json(""));
  EXPECT_EQ(th::decodePath(".", spec(th::Location::Path, th::Style::Label, true, {})), json(""));
  EXPECT_EQ(th::decodePath(";color", spec(th::Location::Path, th::Style::Matrix, true, th::Shape::array())), json::array());
}

TEST(ParamsTable, QueryDecodesEveryRow) {
  for (const Row& r : kQueryRows) {
    SCOPED_TRACE(label(r));
    if (!r.string.empty()) {
      EXPECT_EQ(th::decodeQuery(th::Query::parse(r.string), spec(r.in, r.style, r.explode, th::Shape::primitive())), kString);
    }
    if (!r.array.empty()) {
      EXPECT_EQ(th::decodeQuery(th::Query::parse(r.array), spec(r.in, r.style, r.explode, th::Shape::array())), kArray);
    }
    EXPECT_EQ(th::decodeQuery(th::Query::parse(r.object), spec(r.in, r.style, r.explode, rgb())), kObject);
  }
}

TEST(ParamsTable, QueryEncodesEveryRow) {
  for (const Row& r : kQueryRows) {
    SCOPED_TRACE(label(r));
    if (!r.string.empty()) {
      EXPECT_EQ(encodeQuery(kString, spec(r.in, r.style, r.explode, {})), r.string);
    }
    if (!r.array.empty()) {
      EXPECT_EQ(encodeQuery(kArray, spec(r.in, r.style, r.explode, th::Shape::array())), r.array);
    }
    EXPECT_EQ(encodeQuery(kObject, spec(r.in, r.style, r.explode, rgb())), r.objectEncoded);
  }
}

TEST(ParamsTable, QueryEmptyValue) {
  // The table's "color=" is an empty string; an absent (null) value is not sent at all.
  EXPECT_EQ(encodeQuery("", spec(th::Location::Query, th::Style::Form, true, {})), "color=");
  EXPECT_EQ(encodeQuery(nullptr, spec(th::Location::Query, th::Style::Form, true, {})), "");
  EXPECT_EQ(th::decodeQuery(th::Query::parse("color="), spec(th::Location::Query, th::Style::Form, true, {})), json(""));
  EXPECT_EQ(th::decodeQuery(th::Query::parse("other=1"), spec(th::Location::Query, th::Style::Form, true, {})), std::nullopt);
}

TEST(ParamsTable, QueryDelimitersAlsoReadUnencoded) {
  // Clients often send '|', ' ' (as '+') and brackets unencoded; servers accept them.
  auto pipe = spec(th::Location::Query, th::Style::PipeDelimited, false, th::Shape::array());
  EXPECT_EQ(th::decodeQuery(th::Query::parse("color=blue|black|brown"), pipe), kArray);
  auto space = spec(th::Location::Query, th::Style::SpaceDelimited, false, th::Shape::array());
  EXPECT_EQ(th::decodeQuery(th::Query::parse("color=blue+black+brown"), space), kArray);
  auto deep = spec(th::Location::Query, th::Style::DeepObject, true, rgb());
  EXPECT_EQ(th::decodeQuery(th::Query::parse("color[R]=100&color[G]=200&color[B]=150&other=1"), deep), kObject);
  // Exploded space/pipe arrays are repeated keys, like form.
  auto spaceExploded = spec(th::Location::Query, th::Style::SpaceDelimited, true, th::Shape::array());
  EXPECT_EQ(th::decodeQuery(th::Query::parse("color=blue&color=black&color=brown"), spaceExploded), kArray);
}

TEST(ParamsTable, AOneValueQueryParameterSentTwiceIsRefused) {
  auto prim = spec(th::Location::Query, th::Style::Form, true, {});
  EXPECT_THROW(th::decodeQuery(th::Query::parse("color=blue&color=black"), prim), th::DecodeError);
  auto csv = spec(th::Location::Query, th::Style::Form, false, th::Shape::array());
  EXPECT_THROW(th::decodeQuery(th::Query::parse("color=blue,black&color=brown"), csv), th::DecodeError);
  // An exploded array is repeated keys by design.
  auto exploded = spec(th::Location::Query, th::Style::Form, true, th::Shape::array());
  EXPECT_EQ(th::decodeQuery(th::Query::parse("color=blue&color=black&color=brown"), exploded), kArray);
}

TEST(ParamsTable, HeaderSimple) {
  auto s = [](bool explode, th::Shape shape) { return spec(th::Location::Header, th::Style::Simple, explode, std::move(shape)); };
  th::Headers h{{"Color", "blue"}};
  EXPECT_EQ(th::decodeHeader(h, s(false, {})), kString);
  EXPECT_EQ(th::decodeHeader(th::Headers{{"color", "blue,black,brown"}}, s(false, th::Shape::array())), kArray);
  EXPECT_EQ(th::decodeHeader(th::Headers{{"color", "R,100,G,200,B,150"}}, s(false, rgb())), kObject);
  EXPECT_EQ(th::decodeHeader(th::Headers{{"color", "R=100,G=200,B=150"}}, s(true, rgb())), kObject);
  // Optional whitespace around items and repeated fields are one list (RFC 9110).
  EXPECT_EQ(th::decodeHeader(th::Headers{{"color", "blue, black"}, {"COLOR", "brown"}}, s(false, th::Shape::array())), kArray);
  EXPECT_EQ(th::decodeHeader(th::Headers{}, s(false, {})), std::nullopt);

  EXPECT_EQ(th::encodeHeader(kString, s(false, {})), "blue");
  EXPECT_EQ(th::encodeHeader(kArray, s(false, th::Shape::array())), "blue,black,brown");
  EXPECT_EQ(th::encodeHeader(kObject, s(false, rgb())), "B,150,G,200,R,100");
  EXPECT_EQ(th::encodeHeader(kObject, s(true, rgb())), "B=150,G=200,R=100");
  // A value can never end the header field.
  EXPECT_EQ(th::encodeHeader("a\r\nX-Evil: 1", s(false, {})), "a%0D%0AX-Evil: 1");
}

TEST(ParamsTable, CookieForm) {
  auto s = [](bool explode, th::Shape shape) { return spec(th::Location::Cookie, th::Style::Form, explode, std::move(shape)); };
  th::Headers h{{"Cookie", "session=abc; color=blue,black,brown; R=100; G=200; B=150"}};
  EXPECT_EQ(th::decodeCookie(th::Headers{{"Cookie", "color=blue"}}, s(true, {})), kString);
  EXPECT_EQ(th::decodeCookie(h, s(false, th::Shape::array())), kArray);
  EXPECT_EQ(th::decodeCookie(th::Headers{{"Cookie", "color=R,100,G,200,B,150"}}, s(false, rgb())), kObject);
  EXPECT_EQ(th::decodeCookie(h, s(true, rgb())), kObject);
  EXPECT_EQ(th::decodeCookie(th::Headers{{"Cookie", "color=blue; color=black"}, {"Cookie", "color=brown"}},
                             s(true, th::Shape::array())),
            kArray);
  EXPECT_EQ(th::decodeCookie(h, spec(th::Location::Cookie, th::Style::Form, true, {}) /* "color" is there */), json("blue,black,brown"));
  EXPECT_EQ(th::decodeCookie(th::Headers{}, s(true, {})), std::nullopt);

  EXPECT_EQ(th::encodeCookie(kString, s(true, {})), "color=blue");
  EXPECT_EQ(th::encodeCookie(kArray, s(false, th::Shape::array())), "color=blue,black,brown");
  EXPECT_EQ(th::encodeCookie(kArray, s(true, th::Shape::array())), "color=blue; color=black; color=brown");
  EXPECT_EQ(th::encodeCookie(kObject, s(false, rgb())), "color=B,150,G,200,R,100");
  EXPECT_EQ(th::encodeCookie(kObject, s(true, rgb())), "B=150; G=200; R=100");
}

TEST(ParamsTyping, ScalarsTypeOrStayText) {
  EXPECT_EQ(th::typeScalar("5", th::Scalar::Integer), json(5));
  EXPECT_EQ(th::typeScalar("-12", th::Scalar::Integer), json(-12));
  EXPECT_EQ(th::typeScalar("18446744073709551615", th::Scalar::Integer), json(18446744073709551615ULL));
  EXPECT_EQ(th::typeScalar("99999999999999999999999", th::Scalar::Integer), json("99999999999999999999999"));
  EXPECT_EQ(th::typeScalar("5.5", th::Scalar::Integer), json("5.5"));
  EXPECT_EQ(th::typeScalar("abc", th::Scalar::Integer), json("abc"));
  EXPECT_EQ(th::typeScalar("007", th::Scalar::Integer), json("007"));
  EXPECT_EQ(th::typeScalar("1.5e3", th::Scalar::Number), json(1500.0));
  EXPECT_EQ(th::typeScalar("2", th::Scalar::Number), json(2));
  EXPECT_EQ(th::typeScalar("NaN", th::Scalar::Number), json("NaN"));
  EXPECT_EQ(th::typeScalar("true", th::Scalar::Boolean), json(true));
  EXPECT_EQ(th::typeScalar("TRUE", th::Scalar::Boolean), json("TRUE"));
  EXPECT_EQ(th::typeScalar("42", th::Scalar::String), json("42"));
  EXPECT_EQ(th::typeScalar("42", th::Scalar::Any), json(42));
  EXPECT_EQ(th::typeScalar("false", th::Scalar::Any), json(false));
  EXPECT_EQ(th::typeScalar("x", th::Scalar::Any), json("x"));

  auto ints = spec(th::Location::Query, th::Style::Form, false, th::Shape::array(th::Scalar::Integer));
  EXPECT_EQ(th::decodeQuery(th::Query::parse("color=1,2,x"), ints), json::array({1, 2, "x"}));
  auto id = spec(th::Location::Path, th::Style::Simple, false, th::Shape::primitive(th::Scalar::Integer));
  EXPECT_EQ(th::decodePath("5", id), json(5));
}

TEST(ParamsDecode, EncodedDelimitersStayData) {
  auto s = spec(th::Location::Query, th::Style::Form, false, th::Shape::array());
  EXPECT_EQ(th::decodeQuery(th::Query::parse("color=a,b%2Cc"), s), json::array({"a", "b,c"}));
  EXPECT_EQ(th::decodePath("a%2Fb", spec(th::Location::Path, th::Style::Simple, false, {})), json("a/b"));
  EXPECT_EQ(th::decodeQuery(th::Query::parse("color=a+b%2Bc"), spec(th::Location::Query, th::Style::Form, true, {})),
            json("a b+c"));
}

TEST(ParamsDecode, MalformedInputThrowsDecodeError) {
  auto prim = spec(th::Location::Path, th::Style::Simple, false, {});
  EXPECT_THROW(th::decodePath("%zz", prim), th::DecodeError);
  EXPECT_THROW(th::decodePath("abc%4", prim), th::DecodeError);
  EXPECT_THROW(th::decodePath("%FF%FE", prim), th::DecodeError);      // not UTF-8
  EXPECT_THROW(th::decodePath("%ED%A0%80", prim), th::DecodeError);  // a surrogate
  EXPECT_THROW(th::decodePath("blue", spec(th::Location::Path, th::Style::Label, false, {})), th::DecodeError);
  EXPECT_THROW(th::decodePath("blue", spec(th::Location::Path, th::Style::Matrix, false, {})), th::DecodeError);
  EXPECT_THROW(th::decodePath(";size=1", spec(th::Location::Path, th::Style::Matrix, false, {})), th::DecodeError);
  EXPECT_THROW(th::decodePath("R,100,G", spec(th::Location::Path, th::Style::Simple, false, rgb())), th::DecodeError);
  EXPECT_THROW(th::decodePath("R100", spec(th::Location::Path, th::Style::Simple, true, rgb())), th::DecodeError);
  auto deep = spec(th::Location::Query, th::Style::DeepObject, true, rgb());
  EXPECT_THROW(th::decodeQuery(th::Query::parse("color[R=1"), deep), th::DecodeError);
  EXPECT_THROW(th::decodeQuery(th::Query::parse("color[]=1"), deep), th::DecodeError);
  EXPECT_THROW(th::decodeQuery(th::Query::parse("color=%G0"), spec(th::Location::Query, th::Style::Form, true, {})),
               th::DecodeError);
  // A malformed escape elsewhere in the query does not matter to this parameter.
  EXPECT_EQ(th::decodeQuery(th::Query::parse("x=%G0&color=blue"), spec(th::Location::Query, th::Style::Form, true, {})),
            kString);
  try {
    th::decodePath("%zz", prim);
    FAIL();
  } catch (const th::DecodeError& e) {
    EXPECT_NE(e.message.find("percent"), std::string::npos);
  }
}

TEST(ParamsDecode, DeepObjectNestsAndCollectsArrays) {
  th::Shape shape = th::Shape::object({{"limit", th::Scalar::Integer}});
  shape.arrayProperties = {"tag"};
  auto s = spec(th::Location::Query, th::Style::DeepObject, true, shape);
  EXPECT_EQ(th::decodeQuery(th::Query::parse("color[limit]=5&color[tag]=a&color[owner][name]=x"), s),
            json({{"limit", 5}, {"tag", {"a"}}, {"owner", {{"name", "x"}}}}));
  EXPECT_EQ(th::decodeQuery(th::Query::parse("other[a]=1"), s), std::nullopt);
  EXPECT_THROW(th::decodeQuery(th::Query::parse("color[a]=1&color[a][b]=2"), s), th::DecodeError);
}

// Issue 19: deepObject keys nest at most 32 levels; deeper is a DecodeError (400), not a
// value thousands of levels deep for the validators and dump() to recurse through.
TEST(ParamsDecode, DeepObjectNestingIsBounded) {
  auto s = spec(th::Location::Query, th::Style::DeepObject, true, th::Shape::object());
  std::string key = "color";
  for (int i = 0; i < 32; ++i) key += "[a]";
  std::optional<json> value = th::decodeQuery(th::Query::parse(key + "=1"), s);
  ASSERT_TRUE(value);
  int depth = 0;
  for (const json* node = &*value; node->is_object(); node = &node->at("a")) ++depth;
  EXPECT_EQ(depth, 32);
  EXPECT_THROW(th::decodeQuery(th::Query::parse(key + "[a]=1"), s), th::DecodeError);
  for (int i = 0; i < 2000; ++i) key += "[a]";
  EXPECT_THROW(th::decodeQuery(th::Query::parse(key + "=1"), s), th::DecodeError);
}

// Issue 19: numbers in parameters are typed without exceptions; what no double or integer
// holds stays text for the validator to report (a 400 naming the parameter).
TEST(ParamsDecode, ExtremeNumbersAreTypedWithoutExceptions) {
  const std::string digits400(400, '9');
  EXPECT_EQ(th::typeScalar("1e400", th::Scalar::Number), "1e400");
  EXPECT_EQ(th::typeScalar("-1e400", th::Scalar::Any), "-1e400");
  EXPECT_EQ(th::typeScalar("200e9100", th::Scalar::Number), "200e9100");
  EXPECT_EQ(th::typeScalar(digits400, th::Scalar::Integer), digits400);
  EXPECT_EQ(th::typeScalar(digits400, th::Scalar::Number), digits400);
  EXPECT_EQ(th::typeScalar("1e18", th::Scalar::Integer), "1e18");  // not an integer literal
  EXPECT_EQ(th::typeScalar("18446744073709551615", th::Scalar::Integer), json(18446744073709551615ull));
  EXPECT_EQ(th::typeScalar("-9223372036854775808", th::Scalar::Integer), json(INT64_MIN));
  EXPECT_EQ(th::typeScalar("-9223372036854775809", th::Scalar::Integer), "-9223372036854775809");
  EXPECT_EQ(th::typeScalar("-0", th::Scalar::Integer), 0);
  EXPECT_EQ(th::typeScalar("4.9e-324", th::Scalar::Number).get<double>(), 4.9e-324);
  EXPECT_NO_THROW((void)th::typeScalar("1e-400", th::Scalar::Number));
  auto list = spec(th::Location::Query, th::Style::Form, false, th::Shape::array(th::Scalar::Number));
  EXPECT_EQ(th::decodeQuery(th::Query::parse("color=1e400,-0,4.9e-324"), list), json({"1e400", 0, 4.9e-324}));
  auto path = spec(th::Location::Path, th::Style::Matrix, true, th::Shape::object({{"n", th::Scalar::Number}}));
  EXPECT_EQ(th::decodePath(";n=" + digits400, path), json({{"n", digits400}}));
}

TEST(ParamsRoundTrip, EveryStyleGivesItsValueBack) {
  // Characters that need encoding, except each style's own delimiter where the style
  // itself is ambiguous (a space in spaceDelimited items, '|' in pipeDelimited ones).
  const json text = "a b,c/d;e=f.g&h%i+k[l]#\xc3\xbc?";
  const json plain = "a,b/c;d=e.f&g%h+i[j]#\xc3\xbc?";
  const json array = json::array({"x,y", "1.5", "z/w", "\xc3\xa9t\xc3\xa9"});
  const json object = {{"a=b", "c,d"}, {"e.f", "g;h"}};
  struct Case {
    th::Location in;
    th::Style style;
    bool explode;
  };
  const std::vector<Case> cases = {
      {th::Location::Path, th::Style::Simple, false},  {th::Location::Path, th::Style::Simple, true},
      {th::Location::Path, th::Style::Label, false},   {th::Location::Path, th::Style::Label, true},
      {th::Location::Path, th::Style::Matrix, false},  {th::Location::Path, th::Style::Matrix, true},
      {th::Location::Query, th::Style::Form, false},   {th::Location::Query, th::Style::Form, true},
      {th::Location::Query, th::Style::SpaceDelimited, false}, {th::Location::Query, th::Style::PipeDelimited, false},
      {th::Location::Query, th::Style::DeepObject, true}, {th::Location::Cookie, th::Style::Form, false},
      {th::Location::Cookie, th::Style::Form, true},
  };
  for (const Case& c : cases) {
    for (int kind = 0; kind < 3; ++kind) {
      if (c.style == th::Style::DeepObject && kind != 2) continue;
      if ((c.style == th::Style::SpaceDelimited || c.style == th::Style::PipeDelimited) && kind == 0) continue;
      th::Shape shape = kind == 0 ? th::Shape::primitive() : kind == 1 ? th::Shape::array() : th::Shape::object();
      json value = kind == 0 ? (c.in == th::Location::Path ? text : plain) : kind == 1 ? array : object;
      th::ParamSpec s = spec(c.in, c.style, c.explode, shape);
      SCOPED_TRACE(std::to_string(static_cast<int>(c.style)) + (c.explode ? " explode " : " ") + std::to_string(kind));
      std::optional<json> back;
      if (c.in == th::Location::Path) {
        back = th::decodePath(th::encodePath(value, s), s);
      } else if (c.in == th::Location::Query) {
        back = th::decodeQuery(th::Query::parse(encodeQuery(value, s)), s);
      } else {
        back = th::decodeCookie(th::Headers{{"Cookie", th::encodeCookie(value, s)}}, s);
      }
      EXPECT_EQ(back, value);
    }
  }
}

TEST(ParamsEncode, AllowReservedKeepsReservedCharacters) {
  auto s = spec(th::Location::Query, th::Style::Form, true, {});
  EXPECT_EQ(encodeQuery("a/b?c:d", s), "color=a%2Fb%3Fc%3Ad");
  s.allowReserved = true;
  EXPECT_EQ(encodeQuery("a/b?c:d", s), "color=a/b?c:d");
  // ...but never what would split or end the query, and existing escapes pass through.
  EXPECT_EQ(encodeQuery("a&b#c+d %41", s), "color=a%26b%23c%2Bd%20%41");
}

TEST(Percent, EncodeDecode) {
  EXPECT_EQ(th::percentEncode("a b~c-d_e.f"), "a%20b~c-d_e.f");
  EXPECT_EQ(th::percentEncode("\xc3\xbc"), "%C3%BC");
  EXPECT_EQ(th::percentDecode("%c3%BC"), "\xc3\xbc");
  EXPECT_EQ(th::percentDecode("a+b", true), "a b");
  EXPECT_EQ(th::percentDecode("a+b", false), "a+b");
  EXPECT_EQ(th::percentDecodeLenient("100%"), "100%");
  EXPECT_THROW(th::percentDecode("100%"), th::DecodeError);
}

TEST(QueryParse, OrderedDecodedPairs) {
  th::Query q = th::Query::parse("?a=1&b=x+y&&a=2&flag&c=%41");
  ASSERT_EQ(q.size(), 5u);
  EXPECT_EQ(q.getAll("a"), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(q.get("b"), "x y");
  EXPECT_TRUE(q.has("flag"));
  EXPECT_FALSE(q.items()[3].hasValue);
  EXPECT_EQ(q.get("c"), "A");
  EXPECT_EQ(q.items()[4].rawValue, "%41");
  EXPECT_TRUE(th::Query::parse("").empty());
}

TEST(ParamsDefaults, PerLocation) {
  EXPECT_EQ(th::defaultParam("id", th::Location::Path).style, th::Style::Simple);
  EXPECT_FALSE(th::defaultParam("id", th::Location::Header).explode);
  EXPECT_EQ(th::defaultParam("q", th::Location::Query).style, th::Style::Form);
  EXPECT_TRUE(th::defaultParam("q", th::Location::Cookie).explode);
}
