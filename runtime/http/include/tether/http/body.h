// Request body parsers that never throw on bad input: each returns either a value or a
// 400 Problem saying what is wrong and where. JSON is parsed under a size and a nesting
// limit with UTF-8 enforced; forms (application/x-www-form-urlencoded) and multipart
// (multipart/form-data) become JSON objects typed by a Shape, file parts keeping bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tether/http/headers.h"
#include "tether/http/params.h"
#include "tether/http/problem.h"

namespace tether::http {

struct BodyLimits {
  std::size_t maxBytes = 1 << 20;
  int maxDepth = 64;         // JSON nesting of arrays and objects
  std::size_t maxParts = 1000;  // multipart parts and form fields
};

struct JsonResult {
  nlohmann::json value;           // valid when !problem
  std::optional<Problem> problem;  // 400 BAD_REQUEST (413 PAYLOAD_TOO_LARGE for size)
  explicit operator bool() const { return !problem.has_value(); }
};

// The problem's detail names line and column ("... at line 1, column 18"), and
// problem->extra carries {"line", "column", "offset"} of the first bad byte.
JsonResult parseJsonBody(std::string_view body, const BodyLimits& limits = {});

// application/x-www-form-urlencoded → an object. Values typed by shape.properties; a
// key that repeats, or is listed in shape.arrayProperties, gives an array.
JsonResult parseFormBody(std::string_view body, const Shape& shape, const BodyLimits& limits = {});

struct Part {
  std::string name;         // from Content-Disposition: form-data; name="..."
  std::optional<std::string> filename;  // present for file parts
  std::string contentType;  // the part's Content-Type, "text/plain" when absent
  Headers headers;
  std::string data;         // the raw bytes
  bool isFile() const;      // a filename, or a content type that is not text
};

struct MultipartResult {
  std::vector<Part> parts;
  std::optional<Problem> problem;
  explicit operator bool() const { return !problem.has_value(); }
};

// `contentType` is the request's Content-Type (it carries the boundary).
MultipartResult parseMultipart(std::string_view body, std::string_view contentType, const BodyLimits& limits = {});

// The parts as one object: text parts typed like form fields; a JSON part
// (application/json) parsed; file parts as strings holding their raw bytes (so a
// `type: string` schema validates them; use Part::data for the bytes, and do not dump()
// such a value, since the bytes need not be UTF-8).
JsonResult multipartToJson(const std::vector<Part>& parts, const Shape& shape, const BodyLimits& limits = {});

}  // namespace tether::http
