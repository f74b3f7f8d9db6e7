// application/x-www-form-urlencoded bodies (the same syntax as a query string).
#include "codec_util.h"
#include "tether/http/body.h"

namespace tether::http {

JsonResult parseFormBody(std::string_view body, const Shape& shape, const BodyLimits& limits) {
  if (body.size() > limits.maxBytes) {
    return JsonResult{nullptr, makeProblem(413, code::kPayloadTooLarge, "The body exceeds " + std::to_string(limits.maxBytes) + " bytes.")};
  }
  Query fields = Query::parse(body);
  if (fields.size() > limits.maxParts) {
    return JsonResult{nullptr, makeProblem(400, code::kBadRequest, "The form has more than " + std::to_string(limits.maxParts) + " fields.")};
  }
  nlohmann::json object = nlohmann::json::object();
  for (const Query::Item& item : fields.items()) {
    try {
      detail::addTextField(object, percentDecode(item.rawKey, true), percentDecode(item.rawValue, true), shape);
    } catch (const DecodeError& e) {
      Problem p = makeProblem(400, code::kBadRequest, "Form field '" + item.key + "': " + e.message);
      p.errors.push_back({"/" + pointerToken(item.key), e.message});
      return JsonResult{nullptr, std::move(p)};
    }
  }
  return JsonResult{std::move(object), std::nullopt};
}

}  // namespace tether::http
