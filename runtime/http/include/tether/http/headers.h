// Headers: the HTTP header fields of a request or response, a case-insensitive multimap
// that keeps insertion order (field order matters for repeated fields such as Set-Cookie).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tether::http {

// ASCII case-insensitive equality; header names and media-type tokens are ASCII.
bool iequals(std::string_view a, std::string_view b);
std::string toLower(std::string_view text);
// Whether `text` is an RFC 9110 token (methods, header names, media-type parts), and
// whether `c` may appear in one.
bool isToken(std::string_view text);
bool isTokenChar(char c);

class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  Headers() = default;
  Headers(std::initializer_list<Field> fields);

  void add(std::string name, std::string value);
  // Replaces every field of that name by one.
  void set(std::string name, std::string value);
  void remove(std::string_view name);

  bool has(std::string_view name) const;
  // The first field of that name.
  std::optional<std::string> get(std::string_view name) const;
  std::vector<std::string> getAll(std::string_view name) const;

  std::size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }
  // Bytes the fields take on the wire ("name: value\r\n"), for the header size limit.
  std::size_t wireSize() const;

  std::vector<Field>::const_iterator begin() const { return fields_.begin(); }
  std::vector<Field>::const_iterator end() const { return fields_.end(); }

 private:
  // A vector, not a map: requests carry a handful of fields and the order is kept.
  std::vector<Field> fields_;
};

}  // namespace tether::http
