// HTTP/1.1 on the wire (RFC 9112): the request parser and the response serializer the
// event-loop transport uses. Pure functions over bytes, no sockets, so the parser is
// unit-tested and fuzzed on its own (fuzz/fuzz_http_request.cpp).
//
// The parser is strict where leniency lets requests be smuggled or misread: obs-fold,
// whitespace before a field's colon, control characters in values, a Content-Length that is
// not one decimal number, Content-Length together with Transfer-Encoding, and any transfer
// coding but chunked are refused rather than guessed at. So is a request whose Host field
// lines break RFC 9112 section 3.2 (see hostProblem).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "tether/http/message.h"

namespace tether::http::wire {

struct Limits {
  std::size_t maxHeaderBytes = 16384;  // the field lines of the head; over it → 431
  std::size_t maxTargetBytes = 8192;   // the request line; over it → 414
  std::size_t maxBodyBytes = 1 << 20;  // the content, after chunked decoding; over it → 413
};

struct Parsed {
  enum class State {
    Incomplete,  // need more bytes; nothing consumed
    HeadOnly,    // the head is complete and valid, the body not yet (see expectContinue)
    Complete,    // `request` holds the whole request; `consumed` bytes belong to it
    Error,       // the bytes are not an acceptable request: answer errorStatus and close
  };
  State state = State::Incomplete;
  Request request;  // Complete: all of it. Error/HeadOnly: what was read of the head.
  std::size_t consumed = 0;
  // Whether the connection may carry another request after this one (HTTP/1.1 unless
  // "Connection: close"; HTTP/1.0 only with "Connection: keep-alive").
  bool keepAlive = true;
  // HeadOnly: the client sent "Expect: 100-continue" and waits for an interim response
  // before it sends the body.
  bool expectContinue = false;
  int errorStatus = 0;       // 400, 413, 414, 417, 431, 501 or 505
  std::string errorDetail;   // one sentence for the problem's detail
};

// Parses the request at the start of `bytes`. Call again with more bytes while the state
// is Incomplete or HeadOnly; after Complete, the next request starts at `consumed`.
// `request.query` is left empty (Server::dispatch parses rawQuery).
Parsed parseRequest(std::string_view bytes, const Limits& limits);

// RFC 9112 section 3.2: a server must answer 400 to an HTTP/1.1 request without a Host
// field, and to any request with more than one Host field line or an invalid value. Given
// how many Host lines a request had and the first one's value, the reason to refuse it (one
// sentence for the problem's detail), or nullopt. A valid value is uri-host[:port]
// (RFC 3986): a reg-name or IPv4 address, or an IP literal in brackets, then at most five
// port digits; a comma is refused, because it means a list, and so is anything a URI
// authority cannot hold (spaces, '@', '/'). An empty value is valid: a client sends one
// when the target URI has no authority.
std::optional<std::string> hostProblem(std::size_t hostFields, std::string_view firstValue, bool http10);

// The status line and header fields of `response`, ending in the empty line. Content-Length
// is computed from the body, except for a HEAD answer, which keeps the Content-Length the
// dispatcher set from GET's body. Connection, Content-Length and Transfer-Encoding fields
// the handler set are replaced by the transport's own. `close` adds "Connection: close".
std::string serializeHead(const Response& response, bool headRequest, bool close);

// The reason phrase of a status code ("Not Found"), or "Unknown".
std::string_view reasonPhrase(int status);

}  // namespace tether::http::wire
