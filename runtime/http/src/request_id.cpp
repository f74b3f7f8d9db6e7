#include <random>

#include "tether/http/server.h"

namespace tether::http {

bool saneRequestId(std::string_view id) {
  // The Cloud API's X-Request-Id parameter: ^[\x21-\x7E]{1,128}$. Anything else (control
  // characters, spaces, very long values) would pollute logs, so it is replaced.
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

std::string defaultRequestId(const Request& request) {
  if (std::optional<std::string> incoming = request.headers.get("X-Request-Id"); incoming && saneRequestId(*incoming)) {
    return *incoming;
  }
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  // One generator per thread: no lock on the request path. Ids need to be unique, not
  // secret, so a seeded mt19937_64 is enough.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  std::uniform_int_distribution<int> pick(0, 61);
  std::string id = "req_";
  for (int i = 0; i < 24; ++i) id += kAlphabet[pick(generator)];
  return id;
}

}  // namespace tether::http
