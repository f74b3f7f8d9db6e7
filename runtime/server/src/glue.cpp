#include "tether/server/glue.h"

#include <set>

namespace tether::server {

namespace {

const char* locationName(http::Location in) {
  switch (in) {
    case http::Location::Path:
      return "path";
    case http::Location::Query:
      return "query";
    case http::Location::Header:
      return "header";
    case http::Location::Cookie:
      return "cookie";
  }
  return "parameter";
}

// Basic output lists a failing keyword and the applicators above it; the leaves say what
// is wrong, so one error per (pointer, message) is kept, in order.
std::vector<http::FieldError> fieldErrors(const schema::Result& result) {
  std::vector<http::FieldError> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (const schema::OutputUnit& unit : result.errors) {
    if (seen.insert({unit.instance_location, unit.error}).second) {
      out.push_back({unit.instance_location, unit.error});
    }
  }
  return out;
}

}  // namespace

std::string describe(const http::ParamSpec& spec) {
  return std::string(locationName(spec.in)) + " parameter \"" + spec.name + "\"";
}

std::optional<Json> RequestReader::param(const http::ParamSpec& spec, bool required, Evaluate evaluate,
                                         bool jsonContent) {
  std::optional<Json> value;
  try {
    switch (spec.in) {
      case http::Location::Path: {
        const std::string* raw = request_.pathParam(spec.name);
        if (raw != nullptr) value = http::decodePath(*raw, spec);
        break;
      }
      case http::Location::Query:
        value = http::decodeQuery(request_.query, spec);
        break;
      case http::Location::Header:
        value = http::decodeHeader(request_.headers, spec);
        break;
      case http::Location::Cookie:
        value = http::decodeCookie(request_.headers, spec);
        break;
    }
  } catch (const std::exception& e) {
    fail(spec, e.what());
    return std::nullopt;
  }
  if (!value) {
    if (required) fail(spec, "is required");
    return std::nullopt;
  }
  if (jsonContent && value->is_string()) {
    // Under the body's limits (depth, size, UTF-8, numbers a double holds): a 16 KiB
    // header could otherwise nest thousands of levels deep.
    http::JsonResult parsed = http::parseJsonBody(value->get<std::string>(), limits_);
    if (!parsed) {
      fail(spec, "is not valid JSON: " + parsed.problem->detail);
      return std::nullopt;
    }
    value = std::move(parsed.value);
  }
  if (evaluate != nullptr) {
    schema::Result result;
    evaluate(*value, result, evaluateOptions());
    if (!result.valid) {
      std::vector<http::FieldError> errors = fieldErrors(result);
      fail(spec, errors.empty() ? std::string("is invalid") : errors.front().message);
      return std::nullopt;
    }
  }
  return value;
}

schema::EvaluateOptions RequestReader::evaluateOptions() const {
  schema::EvaluateOptions options;
  options.direction = schema::Direction::Request;
  options.assert_formats = assertFormats_;
  return options;
}

void RequestReader::fail(const http::ParamSpec& spec, const std::string& message) {
  parameterErrors_.push_back(describe(spec) + ": " + message);
}

void RequestReader::checkParameters() const {
  if (parameterErrors_.empty()) return;
  std::string detail;
  for (const std::string& e : parameterErrors_) detail += (detail.empty() ? "" : "; ") + e;
  throw http::ProblemError(http::makeProblem(400, http::code::kBadRequest, detail + "."));
}

void RequestReader::throwValidation(std::vector<http::FieldError> errors) {
  http::Problem problem = http::makeProblem(422, http::code::kValidationFailed,
                                            "The request body does not match its schema.");
  problem.errors = std::move(errors);
  throw http::ProblemError(std::move(problem));
}

std::optional<Json> RequestReader::validated(Json value, bool required, Evaluate evaluate) {
  (void)required;
  if (evaluate != nullptr) {
    schema::Result result;
    evaluate(value, result, evaluateOptions());
    if (!result.valid) throwValidation(fieldErrors(result));
  }
  return value;
}

namespace {

[[noreturn]] void missingBody() {
  throw http::ProblemError(http::makeProblem(400, http::code::kBadRequest, "The request body is required."));
}

}  // namespace

std::optional<Json> RequestReader::jsonBody(bool required, Evaluate evaluate) {
  if (request_.body.empty()) {
    if (required) missingBody();
    return std::nullopt;
  }
  http::JsonResult parsed = http::parseJsonBody(request_.body, limits_);
  if (!parsed) throw http::ProblemError(*parsed.problem);
  return validated(std::move(parsed.value), required, evaluate);
}

std::optional<Json> RequestReader::formBody(bool required, const http::Shape& shape, Evaluate evaluate) {
  if (request_.body.empty() && required) missingBody();
  http::JsonResult parsed = http::parseFormBody(request_.body, shape, limits_);
  if (!parsed) throw http::ProblemError(*parsed.problem);
  return validated(std::move(parsed.value), required, evaluate);
}

std::optional<Json> RequestReader::multipartBody(bool required, const http::Shape& shape, Evaluate evaluate,
                                                 std::vector<http::Part>& parts) {
  if (request_.body.empty()) {
    if (required) missingBody();
    return std::nullopt;
  }
  http::MultipartResult result =
      http::parseMultipart(request_.body, request_.headers.get("Content-Type").value_or(""), limits_);
  if (!result) throw http::ProblemError(*result.problem);
  http::JsonResult object = http::multipartToJson(result.parts, shape, limits_);
  if (!object) throw http::ProblemError(*object.problem);
  parts = std::move(result.parts);
  return validated(std::move(object.value), required, evaluate);
}

void writeJson(http::Response& out, const Json& body, const std::string& mediaType, Evaluate evaluate) {
#ifndef NDEBUG
  if (evaluate != nullptr) {
    schema::Result result;
    schema::EvaluateOptions options;
    options.direction = schema::Direction::Response;
    // Formats are asserted on requests only: a server's own responses are checked as
    // before generated validators carried formats (issue 19 left responses as they were).
    options.assert_formats = false;
    evaluate(body, result, options);
    if (!result.valid) {
      http::Problem problem = http::makeProblem(
          500, http::code::kInternalError,
          "The handler's response does not match the spec (checked because this is a debug build).");
      problem.errors = fieldErrors(result);
      throw http::ProblemError(std::move(problem));
    }
  }
#else
  (void)evaluate;
#endif
  out.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  out.contentType = mediaType;
}

void writeRaw(http::Response& out, const std::string& body, const std::string& mediaType) {
  out.body = body;
  out.contentType = mediaType;
}

}  // namespace tether::server
