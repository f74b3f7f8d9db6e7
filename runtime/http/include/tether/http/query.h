// Query: a parsed query string. Each item keeps its raw text next to its decoded text,
// because the delimited styles split on raw delimiters: in "color=a,b%2Cc" the second
// comma is data, which the decoded text "a,b,c" no longer shows.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tether::http {

class Query {
 public:
  struct Item {
    std::string rawKey, rawValue;  // as sent
    std::string key, value;        // %-decoded, '+' = space; malformed escapes kept as sent
    bool hasValue = false;         // "flag" (no '=') versus "flag="
  };

  // Never throws: strict decoding (with DecodeError) happens when a parameter is decoded.
  static Query parse(std::string_view raw);

  const std::vector<Item>& items() const { return items_; }
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  bool has(std::string_view key) const;
  std::optional<std::string> get(std::string_view key) const;  // first decoded value
  std::vector<std::string> getAll(std::string_view key) const;
  // The decoded pairs, in order.
  std::vector<std::pair<std::string, std::string>> pairs() const;

 private:
  std::vector<Item> items_;
};

}  // namespace tether::http
