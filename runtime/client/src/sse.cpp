// The event stream interpretation of the HTML standard (§9.2.6), byte by byte so that
// line ends, BOMs and multi-byte characters may be split anywhere between feeds.
#include "tether/client/sse.h"

#include <algorithm>
#include <stdexcept>

namespace tether::client {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool allDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

SseParser::SseParser(std::size_t maxEventBytes) : maxEventBytes_(maxEventBytes) {}

std::vector<SseEvent> SseParser::feed(std::string_view bytes) {
  std::vector<SseEvent> events;
  feed(bytes, [&](const SseEvent& event) {
    events.push_back(event);
    return true;
  });
  return events;
}

bool SseParser::feed(std::string_view bytes, const std::function<bool(const SseEvent&)>& onEvent) {
  std::size_t i = 0;
  // One leading U+FEFF is dropped, once per stream, even when it arrives a byte at a time.
  while (!bomDone_ && i < bytes.size()) {
    if (bytes[i] == kBom[bomMatched_]) {
      ++i;
      if (++bomMatched_ == kBom.size()) bomDone_ = true;
      continue;
    }
    bomDone_ = true;
    line_.append(kBom.substr(0, bomMatched_));  // a false start: those bytes are text
  }
  for (; i < bytes.size(); ++i) {
    char c = bytes[i];
    if (c == '\n' && afterCR_) {  // the LF of a CRLF whose CR ended the line already
      afterCR_ = false;
      continue;
    }
    afterCR_ = c == '\r';
    if (c == '\r' || c == '\n') {
      std::string line = std::move(line_);
      line_.clear();
      if (!processLine(line, onEvent)) return false;
      continue;
    }
    line_ += c;
    if (line_.size() + data_.size() > maxEventBytes_) {
      throw std::length_error("event stream: event larger than " + std::to_string(maxEventBytes_) + " bytes");
    }
  }
  return true;
}

bool SseParser::processLine(std::string_view line, const std::function<bool(const SseEvent&)>& onEvent) {
  if (line.empty()) return dispatch(onEvent);
  if (line.front() == ':') return true;  // a comment (often a keep-alive)
  std::string_view field = line, value;
  if (std::size_t colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "event") {
    eventType_ = value;
  } else if (field == "data") {
    data_.append(value);
    data_ += '\n';
    if (data_.size() > maxEventBytes_) {
      throw std::length_error("event stream: event larger than " + std::to_string(maxEventBytes_) + " bytes");
    }
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) idBuffer_ = value;
  } else if (field == "retry") {
    // Only ASCII digits count; values beyond int are clamped rather than ignored.
    if (allDigits(value)) {
      long long ms = 0;
      for (char c : value) ms = std::min(ms * 10 + (c - '0'), 2147483647LL);
      pendingRetry_ = static_cast<int>(ms);
      reconnectionTime_ = pendingRetry_;
    }
  }
  // Any other field is ignored.
  return true;
}

bool SseParser::dispatch(const std::function<bool(const SseEvent&)>& onEvent) {
  // The last event id is set even when no event is dispatched (a block with only "id:").
  lastEventId_ = idBuffer_;
  if (data_.empty()) {
    eventType_.clear();
    return true;
  }
  data_.pop_back();  // the '\n' after the last data line
  SseEvent event{lastEventId_, eventType_.empty() ? "message" : eventType_, std::move(data_), pendingRetry_};
  data_.clear();
  eventType_.clear();
  pendingRetry_.reset();
  return onEvent(event);
}

void SseParser::resetConnection() {
  line_.clear();
  afterCR_ = false;
  bomMatched_ = 0;
  bomDone_ = false;  // a new response may start with a BOM of its own
  data_.clear();
  eventType_.clear();
  idBuffer_ = lastEventId_;
  pendingRetry_.reset();
}

}  // namespace tether::client
