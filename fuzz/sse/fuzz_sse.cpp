// The runner reads event streams and webhook signature headers from servers it does not
// trust: no input may crash or hang the parsers. The input is split at the first NUL: the
// part before is an event-stream body (also used as a webhook body), the part after a
// webhook-signature header value; the base64 round trip must be exact.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sse.h"
#include "webhook_receiver.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const std::size_t split = input.find('\0');
  const std::string body = input.substr(0, split);
  const std::string signature = split == std::string::npos ? "v1,AAAA" : input.substr(split + 1);

  auto events = tether::conformance::parseEventStream(body);
  (void)tether::conformance::eventStreamView(events);

  tether::conformance::Headers headers = {{"webhook-id", "msg_1"},
                                          {"webhook-timestamp", "1700000000"},
                                          {"webhook-signature", signature}};
  (void)tether::conformance::verifyWebhookSignature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", headers, body);
  (void)tether::conformance::verifyWebhookSignature("whsec_" + signature, headers, body, 300);

  if (auto decoded = tether::conformance::base64Decode(signature)) {
    if (tether::conformance::base64Decode(tether::conformance::base64Encode(*decoded)) != decoded) std::abort();
  }
  return 0;
}
