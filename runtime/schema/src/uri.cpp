#include "uri.h"

#include <vector>

namespace tether::schema::detail {

UriParts parseUri(std::string_view s) {
  UriParts p;
  if (auto hash = s.find('#'); hash != std::string_view::npos) {
    p.has_fragment = true;
    p.fragment = std::string(s.substr(hash + 1));
    s = s.substr(0, hash);
  }
  if (auto q = s.find('?'); q != std::string_view::npos) {
    p.has_query = true;
    p.query = std::string(s.substr(q + 1));
    s = s.substr(0, q);
  }
  // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
  auto colon = s.find(':');
  if (colon != std::string_view::npos && colon > 0) {
    bool ok = (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z');
    for (std::size_t i = 1; ok && i < colon; ++i) {
      char c = s[i];
      ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '+' || c == '-' || c == '.';
    }
    if (ok && s.substr(0, colon).find('/') == std::string_view::npos) {
      p.has_scheme = true;
      p.scheme = std::string(s.substr(0, colon));
      s = s.substr(colon + 1);
    }
  }
  if (s.size() >= 2 && s[0] == '/' && s[1] == '/') {
    s = s.substr(2);
    auto slash = s.find('/');
    p.has_authority = true;
    p.authority = std::string(s.substr(0, slash));
    s = slash == std::string_view::npos ? std::string_view{} : s.substr(slash);
  }
  p.path = std::string(s);
  return p;
}

std::string recompose(const UriParts& p) {
  std::string out;
  if (p.has_scheme) out += p.scheme + ":";
  if (p.has_authority) out += "//" + p.authority;
  out += p.path;
  if (p.has_query) out += "?" + p.query;
  if (p.has_fragment) out += "#" + p.fragment;
  return out;
}

namespace {

std::string removeDotSegments(std::string_view in) {
  std::vector<std::string> out;
  bool absolute = !in.empty() && in[0] == '/';
  std::size_t i = absolute ? 1 : 0;
  bool trailing = false;
  while (i <= in.size()) {
    auto next = in.find('/', i);
    std::string_view seg = in.substr(i, next == std::string_view::npos ? in.size() - i : next - i);
    trailing = false;
    if (seg == ".") {
      trailing = true;
    } else if (seg == "..") {
      if (!out.empty()) out.pop_back();
      trailing = true;
    } else {
      out.emplace_back(seg);
    }
    if (next == std::string_view::npos) break;
    i = next + 1;
  }
  std::string result = absolute ? "/" : "";
  for (std::size_t k = 0; k < out.size(); ++k) {
    if (k) result += '/';
    result += out[k];
  }
  if (trailing && (result.empty() || result.back() != '/')) result += '/';
  return result;
}

std::string mergePaths(const UriParts& base, const std::string& ref) {
  if (base.has_authority && base.path.empty()) return "/" + ref;
  auto slash = base.path.rfind('/');
  if (slash == std::string::npos) return ref;
  return base.path.substr(0, slash + 1) + ref;
}

}  // namespace

std::string resolveUri(std::string_view base_text, std::string_view ref_text) {
  UriParts r = parseUri(ref_text);
  UriParts b = parseUri(base_text);
  UriParts t;
  if (r.has_scheme) {
    t = r;
    t.path = removeDotSegments(r.path);
  } else {
    if (r.has_authority) {
      t.has_authority = true;
      t.authority = r.authority;
      t.path = removeDotSegments(r.path);
      t.has_query = r.has_query;
      t.query = r.query;
    } else {
      if (r.path.empty()) {
        t.path = b.path;
        t.has_query = r.has_query ? true : b.has_query;
        t.query = r.has_query ? r.query : b.query;
      } else {
        if (r.path[0] == '/') {
          t.path = removeDotSegments(r.path);
        } else {
          // A base without a hierarchical path (e.g. "urn:x:y") cannot merge paths.
          t.path = removeDotSegments(mergePaths(b, r.path));
        }
        t.has_query = r.has_query;
        t.query = r.query;
      }
      t.has_authority = b.has_authority;
      t.authority = b.authority;
    }
    t.has_scheme = b.has_scheme;
    t.scheme = b.scheme;
  }
  t.has_fragment = r.has_fragment;
  t.fragment = r.fragment;
  return recompose(t);
}

std::string withoutFragment(std::string_view uri) {
  auto hash = uri.find('#');
  return std::string(uri.substr(0, hash));
}

std::string fragmentOf(std::string_view uri, bool* has_fragment) {
  auto hash = uri.find('#');
  if (has_fragment) *has_fragment = hash != std::string_view::npos;
  if (hash == std::string_view::npos) return {};
  return std::string(uri.substr(hash + 1));
}

std::string percentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex(s[i + 1]);
      int lo = hex(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

}  // namespace tether::schema::detail
