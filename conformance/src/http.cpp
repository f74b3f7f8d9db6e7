#include "tether/conformance/http.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <mutex>
#include <thread>

#include <curl/curl.h>

namespace tether::conformance {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
  return std::string(s.substr(b, e - b));
}

void globalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Sink {
  Response* response;
};

std::size_t writeBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  sink->response->body.append(data, size * count);
  return size * count;
}

std::size_t writeHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    sink->response->headers.clear();  // a new response (after 100-continue)
    return size * count;
  }
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    sink->response->headers.emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
  }
  return size * count;
}

std::string shellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

std::string joinUrl(const std::string& base, const std::string& target) {
  std::string b = base;
  while (!b.empty() && b.back() == '/') b.pop_back();
  if (target.empty() || target[0] != '/') return b + "/" + target;
  return b + target;
}

}  // namespace

const std::string* findHeader(const Headers& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return &v;
  }
  return nullptr;
}

nlohmann::json Request::toJson() const {
  nlohmann::json j = {{"method", method}, {"target", target}};
  j["headers"] = nlohmann::json::array();
  for (const auto& [k, v] : headers) j["headers"].push_back({k, v});
  if (!body.empty()) j["body"] = body;
  if (!sendCredentials) j["sendCredentials"] = false;
  if (token) j["token"] = *token;
  return j;
}

Request Request::fromJson(const nlohmann::json& j) {
  Request r;
  r.method = j.value("method", "GET");
  r.target = j.value("target", "/");
  if (j.contains("headers") && j["headers"].is_array()) {
    for (const auto& h : j["headers"]) {
      if (h.is_array() && h.size() == 2 && h[0].is_string() && h[1].is_string()) {
        r.headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
      }
    }
  }
  r.body = j.value("body", "");
  r.sendCredentials = j.value("sendCredentials", true);
  if (j.contains("token") && j["token"].is_string()) r.token = j["token"].get<std::string>();
  return r;
}

std::string Response::mediaType() const {
  const std::string* ct = findHeader(headers, "Content-Type");
  if (!ct) return {};
  std::string m = trim(ct->substr(0, ct->find(';')));
  std::transform(m.begin(), m.end(), m.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return m;
}

nlohmann::json Response::toJson() const {
  nlohmann::json j = {{"status", status}};
  j["headers"] = nlohmann::json::array();
  for (const auto& [k, v] : headers) j["headers"].push_back({k, v});
  j["body"] = body;
  if (!error.empty()) j["error"] = error;
  return j;
}

Response Response::fromJson(const nlohmann::json& j) {
  Response r;
  r.status = j.value("status", 0);
  if (j.contains("headers") && j["headers"].is_array()) {
    for (const auto& h : j["headers"]) {
      if (h.is_array() && h.size() == 2 && h[0].is_string() && h[1].is_string()) {
        r.headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
      }
    }
  }
  r.body = j.value("body", "");
  r.error = j.value("error", "");
  return r;
}

void RateLimiter::acquire() {
  if (rate_ <= 0) return;
  std::chrono::steady_clock::time_point slot;
  {
    std::lock_guard lock(mutex_);
    auto now = std::chrono::steady_clock::now();
    if (next_ < now) next_ = now;
    slot = next_;
    next_ += std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(1.0 / rate_));
  }
  std::this_thread::sleep_until(slot);
}

HttpClient::HttpClient(ClientOptions options, std::shared_ptr<RateLimiter> limiter)
    : options_(std::move(options)), limiter_(std::move(limiter)) {
  globalInit();
  curl_ = curl_easy_init();
}

HttpClient::~HttpClient() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Response HttpClient::send(const Request& request) {
  Response response;
  for (int attempt = 0;; ++attempt) {
    if (limiter_) limiter_->acquire();
    response = sendOnce(request);
    response.attempts = attempt + 1;
    if (response.status != 429 || attempt >= options_.maxRetries) break;
    std::chrono::milliseconds wait{1000 << std::min(attempt, 4)};
    if (const std::string* ra = findHeader(response.headers, "Retry-After")) {
      if (auto parsed = parseRetryAfter(*ra)) wait = *parsed;
    }
    wait = std::min(wait, options_.maxRetryAfter);
    std::this_thread::sleep_for(wait);  // the server asked us to wait this long
  }
  return response;
}

Response HttpClient::sendOnce(const Request& request) {
  Response response;
  auto* curl = static_cast<CURL*>(curl_);
  if (!curl) {
    response.error = "curl_easy_init failed";
    return response;
  }
  curl_easy_reset(curl);
  std::string url = joinUrl(options_.baseUrl, request.target);
  Sink sink{&response};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connectTimeout.count()));
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &writeBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &writeHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &sink);
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
      request.method == "PATCH") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
  }
  curl_slist* list = nullptr;
  bool hasAuth = false;
  for (const auto& [k, v] : request.headers) {
    if (iequals(k, "Authorization")) hasAuth = true;
    list = curl_slist_append(list, (k + ": " + v).c_str());
  }
  list = curl_slist_append(list, "Expect:");
  if (!hasAuth && request.sendCredentials) {
    std::string token = request.token ? *request.token : options_.token;
    if (request.token && *request.token == kSecondToken) token = options_.token2;
    if (!token.empty()) list = curl_slist_append(list, ("Authorization: Bearer " + token).c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  auto start = std::chrono::steady_clock::now();
  CURLcode rc = curl_easy_perform(curl);
  response.elapsedMs =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  curl_slist_free_all(list);
  if (rc != CURLE_OK) {
    response.status = 0;
    response.error = curl_easy_strerror(rc);
    return response;
  }
  long code = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
  response.status = static_cast<int>(code);
  return response;
}

std::string curlCommand(const Request& request, const std::string& baseUrl) {
  std::string cmd = "curl -sS -i";
  if (request.method == "HEAD") cmd += " -I";
  else if (request.method != "GET" || !request.body.empty()) cmd += " -X " + request.method;
  for (const auto& [k, v] : request.headers) cmd += " -H " + shellQuote(k + ": " + v);
  if (request.sendCredentials) {
    if (request.token && *request.token == kSecondToken) cmd += " -H \"Authorization: Bearer $TOKEN2\"";
    else if (request.token) cmd += " -H " + shellQuote("Authorization: Bearer " + *request.token);
    else cmd += " -H \"Authorization: Bearer $TOKEN\"";
  }
  if (!request.body.empty()) cmd += " --data-raw " + shellQuote(request.body);
  cmd += " " + shellQuote(joinUrl(baseUrl, request.target));
  return cmd;
}

std::optional<std::chrono::milliseconds> parseRetryAfter(const std::string& value) {
  std::string v = trim(value);
  if (v.empty()) return std::nullopt;
  if (std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (v.size() > 9) return std::chrono::milliseconds(std::chrono::hours(24));
    return std::chrono::milliseconds(std::stoll(v) * 1000);
  }
  std::time_t when = curl_getdate(v.c_str(), nullptr);
  if (when < 0) return std::nullopt;
  std::time_t now = std::time(nullptr);
  if (when <= now) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(static_cast<long long>(when - now) * 1000);
}

std::string urlHost(const std::string& url) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return {};
  std::string rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  auto at = rest.rfind('@');
  if (at != std::string::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest[0] == '[') {
    auto close = rest.find(']');
    if (close == std::string::npos) return {};
    return rest.substr(1, close - 1);
  }
  return rest.substr(0, rest.find(':'));
}

bool isLoopbackHost(const std::string& host) {
  std::string h = host;
  std::transform(h.begin(), h.end(), h.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1") return true;
  if (h.rfind("127.", 0) == 0) {
    return std::all_of(h.begin(), h.end(), [](unsigned char c) { return std::isdigit(c) || c == '.'; });
  }
  return false;
}

std::string percentEncode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace tether::conformance
