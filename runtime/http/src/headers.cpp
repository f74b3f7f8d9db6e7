#include "tether/http/headers.h"

#include <algorithm>

namespace tether::http {

namespace {
char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lowerAscii(a[i]) != lowerAscii(b[i])) return false;
  }
  return true;
}

std::string toLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = lowerAscii(c);
  return out;
}

bool isTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool isToken(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!isTokenChar(c)) return false;
  }
  return true;
}

Headers::Headers(std::initializer_list<Field> fields) : fields_(fields) {}

void Headers::add(std::string name, std::string value) { fields_.emplace_back(std::move(name), std::move(value)); }

void Headers::set(std::string name, std::string value) {
  remove(name);
  add(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name) {
  fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                               [name](const Field& f) { return iequals(f.first, name); }),
                fields_.end());
}

bool Headers::has(std::string_view name) const {
  return std::any_of(fields_.begin(), fields_.end(), [name](const Field& f) { return iequals(f.first, name); });
}

std::optional<std::string> Headers::get(std::string_view name) const {
  for (const Field& f : fields_) {
    if (iequals(f.first, name)) return f.second;
  }
  return std::nullopt;
}

std::vector<std::string> Headers::getAll(std::string_view name) const {
  std::vector<std::string> out;
  for (const Field& f : fields_) {
    if (iequals(f.first, name)) out.push_back(f.second);
  }
  return out;
}

std::size_t Headers::wireSize() const {
  std::size_t total = 0;
  for (const Field& f : fields_) total += f.first.size() + f.second.size() + 4;
  return total;
}

}  // namespace tether::http
