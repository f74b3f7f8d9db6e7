#include "webhook_receiver.h"

#include <httplib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <ctime>
#include <sstream>
#include <stdexcept>

namespace tether::conformance {

WebhookReceiver::WebhookReceiver() : server_(std::make_unique<httplib::Server>()) {
  server_->Post(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) {
    Delivery d;
    d.path = req.path;
    for (const auto& [k, v] : req.headers) d.headers.emplace_back(k, v);
    d.body = req.body;
    {
      std::lock_guard lock(mutex_);
      deliveries_.push_back(std::move(d));
    }
    arrived_.notify_all();
    res.status = 204;
  });
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("the webhook receiver cannot listen on 127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

WebhookReceiver::~WebhookReceiver() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string WebhookReceiver::origin() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string WebhookReceiver::newPath() {
  std::lock_guard lock(mutex_);
  return "/hooks/" + std::to_string(++nextPath_);
}

std::optional<Delivery> WebhookReceiver::take(const std::string& path,
                                              const std::function<bool(const Delivery&)>& accept,
                                              std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  std::unique_lock lock(mutex_);
  auto takeMatching = [&]() -> std::optional<Delivery> {
    for (auto it = deliveries_.begin(); it != deliveries_.end(); ++it) {
      if (it->path == path && accept(*it)) {
        Delivery d = std::move(*it);
        deliveries_.erase(it);
        return d;
      }
    }
    return std::nullopt;
  };
  while (true) {
    if (auto d = takeMatching()) return d;
    // After the deadline one last look: a delivery may have landed just before it.
    if (arrived_.wait_until(lock, deadline) == std::cv_status::timeout) return takeMatching();
  }
}

std::size_t WebhookReceiver::pending(const std::string& path) {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& d : deliveries_) n += d.path == path;
  return n;
}

std::string base64Encode(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> base64Decode(const std::string& text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(3 * text.size() / 4, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts padding as zero bytes.
  std::size_t size = static_cast<std::size_t>(n);
  if (!text.empty() && text.back() == '=') --size;
  if (text.size() > 1 && text[text.size() - 2] == '=') --size;
  out.resize(size);
  return out;
}

std::string verifyWebhookSignature(const std::string& secret, const Headers& headers, const std::string& body,
                                   int toleranceSeconds) {
  const std::string* id = findHeader(headers, "webhook-id");
  const std::string* timestamp = findHeader(headers, "webhook-timestamp");
  const std::string* signature = findHeader(headers, "webhook-signature");
  if (!id || !timestamp || !signature)
    return "the delivery lacks webhook-id, webhook-timestamp or webhook-signature";
  std::string keyText = secret.rfind("whsec_", 0) == 0 ? secret.substr(6) : secret;
  std::optional<std::string> key = base64Decode(keyText);
  if (!key || key->empty()) return "the secret is not whsec_<base64>";
  if (timestamp->empty() || timestamp->find_first_not_of("0123456789") != std::string::npos)
    return "webhook-timestamp '" + *timestamp + "' is not whole seconds";
  if (toleranceSeconds > 0) {
    const long long sent = std::stoll(*timestamp);
    const long long now = static_cast<long long>(std::time(nullptr));
    if (sent < now - toleranceSeconds || sent > now + toleranceSeconds)
      return "webhook-timestamp " + *timestamp + " is more than " + std::to_string(toleranceSeconds) +
             " s from now (" + std::to_string(now) + ")";
  }
  const std::string signedText = *id + "." + *timestamp + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int macLength = 0;
  HMAC(EVP_sha256(), key->data(), static_cast<int>(key->size()),
       reinterpret_cast<const unsigned char*>(signedText.data()), signedText.size(), mac, &macLength);
  const std::string expected = base64Encode(std::string(reinterpret_cast<char*>(mac), macLength));
  std::istringstream entries(*signature);
  std::string entry;
  while (entries >> entry) {
    if (entry.rfind("v1,", 0) != 0) continue;
    const std::string got = entry.substr(3);
    if (got.size() == expected.size() && CRYPTO_memcmp(got.data(), expected.data(), got.size()) == 0) return {};
  }
  return "no v1 entry of webhook-signature '" + *signature + "' is the HMAC-SHA256 of the delivery";
}

}  // namespace tether::conformance
