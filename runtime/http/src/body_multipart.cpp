// multipart/form-data bodies (RFC 7578 over RFC 2046's multipart syntax).
#include "codec_util.h"
#include "tether/http/body.h"
#include "tether/http/media.h"

namespace tether::http {

namespace {

constexpr std::size_t kMaxPartHeaderBytes = 8192;

MultipartResult failure(const std::string& detail) {
  return MultipartResult{{}, makeProblem(400, code::kBadRequest, "Malformed multipart body: " + detail + ".")};
}

// Content-Disposition parameters: `; name="value"` pairs, quoted or not.
std::vector<std::pair<std::string, std::string>> dispositionParams(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = text.find(';');
  while (i != std::string_view::npos && i < text.size()) {
    ++i;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    std::size_t eq = text.find('=', i);
    if (eq == std::string_view::npos) break;
    std::string name = toLower(detail::trim(text.substr(i, eq - i)));
    i = eq + 1;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    std::string value;
    if (i < text.size() && text[i] == '"') {
      ++i;
      while (i < text.size() && text[i] != '"') {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        value += text[i++];
      }
      ++i;  // closing quote
      i = text.find(';', i);
    } else {
      std::size_t end = text.find(';', i);
      value = std::string(detail::trim(text.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i)));
      i = end;
    }
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

// RFC 5987 ext-value: UTF-8''%e2%82%ac.txt
std::optional<std::string> extValue(std::string_view text) {
  std::size_t quote = text.find("''");
  if (quote == std::string_view::npos || !iequals(text.substr(0, quote), "utf-8")) return std::nullopt;
  try {
    return percentDecode(text.substr(quote + 2));
  } catch (const DecodeError&) {
    return std::nullopt;
  }
}

std::optional<std::string> fillPart(Part& part, std::string_view headerBlock) {
  for (std::string_view line : detail::split(headerBlock, "\r\n")) {
    if (line.empty()) continue;
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return "a part header line has no ':'";
    part.headers.add(std::string(detail::trim(line.substr(0, colon))), std::string(detail::trim(line.substr(colon + 1))));
  }
  std::optional<std::string> disposition = part.headers.get("Content-Disposition");
  if (!disposition) return "a part has no Content-Disposition";
  bool hasName = false;
  for (const auto& p : dispositionParams(*disposition)) {
    if (p.first == "name") {
      part.name = p.second;
      hasName = true;
    } else if (p.first == "filename" && !part.filename) {
      part.filename = p.second;
    } else if (p.first == "filename*") {
      if (std::optional<std::string> decoded = extValue(p.second)) part.filename = std::move(decoded);
    }
  }
  if (!hasName) return "a part's Content-Disposition has no name";
  if (!validUtf8(part.name) || (part.filename && !validUtf8(*part.filename))) return "a part name is not valid UTF-8";
  part.contentType = part.headers.get("Content-Type").value_or("text/plain");
  return std::nullopt;
}

}  // namespace

bool Part::isFile() const {
  if (filename) return true;
  std::optional<MediaType> mt = parseMediaType(contentType);
  return !mt || (mt->type != "text" && !isJsonMediaType(contentType));
}

MultipartResult parseMultipart(std::string_view body, std::string_view contentType, const BodyLimits& limits) {
  if (body.size() > limits.maxBytes) {
    return MultipartResult{{}, makeProblem(413, code::kPayloadTooLarge, "The body exceeds " + std::to_string(limits.maxBytes) + " bytes.")};
  }
  std::optional<MediaType> mt = parseMediaType(contentType);
  if (!mt || mt->type != "multipart") return failure("the Content-Type is not multipart");
  std::optional<std::string> boundary = mt->param("boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70) return failure("the boundary is missing or longer than 70 characters");
  const std::string delimiter = "--" + *boundary;
  const std::string nextDelimiter = "\r\n" + delimiter;

  // The first delimiter opens the body or follows a preamble line.
  std::size_t pos = 0;
  if (body.compare(0, delimiter.size(), delimiter) != 0) {
    pos = body.find(nextDelimiter);
    if (pos == std::string_view::npos) return failure("no boundary delimiter");
    pos += 2;
  }
  MultipartResult result;
  while (true) {
    pos += delimiter.size();
    if (body.compare(pos, 2, "--") == 0) return result;  // close delimiter; the epilogue is ignored
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;  // transport padding
    if (body.compare(pos, 2, "\r\n") != 0) return failure("a boundary delimiter is not followed by CRLF");
    pos += 2;
    if (result.parts.size() >= limits.maxParts) return failure("more than " + std::to_string(limits.maxParts) + " parts");
    Part part;
    std::size_t contentStart = 0;
    if (body.compare(pos, 2, "\r\n") == 0) {  // a part without header fields
      contentStart = pos + 2;
    } else {
      std::size_t headersEnd = body.find("\r\n\r\n", pos);
      if (headersEnd == std::string_view::npos || headersEnd - pos > kMaxPartHeaderBytes) {
        return failure("a part's header block is unterminated or too large");
      }
      if (std::optional<std::string> error = fillPart(part, body.substr(pos, headersEnd - pos))) return failure(*error);
      contentStart = headersEnd + 4;
    }
    if (part.name.empty() && !part.headers.has("Content-Disposition")) return failure("a part has no Content-Disposition");
    std::size_t contentEnd = body.find(nextDelimiter, contentStart);
    if (contentEnd == std::string_view::npos) return failure("the last part is not closed by a boundary");
    part.data = std::string(body.substr(contentStart, contentEnd - contentStart));
    result.parts.push_back(std::move(part));
    pos = contentEnd + 2;
  }
}

JsonResult multipartToJson(const std::vector<Part>& parts, const Shape& shape, const BodyLimits& limits) {
  nlohmann::json object = nlohmann::json::object();
  for (const Part& part : parts) {
    if (isJsonMediaType(part.contentType) && !part.filename) {
      JsonResult parsed = parseJsonBody(part.data, limits);
      if (!parsed) {
        Problem p = std::move(*parsed.problem);
        p.detail = "Part '" + part.name + "': " + p.detail;
        for (FieldError& e : p.errors) e.pointer = "/" + pointerToken(part.name) + e.pointer;
        return JsonResult{nullptr, std::move(p)};
      }
      detail::addField(object, part.name, std::move(parsed.value), shape);
    } else if (part.isFile()) {
      detail::addField(object, part.name, nlohmann::json(part.data), shape);
    } else {
      if (!validUtf8(part.data)) {
        Problem p = makeProblem(400, code::kBadRequest, "Part '" + part.name + "' is not valid UTF-8 text.");
        p.errors.push_back({"/" + pointerToken(part.name), "not valid UTF-8"});
        return JsonResult{nullptr, std::move(p)};
      }
      detail::addTextField(object, part.name, part.data, shape);
    }
  }
  return JsonResult{std::move(object), std::nullopt};
}

}  // namespace tether::http
