// A minimal OperationInfo for the socket tests' routers.
#pragma once

#include <string>
#include <vector>

#include "tether/http/router.h"

namespace tether::http::testing {

inline OperationInfo op(std::string method, std::string path, std::vector<std::string> requestTypes = {}) {
  OperationInfo info;
  info.operationId = method + path;
  info.method = std::move(method);
  info.pathTemplate = std::move(path);
  info.requestMediaTypes = std::move(requestTypes);
  info.responseMediaTypes = {"application/json"};
  return info;
}

}  // namespace tether::http::testing
