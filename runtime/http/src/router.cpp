#include "tether/http/router.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "tether/http/headers.h"

namespace tether::http {

namespace {

struct Piece {
  bool variable = false;
  std::string text;  // the literal, or the variable's name
};

struct Segment {
  std::vector<Piece> pieces;
  // All literal beats literal-and-variables beats a lone variable; between two mixed
  // segments the one with more literal characters wins ("{name}.json" over "{name}.{ext}").
  int specificity() const {
    bool hasVariable = std::any_of(pieces.begin(), pieces.end(), [](const Piece& p) { return p.variable; });
    if (!hasVariable) return 2000000;
    if (pieces.size() == 1) return 0;
    std::size_t literal = 0;
    for (const Piece& p : pieces) literal += p.variable ? 0 : p.text.size();
    return 1000000 + static_cast<int>(std::min<std::size_t>(literal, 999999));
  }
};

std::vector<std::string_view> splitPath(std::string_view path) {
  std::vector<std::string_view> out;
  path.remove_prefix(1);  // the leading '/'
  std::size_t start = 0;
  while (true) {
    std::size_t slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) return out;
    start = slash + 1;
  }
}

Segment parseSegment(std::string_view text, const std::string& templ) {
  Segment segment;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      std::size_t close = text.find('}', i);
      if (close == std::string_view::npos || close == i + 1) throw std::invalid_argument("malformed path template " + templ);
      if (!segment.pieces.empty() && segment.pieces.back().variable) {
        throw std::invalid_argument("adjacent variables cannot be told apart in " + templ);
      }
      segment.pieces.push_back({true, std::string(text.substr(i + 1, close - i - 1))});
      i = close + 1;
    } else {
      std::size_t next = text.find('{', i);
      std::string_view literal = text.substr(i, next == std::string_view::npos ? std::string_view::npos : next - i);
      if (literal.find('}') != std::string_view::npos) throw std::invalid_argument("malformed path template " + templ);
      segment.pieces.push_back({false, std::string(literal)});
      i += literal.size();
    }
  }
  return segment;
}

// Matches one raw path segment; a variable takes at least one character and ends at the
// first occurrence of the literal that follows it.
bool matchSegment(const Segment& segment, std::string_view text, std::vector<std::pair<std::string, std::string>>& out) {
  std::size_t pos = 0;
  for (std::size_t k = 0; k < segment.pieces.size(); ++k) {
    const Piece& piece = segment.pieces[k];
    if (!piece.variable) {
      if (text.compare(pos, piece.text.size(), piece.text) != 0 || text.size() - pos < piece.text.size()) return false;
      pos += piece.text.size();
      continue;
    }
    std::size_t end = text.size();
    if (k + 1 < segment.pieces.size()) {
      end = text.find(segment.pieces[k + 1].text, pos + 1);
      if (end == std::string_view::npos) return false;
    }
    if (end <= pos) return false;
    out.emplace_back(piece.text, std::string(text.substr(pos, end - pos)));
    pos = end;
  }
  return pos == text.size();
}

// RFC 9110 section 9 and PATCH (RFC 5789): the methods every server recognizes, whether or
// not a path allows them (a 405), as opposed to tokens it does not know at all (a 501).
constexpr std::string_view kStandardMethods[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};

bool standardMethod(std::string_view method) {
  for (std::string_view m : kStandardMethods) {
    if (m == method) return true;
  }
  return false;
}

// Methods are case-sensitive (RFC 9110 section 9.1): "get" is not GET. A route registered
// as "get" would answer no client, so it is a mistake to report, not to fix silently.
void checkMethod(const OperationInfo& info) {
  if (!isToken(info.method)) throw std::invalid_argument("method '" + info.method + "' is not a token");
  for (std::string_view m : kStandardMethods) {
    if (iequals(m, info.method) && m != info.method) {
      throw std::invalid_argument("methods are case-sensitive: write " + std::string(m) + ", not " + info.method +
                                  " (" + info.pathTemplate + ")");
    }
  }
}

}  // namespace

struct Router::Impl {
  struct Template {
    std::string text;
    std::vector<Segment> segments;
    std::vector<int> specificity;
    std::vector<std::pair<std::string, std::size_t>> methods;  // method → index into routes
  };
  std::vector<Route> routes;
  std::vector<Template> templates;
};

Router::Router() : impl_(std::make_unique<Impl>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::add(OperationInfo info, Handler handler) {
  if (info.pathTemplate.empty() || info.pathTemplate.front() != '/') {
    throw std::invalid_argument("path template must start with '/': " + info.pathTemplate);
  }
  checkMethod(info);
  auto it = std::find_if(impl_->templates.begin(), impl_->templates.end(),
                         [&info](const Impl::Template& t) { return t.text == info.pathTemplate; });
  if (it == impl_->templates.end()) {
    Impl::Template t;
    t.text = info.pathTemplate;
    for (std::string_view s : splitPath(info.pathTemplate)) {
      t.segments.push_back(parseSegment(s, info.pathTemplate));
      t.specificity.push_back(t.segments.back().specificity());
    }
    impl_->templates.push_back(std::move(t));
    it = impl_->templates.end() - 1;
  }
  for (const auto& m : it->methods) {
    if (m.first == info.method) throw std::invalid_argument("duplicate route " + info.method + " " + info.pathTemplate);
  }
  it->methods.emplace_back(info.method, impl_->routes.size());
  impl_->routes.push_back(Route{std::move(info), std::move(handler)});
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch result;
  if (path.empty() || path.front() != '/') return result;
  // This runs on every request: the path is split into views, templates are tried without
  // keeping their captures, and only the winner is matched again to capture them; no
  // strings are allocated unless the answer is 405.
  std::vector<std::string_view> segments = splitPath(path);
  std::vector<std::pair<std::string, std::string>> scratch;
  auto matches = [&](const Impl::Template& t, std::vector<std::pair<std::string, std::string>>& out) {
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (!matchSegment(t.segments[i], segments[i], out)) return false;
    }
    return true;
  };

  // Most specific first: compare segment specificities from the left. Only the most
  // specific path answers (OpenAPI: concrete paths match before templated ones, and the
  // method is looked up on the path that matched), so GET /items/export on a spec with
  // POST /items/export and GET /items/{id} is a 405, not a read of item "export".
  // Templates that tie (the same shape with other variable names) all answer.
  std::vector<const Impl::Template*> winners;
  for (const Impl::Template& t : impl_->templates) {
    if (t.segments.size() != segments.size()) continue;
    if (!winners.empty() && t.specificity < winners.front()->specificity) continue;
    scratch.clear();
    if (!matches(t, scratch)) continue;
    if (!winners.empty() && t.specificity > winners.front()->specificity) winners.clear();
    winners.push_back(&t);
  }
  if (winners.empty()) return result;

  auto find = [&](std::string_view wanted) -> std::pair<const Impl::Template*, std::size_t> {
    for (const Impl::Template* t : winners) {
      for (const auto& m : t->methods) {
        if (m.first == wanted) return {t, m.second};
      }
    }
    return {nullptr, 0};
  };
  auto found = find(method);
  const bool viaGet = found.first == nullptr && method == "HEAD";
  if (viaGet) found = find("GET");
  if (found.first != nullptr) {
    result.kind = RouteMatch::Found;
    result.route = &impl_->routes[found.second];
    matches(*found.first, result.params);
    result.viaGet = viaGet;
    return result;
  }

  std::set<std::string> allowed{"OPTIONS"};
  for (const Impl::Template* t : winners) {
    for (const auto& m : t->methods) {
      allowed.insert(m.first);
      if (m.first == "GET") allowed.insert("HEAD");
    }
  }
  result.allowed.assign(allowed.begin(), allowed.end());
  result.kind = RouteMatch::MethodNotAllowed;
  return result;
}

const std::vector<Route>& Router::routes() const { return impl_->routes; }

bool Router::recognizes(std::string_view method) const {
  if (standardMethod(method)) return true;
  return std::any_of(impl_->routes.begin(), impl_->routes.end(), [method](const Route& r) { return r.info.method == method; });
}

std::vector<std::string> Router::allMethods() const {
  std::set<std::string> methods{"OPTIONS"};
  for (const Route& r : impl_->routes) {
    methods.insert(r.info.method);
    if (r.info.method == "GET") methods.insert("HEAD");
  }
  return {methods.begin(), methods.end()};
}

}  // namespace tether::http
