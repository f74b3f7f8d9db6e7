// Feeds arbitrary bytes to every parser of tether::http: as a query string and a path
// segment under every style, as Content-Type and Accept headers, as a multipart, JSON and
// form body, as a whole request through Server::dispatch, and as raw HTTP/1.1 bytes through
// the event-loop transport's parser (wire.h), each request it finds dispatched and its
// answer's head serialized. Nothing may crash, hang or leak; DecodeError is the only
// exception a decoder may throw.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tether/http/body.h"
#include "tether/http/media.h"
#include "tether/http/params.h"
#include "tether/http/server.h"
#include "tether/http/wire.h"

namespace th = tether::http;

namespace {

const th::Shape kShapes[] = {
    th::Shape::primitive(th::Scalar::Any),
    th::Shape::array(th::Scalar::Integer),
    th::Shape::object({{"R", th::Scalar::Integer}, {"n", th::Scalar::Number}}),
};

void params(std::string_view text) {
  const th::Query query = th::Query::parse(text);
  th::Headers headers{{"color", std::string(text)}, {"Cookie", std::string(text)}};
  for (const th::Shape& shape : kShapes) {
    for (bool explode : {false, true}) {
      for (th::Style style : {th::Style::Simple, th::Style::Label, th::Style::Matrix, th::Style::Form,
                              th::Style::SpaceDelimited, th::Style::PipeDelimited, th::Style::DeepObject}) {
        th::ParamSpec spec{"color", th::Location::Query, style, explode, false, shape};
        try {
          if (style == th::Style::Simple || style == th::Style::Label || style == th::Style::Matrix) {
            if (auto v = th::decodePath(text, spec)) (void)th::encodePath(*v, spec);
          } else {
            if (auto v = th::decodeQuery(query, spec)) {
              std::string out;
              th::appendQuery(out, *v, spec);
            }
          }
          if (style == th::Style::Simple) (void)th::decodeHeader(headers, spec);
          if (style == th::Style::Form) (void)th::decodeCookie(headers, spec);
        } catch (const th::DecodeError&) {
          // malformed input is reported, which is the point
        }
      }
    }
  }
}

void media(std::string_view text) {
  (void)th::parseMediaType(text);
  (void)th::parseAccept(text);
  (void)th::negotiate(text, {"application/json", "text/*", "application/problem+json"});
  (void)th::matchContentType(text, {"application/json", "application/*+json", "image/*", "*/*"});
}

void bodies(std::string_view text) {
  th::BodyLimits limits;
  limits.maxParts = 64;
  th::JsonResult json = th::parseJsonBody(text, limits);
  if (json) (void)json.value.dump();
  (void)th::parseFormBody(text, kShapes[2], limits);
  th::MultipartResult parts = th::parseMultipart(text, "multipart/form-data; boundary=B", limits);
  if (parts) (void)th::multipartToJson(parts.parts, kShapes[2], limits);
}

th::Server& server() {
  static th::Server* instance = [] {
    th::Router router;
    th::OperationInfo info;
    info.operationId = "getPet";
    info.method = "GET";
    info.pathTemplate = "/pets/{petId}";
    info.responseMediaTypes = {"application/json"};
    router.add(info, [](const th::Request& req, th::Context&) {
      (void)th::decodePath(*req.pathParam("petId"), th::defaultParam("petId", th::Location::Path));
      return th::Response::json(200, "{}");
    });
    info.operationId = "createPet";
    info.method = "POST";
    info.pathTemplate = "/pets/{name}.{ext}";
    info.requestMediaTypes = {"application/json", "multipart/form-data"};
    info.bodyRequired = true;
    router.add(info, [](const th::Request& req, th::Context&) {
      th::JsonResult body = th::parseJsonBody(req.body);
      return body ? th::Response::json(201, body.value.dump()) : th::problemResponse(*body.problem);
    });
    return new th::Server(std::move(router));  // never destroyed: the fuzzer exits without cleanup
  }();
  return *instance;
}

// "METHOD PATH\nName: value\n...\n\nbody"
void dispatch(std::string_view text) {
  th::Request request;
  std::size_t lineEnd = text.find('\n');
  std::string_view line = text.substr(0, lineEnd);
  std::size_t space = line.find(' ');
  request.method = std::string(line.substr(0, space));
  std::string_view target = space == std::string_view::npos ? std::string_view("/") : line.substr(space + 1);
  std::size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request.rawQuery = std::string(target.substr(question + 1));
  text = lineEnd == std::string_view::npos ? std::string_view() : text.substr(lineEnd + 1);
  while (!text.empty()) {
    lineEnd = text.find('\n');
    line = text.substr(0, lineEnd);
    text = lineEnd == std::string_view::npos ? std::string_view() : text.substr(lineEnd + 1);
    if (line.empty()) break;
    std::size_t colon = line.find(':');
    request.headers.add(std::string(line.substr(0, colon)), colon == std::string_view::npos ? "" : std::string(line.substr(colon + 1)));
  }
  request.body = std::string(text);
  (void)server().dispatch(std::move(request));
}

// The bytes as a connection would deliver them: every pipelined request, until one is
// incomplete or refused.
void wire(std::string_view bytes) {
  th::wire::Limits limits;
  limits.maxHeaderBytes = 512;
  limits.maxTargetBytes = 256;
  limits.maxBodyBytes = 1024;
  while (!bytes.empty()) {
    th::wire::Parsed parsed = th::wire::parseRequest(bytes, limits);
    if (parsed.state != th::wire::Parsed::State::Complete) break;
    if (parsed.consumed == 0 || parsed.consumed > bytes.size()) __builtin_trap();
    // What the parser took must parse the same on its own: the end of a request does not
    // depend on bytes after it.
    th::wire::Parsed alone = th::wire::parseRequest(bytes.substr(0, parsed.consumed), limits);
    if (alone.state != th::wire::Parsed::State::Complete || alone.consumed != parsed.consumed ||
        alone.request.body != parsed.request.body) {
      __builtin_trap();
    }
    const bool head = parsed.request.method == "HEAD";
    th::Response response = server().dispatch(std::move(parsed.request));
    (void)th::wire::serializeHead(response, head, !parsed.keepAlive);
    bytes.remove_prefix(parsed.consumed);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  params(text);
  media(text);
  bodies(text);
  dispatch(text);
  wire(text);
  return 0;
}
