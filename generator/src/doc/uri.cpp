#include "tether/doc/uri.h"

#include <cctype>

#include "tether/doc/json_pointer.h"

namespace tether::doc {

UriParts parseUri(std::string_view uri) {
  UriParts parts;
  std::size_t hash = uri.find('#');
  if (hash != std::string_view::npos) {
    parts.fragment = std::string(uri.substr(hash + 1));
    uri = uri.substr(0, hash);
  }
  std::size_t question = uri.find('?');
  if (question != std::string_view::npos) {
    parts.query = std::string(uri.substr(question + 1));
    uri = uri.substr(0, question);
  }
  // A scheme is letters, digits, '+', '-', '.' before the first ':' and before any '/'.
  std::size_t colon = uri.find(':');
  if (colon != std::string_view::npos && colon > 0) {
    bool valid = std::isalpha(static_cast<unsigned char>(uri[0])) != 0;
    for (std::size_t i = 0; i < colon && valid; ++i) {
      char c = uri[i];
      valid = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.';
    }
    if (valid) {
      parts.scheme = std::string(uri.substr(0, colon));
      uri = uri.substr(colon + 1);
    }
  }
  if (uri.substr(0, 2) == "//") {
    uri = uri.substr(2);
    std::size_t slash = uri.find('/');
    parts.authority = std::string(uri.substr(0, slash));
    uri = slash == std::string_view::npos ? std::string_view() : uri.substr(slash);
  }
  parts.path = std::string(uri);
  return parts;
}

std::string UriParts::str() const {
  std::string out;
  if (!scheme.empty()) out += scheme + ":";
  if (authority) out += "//" + *authority;
  out += path;
  if (query) out += "?" + *query;
  if (fragment) out += "#" + *fragment;
  return out;
}

namespace {

// RFC 3986 5.2.4.
std::string removeDotSegments(std::string_view input) {
  std::string output;
  std::string in(input);
  while (!in.empty()) {
    if (in.rfind("../", 0) == 0) {
      in.erase(0, 3);
    } else if (in.rfind("./", 0) == 0) {
      in.erase(0, 2);
    } else if (in.rfind("/./", 0) == 0) {
      in.erase(0, 2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.rfind("/../", 0) == 0 || in == "/..") {
      in = in == "/.." ? "/" : in.substr(3);
      std::size_t last = output.rfind('/');
      output.erase(last == std::string::npos ? 0 : last);
    } else if (in == "." || in == "..") {
      in.clear();
    } else {
      std::size_t next = in.find('/', in[0] == '/' ? 1 : 0);
      output += in.substr(0, next);
      in.erase(0, next == std::string::npos ? in.size() : next);
    }
  }
  return output;
}

std::string mergePaths(const UriParts& base, std::string_view reference) {
  if (base.authority && base.path.empty()) return "/" + std::string(reference);
  std::size_t slash = base.path.rfind('/');
  if (slash == std::string::npos) return std::string(reference);
  return base.path.substr(0, slash + 1) + std::string(reference);
}

}  // namespace

std::string resolveUri(std::string_view base, std::string_view reference) {
  UriParts r = parseUri(reference);
  UriParts b = parseUri(base);
  UriParts t;
  if (!r.scheme.empty()) {
    t = r;
    t.path = removeDotSegments(r.path);
  } else {
    if (r.authority) {
      t.authority = r.authority;
      t.path = removeDotSegments(r.path);
      t.query = r.query;
    } else {
      if (r.path.empty()) {
        t.path = b.path;
        t.query = r.query ? r.query : b.query;
      } else {
        t.path = r.path[0] == '/' ? removeDotSegments(r.path) : removeDotSegments(mergePaths(b, r.path));
        t.query = r.query;
      }
      t.authority = b.authority;
    }
    t.scheme = b.scheme;
  }
  t.fragment = r.fragment;
  return t.str();
}

std::pair<std::string, std::optional<std::string>> splitFragment(std::string_view uri) {
  std::size_t hash = uri.find('#');
  if (hash == std::string_view::npos) return {std::string(uri), std::nullopt};
  return {std::string(uri.substr(0, hash)), std::string(uri.substr(hash + 1))};
}

std::string fileUri(const std::filesystem::path& absolutePath) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out = "file://";
  for (unsigned char c : absolutePath.generic_string()) {
    if (std::isalnum(c) != 0 || std::string_view("/-._~!$&'()*+,;=:@").find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::optional<std::filesystem::path> pathOfFileUri(std::string_view uri) {
  UriParts parts = parseUri(uri);
  if (parts.scheme != "file") return std::nullopt;
  std::optional<std::string> decoded = percentDecode(parts.path);
  if (!decoded) return std::nullopt;
  return std::filesystem::path(*decoded);
}

bool isAbsoluteUri(std::string_view uri) { return !parseUri(uri).scheme.empty(); }

}  // namespace tether::doc
