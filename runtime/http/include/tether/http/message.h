// Request and Response: the transport-neutral messages the dispatcher and the generated
// handlers work on (the httplib adapter converts to and from them).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tether/http/headers.h"
#include "tether/http/query.h"

namespace tether::http {

struct Request {
  std::string method;    // as sent (upper case for standard methods)
  std::string path;      // raw: still %-encoded, without the query
  std::string rawQuery;  // without '?'
  Query query;           // Query::parse(rawQuery)
  Headers headers;
  std::string body;
  // The router's captures for the template variables, raw (still %-encoded); decode
  // them with decodePath.
  std::vector<std::pair<std::string, std::string>> pathParams;
  std::string remoteAddr;

  // The raw text of a path parameter, or nullptr.
  const std::string* pathParam(std::string_view name) const {
    for (const auto& p : pathParams) {
      if (p.first == name) return &p.second;
    }
    return nullptr;
  }
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // The body's media type; when set it is the Content-Type sent (over any header).
  std::string contentType;

  static Response json(int status, const std::string& body, std::string contentType = "application/json") {
    Response r;
    r.status = status;
    r.body = body;
    r.contentType = std::move(contentType);
    return r;
  }
  static Response empty(int status) {
    Response r;
    r.status = status;
    return r;
  }
};

}  // namespace tether::http
