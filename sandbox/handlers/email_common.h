// What the three email handler files share (tags "Email", "Email Domains", "Email
// Webhooks"): the document kinds, lookups across them, the tenant's sending mode, and the
// payload shape of email events.
//
// The sandbox's rules, where the spec leaves them to the deployment:
// - A tenant is in `production` mode when the credential is live (sk_live_) and one of its
//   sending domains is verified (the sandbox's stand-in for "granted after review");
//   test-mode (sk_test_) tenants are always in `sandbox` mode.
// - A sending domain's DNS records are "found" unless the domain is under the reserved
//   `.invalid` top-level domain (RFC 2606), which is how a client exercises the failure path.
#pragma once

#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common.h"

namespace tether::sandbox::email {

inline constexpr const char* kService = "email_service";
inline constexpr const char* kApiKey = "email_api_key";
inline constexpr const char* kDomain = "email_domain";
inline constexpr const char* kRecipient = "sandbox_recipient";
inline constexpr const char* kMessage = "email_message";
inline constexpr const char* kWebhook = "email_webhook";

inline std::string lower(std::string value) {
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return value;
}

// The domain part of an address, lowercased ("" without an @).
inline std::string domainOf(const std::string& address) {
  const std::size_t at = address.rfind('@');
  return at == std::string::npos ? std::string() : lower(address.substr(at + 1));
}

// The local part of an address, lowercased.
inline std::string localPartOf(const std::string& address) {
  return lower(address.substr(0, address.rfind('@')));
}

// A 422 at `pointer` unless `address` is a plausible mailbox (local@domain.tld, no spaces):
// the generated validator does not check `format: email`.
inline void checkAddress(const std::string& pointer, const std::string& address) {
  const std::size_t at = address.find('@');
  const bool plausible = at != std::string::npos && at > 0 && address.find('@', at + 1) == std::string::npos &&
                         address.find_first_of(" \t\r\n<>,;") == std::string::npos &&
                         address.find('.', at + 2) != std::string::npos && address.back() != '.';
  if (!plausible) invalid(pointer, "\"" + address + "\" is not an email address.");
}

// Every document of a kind (and parent), read page by page: the sandbox's email volumes are
// small, and stats and lookups by body members need them all.
inline std::vector<Document> all(storage::Connection& c, const Tenant& t, const std::string& kind,
                                 std::optional<std::string> parent = std::nullopt) {
  ListQuery query;
  query.kind = kind;
  query.parent = std::move(parent);
  query.limit = 100;
  std::vector<Document> out;
  for (;;) {
    Page page = documents::list(c, t, query);
    for (Document& d : page.items) out.push_back(std::move(d));
    if (!page.hasMore || !page.nextCursor) return out;
    query.cursor = page.nextCursor;
  }
}

// The sending domain document for a domain name, when it was added.
inline std::optional<Document> findDomain(storage::Connection& c, const Tenant& t, const std::string& domain) {
  for (Document& d : all(c, t, kDomain)) {
    if (d.uniqueName == domain) return std::move(d);
  }
  return std::nullopt;
}

inline bool domainVerified(storage::Connection& c, const Tenant& t, const std::string& domain) {
  std::optional<Document> d = findDomain(c, t, domain);
  return d && d->body["status"] == "verified";
}

// `sandbox` or `production` (see the rules at the top).
inline std::string tenantMode(storage::Connection& c, const Tenant& t) {
  if (t.mode != "live") return "sandbox";
  for (const Document& d : all(c, t, kDomain)) {
    if (d.body["status"] == "verified") return "production";
  }
  return "sandbox";
}

// Whether DNS "has" the records of a domain (see the rules at the top).
inline bool recordsPublished(const std::string& domain) {
  const std::string suffix = ".invalid";
  return !(domain.size() > suffix.size() && domain.compare(domain.size() - suffix.size(), suffix.size(), suffix) == 0);
}

// The `data` of an event as the spec's `webhooks` section documents it.
inline Json eventData(const Json& object, const Json& previous = nullptr) {
  return {{"object", object}, {"previous_attributes", previous}};
}

// Sandbox seconds from one timestamp to another (0 when either does not parse).
inline double secondsBetween(const std::string& from, const std::string& to) {
  Clock::time_point a{}, b{};
  if (!Clock::parse(from, a) || !Clock::parse(to, b)) return 0;
  return std::chrono::duration<double>(b - a).count();
}

inline std::string plusSeconds(const std::string& from, std::int64_t seconds) {
  Clock::time_point at{};
  Clock::parse(from, at);
  return Clock::format(at + std::chrono::seconds(seconds));
}

// Claims a row for a background step: moves its status column from `from` to `to` only if
// it still holds `from`, so that of several replicas ticking the same row one acts.
inline bool claim(storage::Connection& c, const Tenant& t, const std::string& id, const std::string& from,
                  const std::string& to) {
  auto q = c.prepare("UPDATE resources SET status = $1 WHERE id = $2 AND workspace_id = $3 AND mode = $4 AND status = $5");
  q->bind_text(1, to).bind_text(2, id).bind_text(3, t.workspace).bind_text(4, t.mode).bind_text(5, from);
  return q->run() == 1;
}

}  // namespace tether::sandbox::email
