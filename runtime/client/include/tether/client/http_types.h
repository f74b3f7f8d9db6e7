// The request a generated client method builds and the response it gets back.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tether::client {

// ASCII case-insensitive comparison (header names are ASCII tokens).
bool iequals(std::string_view a, std::string_view b);

// Response header fields in arrival order; lookups ignore case.
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  void add(std::string name, std::string value);
  // The first field of that name.
  std::optional<std::string> get(std::string_view name) const;
  std::optional<std::string> header(std::string_view name) const { return get(name); }
  std::vector<std::string> getAll(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  void clear() { fields_.clear(); }

  std::size_t size() const { return fields_.size(); }
  std::vector<Field>::const_iterator begin() const { return fields_.begin(); }
  std::vector<Field>::const_iterator end() const { return fields_.end(); }

 private:
  std::vector<Field> fields_;
};

struct HttpRequest {
  // Every member has an initializer, so designated initializers naming only some of them
  // compile cleanly under -Wextra (-Wmissing-field-initializers).
  std::string method{};  // "GET", "POST", ...
  std::string path{};    // already expanded and percent-encoded, appended to baseUrl
  std::string query{};   // already encoded, without '?'; empty: none
  std::vector<std::pair<std::string, std::string>> headers{};
  std::string body{};
  std::string contentType{};  // empty with a body: application/json
  std::string accept = "application/json";
};

// The first value of a request header of that name, ignoring case.
std::optional<std::string> findHeader(const HttpRequest& request, std::string_view name);

struct HttpResponse {
  int status = 0;
  Headers headers{};
  std::string body{};
  int attempts = 1;  // how many times the request was sent

  std::optional<std::string> header(std::string_view name) const { return headers.get(name); }
};

}  // namespace tether::client
