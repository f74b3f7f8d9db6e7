// The HTTP/1.1 request parser and response head of the event-loop transport (wire.h), on
// bytes: what is accepted, what is refused with which status, and where a request ends.
#include <gtest/gtest.h>

#include "tether/http/wire.h"

namespace th = tether::http;
namespace wire = tether::http::wire;
using State = wire::Parsed::State;

namespace {

wire::Parsed parse(std::string_view bytes, wire::Limits limits = {}) { return wire::parseRequest(bytes, limits); }

}  // namespace

TEST(Wire, ParsesARequestWithABody) {
  std::string bytes = "POST /v1/projects?limit=5&x=%20 HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                      "Content-Length: 13\r\n\r\n{\"name\":\"a\"}\nGET /next HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  wire::Parsed p = parse(bytes);
  ASSERT_EQ(p.state, State::Complete) << p.errorDetail;
  EXPECT_EQ(p.request.method, "POST");
  EXPECT_EQ(p.request.path, "/v1/projects");
  EXPECT_EQ(p.request.rawQuery, "limit=5&x=%20");
  EXPECT_EQ(p.request.headers.get("content-type"), "application/json");
  EXPECT_EQ(p.request.body, "{\"name\":\"a\"}\n");
  EXPECT_TRUE(p.keepAlive);
  // The request ends after its 13 bytes of content; the pipelined one follows.
  EXPECT_EQ(bytes.substr(p.consumed), "GET /next HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
}

TEST(Wire, IncompleteUntilTheHeadAndBodyHaveArrived) {
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: h\r\n").state, State::Incomplete);
  wire::Parsed p = parse("PUT /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n12345");
  EXPECT_EQ(p.state, State::HeadOnly);
  EXPECT_FALSE(p.expectContinue);
  p = parse("PUT /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(p.state, State::HeadOnly);
  EXPECT_TRUE(p.expectContinue);
  p = parse("PUT /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n0123456789");
  EXPECT_EQ(p.state, State::Complete);
  EXPECT_FALSE(p.expectContinue);
}

TEST(Wire, DecodesChunkedBodiesAndDropsTrailers) {
  std::string bytes = "POST /u HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "4;name=value\r\nWiki\r\n6\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\nX-Trailer: t\r\n\r\nNEXT";
  wire::Parsed p = parse(bytes);
  ASSERT_EQ(p.state, State::Complete) << p.errorDetail;
  EXPECT_EQ(p.request.body, "Wikipedia in \r\n\r\nchunks.");
  // Handlers see a body of known length, and no trailer field.
  EXPECT_FALSE(p.request.headers.has("Transfer-Encoding"));
  EXPECT_EQ(p.request.headers.get("Content-Length"), "24");
  EXPECT_FALSE(p.request.headers.has("X-Trailer"));
  EXPECT_EQ(bytes.substr(p.consumed), "NEXT");
  // Cut anywhere inside the chunks, it is not complete yet.
  for (std::size_t cut = bytes.find("\r\n\r\n") + 4; cut < p.consumed; ++cut) {
    EXPECT_EQ(parse(bytes.substr(0, cut)).state, State::HeadOnly) << cut;
  }
}

TEST(Wire, AcceptsBareLineFeedsAndLeadingEmptyLines) {
  wire::Parsed p = parse("\r\n\nGET /a HTTP/1.1\nHost: 127.0.0.1\nAccept: */*\n\n");
  ASSERT_EQ(p.state, State::Complete) << p.errorDetail;
  EXPECT_EQ(p.request.path, "/a");
  EXPECT_EQ(p.request.headers.get("Accept"), "*/*");
}

TEST(Wire, ConnectionPersistenceFollowsVersionAndConnectionField) {
  EXPECT_TRUE(parse("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").keepAlive);
  EXPECT_FALSE(parse("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").keepAlive);
  EXPECT_FALSE(parse("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: TE, Close\r\n\r\n").keepAlive);
  EXPECT_FALSE(parse("GET / HTTP/1.0\r\n\r\n").keepAlive);
  EXPECT_TRUE(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keepAlive);
}

TEST(Wire, TargetsInAbsoluteFormAndTheAsteriskForm) {
  wire::Parsed p = parse("GET http://example.com:8080/v1/x?y=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  ASSERT_EQ(p.state, State::Complete);
  EXPECT_EQ(p.request.path, "/v1/x");
  EXPECT_EQ(p.request.rawQuery, "y=1");
  EXPECT_EQ(parse("OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").request.path, "*");
  EXPECT_EQ(parse("GET * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").errorStatus, 400);
}

TEST(Wire, HostFieldsThatAreAccepted) {
  for (const char* host : {"127.0.0.1", "127.0.0.1:8080", "api.example.com", "xn--bcher-kva.example:443", "[::1]",
                           "[::1]:80", "[v1.fe80::a+en1]", "a%20b", "h:", ""}) {
    wire::Parsed p = parse(std::string("GET / HTTP/1.1\r\nHost: ") + host + "\r\n\r\n");
    EXPECT_EQ(p.state, State::Complete) << host << ": " << p.errorDetail;
  }
  // HTTP/1.0 predates Host: a request without one is served.
  EXPECT_EQ(parse("GET / HTTP/1.0\r\n\r\n").state, State::Complete);
  // The refusal says why, for the problem's detail.
  EXPECT_EQ(parse("GET / HTTP/1.1\r\n\r\n").errorDetail, "An HTTP/1.1 request needs a Host header field.");
  EXPECT_EQ(wire::hostProblem(2, "a", true), "The request has more than one Host header field.");
  EXPECT_EQ(wire::hostProblem(1, "a,b", false), "The Host header field is not a host with an optional port.");
  EXPECT_EQ(wire::hostProblem(0, "", true), std::nullopt);
}

struct Refusal {
  const char* name;
  std::string bytes;
  int status;
};

class WireRefuses : public ::testing::TestWithParam<Refusal> {};

TEST_P(WireRefuses, WithTheRightStatus) {
  wire::Limits limits;
  limits.maxHeaderBytes = 256;
  limits.maxTargetBytes = 128;
  limits.maxBodyBytes = 64;
  wire::Parsed p = parse(GetParam().bytes, limits);
  EXPECT_EQ(p.state, State::Error);
  EXPECT_EQ(p.errorStatus, GetParam().status) << p.errorDetail;
  EXPECT_FALSE(p.errorDetail.empty());
  EXPECT_FALSE(p.keepAlive);
}

INSTANTIATE_TEST_SUITE_P(
    Wire, WireRefuses,
    ::testing::Values(
        Refusal{"NoVersion", "GET /\r\n\r\n", 400},
        Refusal{"ExtraSpace", "GET  / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400},
        Refusal{"MethodNotAToken", "G(T / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400},
        Refusal{"ControlInTarget", std::string("GET /a\x01 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), 400},
        Refusal{"RelativeTarget", "GET a/b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400},
        Refusal{"GarbageVersion", "GET / HTTX/1.1\r\n\r\n", 400},
        Refusal{"Http2", "GET / HTTP/2.0\r\n\r\n", 505},
        Refusal{"ObsFold", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: 1\r\n  continued\r\n\r\n", 400},
        Refusal{"SpaceBeforeColon", "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400},
        Refusal{"NoColon", "GET / HTTP/1.1\r\nHost\r\n\r\n", 400},
        Refusal{"NulInValue", std::string("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\0b\r\n\r\n", 45), 400},
        Refusal{"LengthNotANumber", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1e3\r\n\r\n", 400},
        Refusal{"NegativeLength", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n", 400},
        Refusal{"LengthList", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3, 3\r\n\r\nabc", 400},
        Refusal{"TwoDifferentLengths", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400},
        Refusal{"LengthAndChunked", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
        Refusal{"GzipCoding", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
        Refusal{"ChunkedTwice", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 501},
        Refusal{"ChunkedInHttp10", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
        Refusal{"BadChunkSize", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
        Refusal{"ChunkLongerThanItsSize", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", 400},
        Refusal{"OtherExpectation", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 200-ok\r\n\r\n", 417},
        Refusal{"DeclaredBodyTooLarge", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 65\r\n\r\n", 413},
        Refusal{"ChunkedBodyTooLarge", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n" + std::string(64, 'a') + "\r\n1\r\n", 413},
        Refusal{"TargetTooLong", "GET /" + std::string(200, 'a') + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414},
        Refusal{"TargetTooLongBeforeLineEnd", "GET /" + std::string(200, 'a'), 414},
        // RFC 9112 section 3.2: Host once, and a host[:port].
        Refusal{"NoHost", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400},
        Refusal{"TwoHosts", "GET / HTTP/1.1\r\nHost: a\r\nAccept: */*\r\nhost: a\r\n\r\n", 400},
        Refusal{"TwoHostsInHttp10", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", 400},
        Refusal{"HostList", "GET / HTTP/1.1\r\nHost: a,b\r\n\r\n", 400},
        Refusal{"HostWithSpace", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400},
        Refusal{"HostWithUserinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400},
        Refusal{"HostWithPath", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400},
        Refusal{"HostPortNotDigits", "GET / HTTP/1.1\r\nHost: a:http\r\n\r\n", 400},
        Refusal{"HostPortTooLong", "GET / HTTP/1.1\r\nHost: a:123456\r\n\r\n", 400},
        Refusal{"HostTwoPorts", "GET / HTTP/1.1\r\nHost: a:1:2\r\n\r\n", 400},
        Refusal{"HostPortOnly", "GET / HTTP/1.1\r\nHost: :80\r\n\r\n", 400},
        Refusal{"HostBadEscape", "GET / HTTP/1.1\r\nHost: a%zz\r\n\r\n", 400},
        Refusal{"HostUnclosedBracket", "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", 400},
        Refusal{"HostEmptyBrackets", "GET / HTTP/1.1\r\nHost: []\r\n\r\n", 400},
        Refusal{"HostAfterBracket", "GET / HTTP/1.1\r\nHost: [::1]x\r\n\r\n", 400},
        Refusal{"HostNotAscii", "GET / HTTP/1.1\r\nHost: b\xc3\xbc" "cher.example\r\n\r\n", 400},
        Refusal{"HeadTooLarge", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: " + std::string(300, 'a') + "\r\n\r\n", 431},
        Refusal{"HeadTooLargeBeforeItEnds", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: " + std::string(300, 'a'), 431}),
    [](const ::testing::TestParamInfo<Refusal>& param) { return param.param.name; });

TEST(Wire, ResponseHeadHasLengthAndConnectionOfItsOwn) {
  th::Response r = th::Response::json(201, R"({"id":1})");
  r.headers.set("Content-Type", "application/json");
  r.headers.set("Content-Length", "999");  // a handler's own framing is replaced
  r.headers.set("Connection", "upgrade");
  r.headers.add("Set-Cookie", "a=1");
  r.headers.add("Set-Cookie", "b=2");
  EXPECT_EQ(wire::serializeHead(r, false, false),
            "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n"
            "Content-Length: 8\r\n\r\n");
  EXPECT_EQ(wire::serializeHead(th::Response::empty(204), false, true), "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
}

TEST(Wire, HeadAnswerKeepsTheLengthOfGet) {
  th::Response r = th::Response::empty(200);
  r.headers.set("Content-Length", "1234");  // what dispatch() sets for HEAD
  EXPECT_EQ(wire::serializeHead(r, true, false), "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
  EXPECT_EQ(wire::reasonPhrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(wire::reasonPhrase(599), "Unknown");
}
