// SseParser: an incremental reader of text/event-stream bytes following the WHATWG
// EventSource interpretation rules (HTML §9.2.6): CRLF, LF or CR line ends (even split
// across feeds), a leading BOM, comments, multi-line data, id persistence, retry.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tether::client {

struct SseEvent {
  std::string id{};     // the last event id in effect when the event was dispatched
  std::string event{};  // "message" when the stream names no type
  std::string data{};   // data lines joined with '\n'
  std::optional<int> retry{};  // a retry field (milliseconds) seen since the previous event
};

class SseParser {
 public:
  // maxEventBytes bounds the unfinished line plus the pending event, so a stream without
  // line ends cannot grow memory without limit; feed() throws std::length_error beyond it.
  explicit SseParser(std::size_t maxEventBytes = 8u << 20);

  // Parses bytes; calls onEvent per complete event. Returns false as soon as onEvent
  // does (the rest of the bytes are not parsed).
  bool feed(std::string_view bytes, const std::function<bool(const SseEvent&)>& onEvent);
  std::vector<SseEvent> feed(std::string_view bytes);

  // The id to send as Last-Event-ID when reconnecting (empty: none).
  const std::string& lastEventId() const { return lastEventId_; }
  // The reconnection delay the stream asked for, in milliseconds.
  std::optional<int> reconnectionTime() const { return reconnectionTime_; }

  // Forgets a half-received line and event (the connection dropped) but keeps the last
  // event id and the reconnection time, as a reconnecting EventSource does.
  void resetConnection();

 private:
  bool processLine(std::string_view line, const std::function<bool(const SseEvent&)>& onEvent);
  bool dispatch(const std::function<bool(const SseEvent&)>& onEvent);

  std::size_t maxEventBytes_;
  std::string line_;         // bytes of the line not yet ended
  bool afterCR_ = false;     // the previous byte was CR: a following LF belongs to it
  std::size_t bomMatched_ = 0;  // bytes of a leading BOM seen so far
  bool bomDone_ = false;
  std::string data_;
  std::string eventType_;
  std::string idBuffer_;
  std::string lastEventId_;
  std::optional<int> pendingRetry_;
  std::optional<int> reconnectionTime_;
};

}  // namespace tether::client
