// HTTP/1.1 request parsing and response heads (RFC 9112). See wire.h for what is refused
// and why.
#include "tether/http/wire.h"

#include <charconv>
#include <cstdint>

#include "tether/http/headers.h"

namespace tether::http::wire {

namespace {

using State = Parsed::State;

// Field values: visible characters, obs-text and inner spaces/tabs; no other controls.
bool fieldValue(std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  }
  return true;
}

// The request-target: no whitespace or controls (percent-encoding is the router's business).
bool targetChars(std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

std::string_view trimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The next line of `bytes` from `pos`, without its line ending (CRLF, or a bare LF, which
// RFC 9112 2.2 lets a recipient accept). npos when no line ending has arrived yet.
std::size_t lineEnd(std::string_view bytes, std::size_t pos, std::string_view& line) {
  std::size_t lf = bytes.find('\n', pos);
  if (lf == std::string_view::npos) return std::string_view::npos;
  std::size_t end = (lf > pos && bytes[lf - 1] == '\r') ? lf - 1 : lf;
  line = bytes.substr(pos, end - pos);
  return lf + 1;
}

bool containsToken(std::string_view list, std::string_view wanted) {
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view item = trimOws(list.substr(0, comma));
    if (iequals(item, wanted)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

// RFC 3986's sub-delims but ',': a comma in Host means a list of hosts.
bool hostSubDelim(char c) {
  switch (c) {
    case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case '+': case ';': case '=':
      return true;
    default:
      return false;
  }
}

bool hostUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

bool hexDigit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// reg-name and IPv4address: unreserved, pct-encoded and sub-delims (no comma).
bool regName(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || !hexDigit(s[i + 1]) || !hexDigit(s[i + 2])) return false;
      i += 2;
    } else if (!hostUnreserved(s[i]) && !hostSubDelim(s[i])) {
      return false;
    }
  }
  return !s.empty();
}

// IP-literal without its brackets: an IPv6 address or an IPvFuture ("v1.x"), whose
// characters are unreserved, sub-delims or ':'. The exact IPv6 grammar is not checked:
// the field is not used to route, only refused when it cannot be an authority.
bool ipLiteral(std::string_view s) {
  for (char c : s) {
    if (!hostUnreserved(c) && !hostSubDelim(c) && c != ':') return false;
  }
  return !s.empty();
}

// uri-host [ ":" port ], with port at most five digits.
bool validHost(std::string_view value) {
  std::string_view host = value;
  if (!value.empty() && value.front() == '[') {
    std::size_t close = value.find(']');
    if (close == std::string_view::npos || !ipLiteral(value.substr(1, close - 1))) return false;
    host = value.substr(0, close + 1);
  } else {
    host = value.substr(0, value.find(':'));
    if (!regName(host)) return false;
  }
  std::string_view rest = value.substr(host.size());
  if (rest.empty()) return true;
  if (rest.front() != ':' || rest.size() > 6) return false;
  for (char c : rest.substr(1)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Parsed fail(Parsed p, int status, std::string detail) {
  p.state = State::Error;
  p.errorStatus = status;
  p.errorDetail = std::move(detail);
  p.keepAlive = false;
  return p;
}

// Decodes a chunked body starting at `pos`. Returns the state; on Complete, `end` is the
// offset after the trailer section.
State dechunk(std::string_view bytes, std::size_t pos, const Limits& limits, std::string& body, std::size_t& end,
              int& status, std::string& detail) {
  body.clear();
  for (;;) {
    std::string_view line;
    std::size_t next = lineEnd(bytes, pos, line);
    if (next == std::string_view::npos) {
      if (bytes.size() - pos > 1024) {
        status = 400;
        detail = "A chunk-size line is too long.";
        return State::Error;
      }
      return State::Incomplete;
    }
    std::string_view size = line.substr(0, line.find(';'));  // chunk extensions are ignored
    size = trimOws(size);
    std::uint64_t n = 0;
    auto [ptr, ec] = std::from_chars(size.data(), size.data() + size.size(), n, 16);
    if (size.empty() || size.size() > 15 || ec != std::errc() || ptr != size.data() + size.size()) {
      status = 400;
      detail = "A chunk size is not a hexadecimal number.";
      return State::Error;
    }
    pos = next;
    if (n == 0) {
      // Trailer fields, then the empty line. They are read and dropped.
      std::size_t trailerBytes = 0;
      for (;;) {
        std::size_t after = lineEnd(bytes, pos, line);
        if (after == std::string_view::npos) {
          if (bytes.size() - pos > limits.maxHeaderBytes) {
            status = 431;
            detail = "The trailer fields are too large.";
            return State::Error;
          }
          return State::Incomplete;
        }
        pos = after;
        if (line.empty()) {
          end = pos;
          return State::Complete;
        }
        trailerBytes += line.size() + 2;
        if (trailerBytes > limits.maxHeaderBytes) {
          status = 431;
          detail = "The trailer fields are too large.";
          return State::Error;
        }
      }
    }
    if (body.size() + n > limits.maxBodyBytes) {
      status = 413;
      detail = "The body exceeds " + std::to_string(limits.maxBodyBytes) + " bytes.";
      return State::Error;
    }
    if (bytes.size() - pos < n + 1) return State::Incomplete;
    body.append(bytes.substr(pos, n));
    pos += n;
    // The chunk's data ends in CRLF (or LF).
    if (bytes[pos] == '\r') {
      if (bytes.size() - pos < 2) return State::Incomplete;
      if (bytes[pos + 1] != '\n') {
        status = 400;
        detail = "A chunk is longer than its size.";
        return State::Error;
      }
      pos += 2;
    } else if (bytes[pos] == '\n') {
      pos += 1;
    } else {
      status = 400;
      detail = "A chunk is longer than its size.";
      return State::Error;
    }
  }
}

}  // namespace

Parsed parseRequest(std::string_view bytes, const Limits& limits) {
  Parsed p;
  // RFC 9112 2.2: empty lines before the request line are ignored (clients that send an
  // extra CRLF after a POST body).
  std::size_t pos = 0;
  while (pos < bytes.size() && pos < 64 && (bytes[pos] == '\r' || bytes[pos] == '\n')) ++pos;

  std::string_view line;
  std::size_t next = lineEnd(bytes, pos, line);
  if (next == std::string_view::npos) {
    if (bytes.size() - pos > limits.maxTargetBytes) return fail(std::move(p), 414, "The request line is too long.");
    return p;
  }
  if (line.size() > limits.maxTargetBytes) return fail(std::move(p), 414, "The request line is too long.");

  // request-line = method SP request-target SP HTTP-version
  std::size_t sp1 = line.find(' ');
  std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return fail(std::move(p), 400, "The request line is not 'method target version'.");
  }
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (!isToken(method)) return fail(std::move(p), 400, "The method is not a token.");
  if (target.empty() || !targetChars(target)) return fail(std::move(p), 400, "The request target has spaces or control characters.");
  bool http10 = false;
  if (version == "HTTP/1.1") {
  } else if (version == "HTTP/1.0") {
    http10 = true;
  } else if (version.size() == 8 && version.substr(0, 5) == "HTTP/" && version[6] == '.' &&
             version[5] >= '0' && version[5] <= '9' && version[7] >= '0' && version[7] <= '9') {
    return fail(std::move(p), 505, "Only HTTP/1.1 and HTTP/1.0 are served.");
  } else {
    return fail(std::move(p), 400, "The HTTP version is malformed.");
  }
  // absolute-form (RFC 9112 3.2.2), as sent to proxies: keep the path and query.
  if (target.substr(0, 7) == "http://" || target.substr(0, 8) == "https://") {
    std::size_t slash = target.find('/', target.find("//") + 2);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  } else if (target.front() != '/' && !(target == "*" && method == "OPTIONS")) {
    return fail(std::move(p), 400, "The request target is not a path.");
  }
  p.request.method = std::string(method);
  std::size_t question = target.find('?');
  p.request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) p.request.rawQuery = std::string(target.substr(question + 1));

  // Field lines up to the empty line.
  std::size_t headStart = next;
  pos = next;
  bool chunked = false, haveLength = false, close = false, keepAliveToken = false;
  std::uint64_t length = 0;
  std::size_t hostFields = 0;
  std::string_view host;
  for (;;) {
    next = lineEnd(bytes, pos, line);
    if (next == std::string_view::npos) {
      if (bytes.size() - headStart > limits.maxHeaderBytes) {
        return fail(std::move(p), 431, "The request's header fields are too large.");
      }
      p.state = State::Incomplete;
      p.request = Request{};
      return p;
    }
    if (next - headStart > limits.maxHeaderBytes) return fail(std::move(p), 431, "The request's header fields are too large.");
    pos = next;
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') return fail(std::move(p), 400, "Folded header lines (obs-fold) are not accepted.");
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return fail(std::move(p), 400, "A header line has no colon.");
    std::string_view name = line.substr(0, colon);
    std::string_view value = trimOws(line.substr(colon + 1));
    if (!isToken(name)) return fail(std::move(p), 400, "A header name is not a token (or has whitespace before the colon).");
    if (!fieldValue(value)) return fail(std::move(p), 400, "A header value has control characters.");

    if (iequals(name, "Content-Length")) {
      std::uint64_t n = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (value.empty() || value.size() > 18 || ec != std::errc() || ptr != value.data() + value.size()) {
        return fail(std::move(p), 400, "Content-Length is not a decimal number.");
      }
      if (haveLength && n != length) return fail(std::move(p), 400, "Content-Length is given twice with different values.");
      haveLength = true;
      length = n;
    } else if (iequals(name, "Transfer-Encoding")) {
      // Only "chunked", once, and last; any other coding cannot be decoded here.
      if (chunked || !iequals(value, "chunked")) {
        return fail(std::move(p), 501, "The only transfer coding accepted is chunked.");
      }
      chunked = true;
    } else if (iequals(name, "Connection")) {
      if (containsToken(value, "close")) close = true;
      if (containsToken(value, "keep-alive")) keepAliveToken = true;
    } else if (iequals(name, "Expect")) {
      if (!iequals(value, "100-continue")) return fail(std::move(p), 417, "The only expectation met is 100-continue.");
      p.expectContinue = true;
    } else if (iequals(name, "Host")) {
      if (++hostFields == 1) host = value;
    }
    p.request.headers.add(std::string(name), std::string(value));
  }
  if (std::optional<std::string> refused = hostProblem(hostFields, host, http10)) {
    return fail(std::move(p), 400, std::move(*refused));
  }
  p.keepAlive = !close && (!http10 || keepAliveToken);
  if (chunked && haveLength) return fail(std::move(p), 400, "Content-Length and Transfer-Encoding together are ambiguous.");
  if (chunked && http10) return fail(std::move(p), 400, "HTTP/1.0 has no chunked transfer coding.");
  if (haveLength && length > limits.maxBodyBytes) {
    return fail(std::move(p), 413, "The body exceeds " + std::to_string(limits.maxBodyBytes) + " bytes.");
  }

  if (chunked) {
    std::size_t end = 0;
    int status = 0;
    std::string detail;
    State s = dechunk(bytes, pos, limits, p.request.body, end, status, detail);
    if (s == State::Error) return fail(std::move(p), status, std::move(detail));
    if (s == State::Incomplete) {
      p.request.body.clear();
      p.state = State::HeadOnly;
      return p;
    }
    // The decoded body stands in for the chunks: handlers see a body of known length.
    p.request.headers.remove("Transfer-Encoding");
    p.request.headers.set("Content-Length", std::to_string(p.request.body.size()));
    p.consumed = end;
  } else {
    if (bytes.size() - pos < length) {
      p.state = State::HeadOnly;
      return p;
    }
    p.request.body.assign(bytes.substr(pos, static_cast<std::size_t>(length)));
    p.consumed = pos + static_cast<std::size_t>(length);
  }
  p.expectContinue = false;
  p.state = State::Complete;
  return p;
}

std::optional<std::string> hostProblem(std::size_t hostFields, std::string_view firstValue, bool http10) {
  if (hostFields == 0) {
    if (http10) return std::nullopt;  // HTTP/1.0 predates Host
    return "An HTTP/1.1 request needs a Host header field.";
  }
  if (hostFields > 1) return "The request has more than one Host header field.";
  if (firstValue.empty()) return std::nullopt;  // a target URI without an authority
  if (!validHost(firstValue)) return "The Host header field is not a host with an optional port.";
  return std::nullopt;
}

std::string_view reasonPhrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 203: return "Non-Authoritative Information";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 423: return "Locked";
    case 425: return "Too Early";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

std::string serializeHead(const Response& response, bool headRequest, bool close) {
  std::string out;
  out.reserve(256 + response.headers.wireSize());
  out += "HTTP/1.1 ";
  out += std::to_string(response.status);
  out += ' ';
  out += reasonPhrase(response.status);
  out += "\r\n";
  std::string_view headLength;
  for (const auto& [name, value] : response.headers) {
    if (iequals(name, "Content-Length")) {
      headLength = value;
      continue;
    }
    if (iequals(name, "Connection") || iequals(name, "Transfer-Encoding")) continue;
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  // 1xx, 204 and 304 carry no content and no Content-Length (RFC 9110 8.6).
  const bool bodiless = response.status < 200 || response.status == 204 || response.status == 304;
  if (!bodiless) {
    out += "Content-Length: ";
    if (headRequest && response.body.empty() && !headLength.empty()) {
      out += headLength;
    } else {
      out += std::to_string(response.body.size());
    }
    out += "\r\n";
  }
  if (close) out += "Connection: close\r\n";
  out += "\r\n";
  return out;
}

}  // namespace tether::http::wire
