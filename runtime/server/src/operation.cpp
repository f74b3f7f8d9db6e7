#include "tether/server/operation.h"

namespace tether::server {

namespace {

std::vector<std::string> strings(std::initializer_list<const char*> list) {
  return {list.begin(), list.end()};
}

}  // namespace

http::OperationInfo OperationSpec::info(const std::string& basePath) const {
  http::OperationInfo out;
  out.operationId = operationId;
  out.method = method;
  out.pathTemplate = basePath + pathTemplate;
  out.tags = strings(tags);
  for (const Requirement& requirement : security) {
    http::SecurityRequirement& to = out.security.emplace_back();
    for (const Scheme& scheme : requirement) to.schemes.emplace_back(scheme.name, strings(scheme.scopes));
  }
  out.requestMediaTypes = strings(requestMediaTypes);
  out.bodyRequired = bodyRequired;
  out.responseMediaTypes = strings(responseMediaTypes);
  return out;
}

}  // namespace tether::server
