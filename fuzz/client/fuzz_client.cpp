// Feeds arbitrary bytes to what the client reads from a server: an event stream (whole,
// and cut into pieces so line ends and BOMs straddle feeds), a problem body and a
// Retry-After value. Nothing may crash, hang or grow without bound, and the split feed
// must give the same events as the whole one.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tether/client/problem.h"
#include "tether/client/retry.h"
#include "tether/client/sse.h"

namespace {

using tether::client::SseEvent;
using tether::client::SseParser;

// Small, so the size limit is exercised too.
constexpr std::size_t kMaxEvent = 1024;

std::vector<SseEvent> parse(std::string_view text, std::size_t step, bool& overflow) {
  SseParser parser(kMaxEvent);
  std::vector<SseEvent> events;
  try {
    for (std::size_t at = 0; at < text.size(); at += step) {
      for (SseEvent& e : parser.feed(text.substr(at, step))) events.push_back(std::move(e));
    }
  } catch (const std::length_error&) {
    overflow = true;
  }
  return events;
}

bool same(const std::vector<SseEvent>& a, const std::vector<SseEvent>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].id != b[i].id || a[i].event != b[i].event || a[i].data != b[i].data || a[i].retry != b[i].retry) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the feed size; the rest is the input.
  std::size_t step = 1 + data[0] % 7;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  bool overflowWhole = false, overflowSplit = false;
  std::vector<SseEvent> whole = parse(text, text.size() + 1, overflowWhole);
  std::vector<SseEvent> split = parse(text, step, overflowSplit);
  // The limit may trip at a different byte depending on the feed size; without it, the
  // split must not change the events.
  if (!overflowWhole && !overflowSplit && !same(whole, split)) std::abort();

  tether::client::Problem problem = tether::client::parseProblem(text);
  (void)problem;
  auto now = std::chrono::system_clock::time_point{std::chrono::seconds{1700000000}};
  if (auto delay = tether::client::parseRetryAfter(text, now); delay && delay->count() < 0) std::abort();
  (void)tether::client::parseHttpDate(text);
  return 0;
}
