// The runner's webhook receiver: one loopback cpp-httplib server per run (127.0.0.1, a
// port the kernel picks) that records every POST, so that a suite step can wait for a
// delivery to its case's own path; and the Standard Webhooks signature check.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tether/conformance/http.h"

namespace httplib {
class Server;
}

namespace tether::conformance {

struct Delivery {
  std::string path;
  Headers headers;
  std::string body;
};

class WebhookReceiver {
 public:
  // Listens on 127.0.0.1 at once; throws std::runtime_error when it cannot bind.
  WebhookReceiver();
  ~WebhookReceiver();  // stops the server and joins its thread
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  // "http://127.0.0.1:PORT"
  std::string origin() const;
  // A path no other caller got ("/hooks/3"), so parallel cases never see each other's deliveries.
  std::string newPath();
  // Waits up to `within` for a delivery to `path` that `accept` takes and that no earlier
  // call took; removes it and returns it.
  std::optional<Delivery> take(const std::string& path, const std::function<bool(const Delivery&)>& accept,
                               std::chrono::milliseconds within);
  // How many deliveries to `path` are waiting (for messages about the ones that did not match).
  std::size_t pending(const std::string& path);

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<Delivery> deliveries_;
  int nextPath_ = 0;
};

// Standard Webhooks: `webhook-signature` holds space-separated "v1,<base64 HMAC-SHA256>"
// over "<webhook-id>.<webhook-timestamp>.<body>" keyed with the base64-decoded part of a
// "whsec_..." secret; one matching entry is enough (several are sent during a rotation).
// With `toleranceSeconds` > 0 the timestamp must also be that close to now.
// Returns an empty string when the delivery verifies, else why it does not.
std::string verifyWebhookSignature(const std::string& secret, const Headers& headers, const std::string& body,
                                   int toleranceSeconds = 0);

// RFC 4648 base64 (with padding); decoding returns nullopt on malformed input.
std::string base64Encode(const std::string& bytes);
std::optional<std::string> base64Decode(const std::string& text);

}  // namespace tether::conformance
