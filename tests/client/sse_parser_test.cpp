// SseParser against a table of streams; every stream is also fed split at every byte
// position and one byte at a time, which must not change the events.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "tether/client/sse.h"

namespace tether::client {
namespace {

struct Expected {
  std::string id, event, data;
  std::optional<int> retry;
};

struct Case {
  const char* name;
  std::string stream;
  std::vector<Expected> events;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> table = {
      {"simple", "data: hello\n\n", {{"", "message", "hello", {}}}},
      {"crlf", "data: a\r\n\r\ndata: b\r\n\r\n", {{"", "message", "a", {}}, {"", "message", "b", {}}}},
      {"cr", "data: a\r\rdata: b\r\r", {{"", "message", "a", {}}, {"", "message", "b", {}}}},
      {"mixed line ends", "data: a\r\ndata: b\rdata: c\n\r\n", {{"", "message", "a\nb\nc", {}}}},
      {"multi-line data", "data: a\ndata:\ndata: b\n\n", {{"", "message", "a\n\nb", {}}}},
      {"comments", ": ping\n\n:\ndata: x\n: inside\n\n", {{"", "message", "x", {}}}},
      {"leading bom", "\xEF\xBB\xBF" "data: x\n\n", {{"", "message", "x", {}}}},
      {"second bom is text", "data: a\n\n\xEF\xBB\xBF" "data: b\n\n", {{"", "message", "a", {}}}},
      {"no space after colon", "data:x\n\n", {{"", "message", "x", {}}}},
      {"only one space removed", "data:  x \n\n", {{"", "message", " x ", {}}}},
      {"field without colon", "data\n\n", {{"", "message", "", {}}}},
      {"empty data", "data:\n\n", {{"", "message", "", {}}}},
      {"event type then default", "event: add\ndata: 1\n\ndata: 2\n\n",
       {{"", "add", "1", {}}, {"", "message", "2", {}}}},
      {"event without data is dropped and forgotten", "event: x\n\ndata: y\n\n", {{"", "message", "y", {}}}},
      {"id persists", "id: 7\ndata: a\n\ndata: b\n\n", {{"7", "message", "a", {}}, {"7", "message", "b", {}}}},
      {"empty id resets", "id: 7\ndata: a\n\nid\ndata: b\n\n", {{"7", "message", "a", {}}, {"", "message", "b", {}}}},
      {"id with nul ignored", std::string("id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n", 32),
       {{"1", "message", "a", {}}, {"1", "message", "b", {}}}},
      {"id alone sets last id", "id: 5\n\ndata: a\n\n", {{"5", "message", "a", {}}}},
      {"retry", "retry: 1500\ndata: a\n\ndata: b\n\n", {{"", "message", "a", 1500}, {"", "message", "b", {}}}},
      {"bad retry ignored", "retry: 15x\ndata: a\n\nretry:\ndata: b\n\n",
       {{"", "message", "a", {}}, {"", "message", "b", {}}}},
      {"unknown fields ignored", "foo: bar\nData: no\ndata: x\n\n", {{"", "message", "x", {}}}},
      {"unterminated event discarded", "data: a\n\ndata: b\n", {{"", "message", "a", {}}}},
      {"blank lines between events", "data: a\n\n\n\ndata: b\n\n", {{"", "message", "a", {}}, {"", "message", "b", {}}}},
      {"utf-8", "data: caf\xC3\xA9 \xE2\x9C\x93\n\n", {{"", "message", "caf\xC3\xA9 \xE2\x9C\x93", {}}}},
      {"colon in value", "data: a: b\n\n", {{"", "message", "a: b", {}}}},
  };
  return table;
}

std::vector<Expected> simplify(const std::vector<SseEvent>& events) {
  std::vector<Expected> out;
  for (const SseEvent& e : events) out.push_back({e.id, e.event, e.data, e.retry});
  return out;
}

void expectEvents(const std::vector<SseEvent>& got, const Case& c, const std::string& how) {
  std::vector<Expected> events = simplify(got);
  ASSERT_EQ(events.size(), c.events.size()) << c.name << " (" << how << ")";
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].id, c.events[i].id) << c.name << " #" << i << " (" << how << ")";
    EXPECT_EQ(events[i].event, c.events[i].event) << c.name << " #" << i << " (" << how << ")";
    EXPECT_EQ(events[i].data, c.events[i].data) << c.name << " #" << i << " (" << how << ")";
    EXPECT_EQ(events[i].retry, c.events[i].retry) << c.name << " #" << i << " (" << how << ")";
  }
}

TEST(SseParser, Table) {
  for (const Case& c : cases()) {
    SseParser whole;
    expectEvents(whole.feed(c.stream), c, "whole");

    SseParser bytewise;
    std::vector<SseEvent> got;
    for (char byte : c.stream) {
      for (SseEvent& e : bytewise.feed(std::string_view(&byte, 1))) got.push_back(std::move(e));
    }
    expectEvents(got, c, "byte by byte");

    for (std::size_t split = 1; split < c.stream.size(); ++split) {
      SseParser parser;
      std::vector<SseEvent> parts = parser.feed(std::string_view(c.stream).substr(0, split));
      for (SseEvent& e : parser.feed(std::string_view(c.stream).substr(split))) parts.push_back(std::move(e));
      expectEvents(parts, c, "split at " + std::to_string(split));
    }
  }
}

TEST(SseParser, ReconnectionTimeAndLastIdOutliveEvents) {
  SseParser parser;
  EXPECT_TRUE(parser.feed("retry: 2500\n\nid: 9\n\n").empty());
  EXPECT_EQ(parser.reconnectionTime(), 2500);
  EXPECT_EQ(parser.lastEventId(), "9");
  EXPECT_EQ(parser.feed("retry: 99999999999\n\n").size(), 0u);
  EXPECT_EQ(parser.reconnectionTime(), 2147483647) << "clamped to int";
}

TEST(SseParser, ResetConnectionDropsThePartialEventOnly) {
  SseParser parser;
  EXPECT_EQ(parser.feed("id: 1\ndata: a\n\nid: 2\ndata: par").size(), 1u);
  parser.resetConnection();
  EXPECT_EQ(parser.lastEventId(), "1");
  auto events = parser.feed("data: b\n\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "b");
  EXPECT_EQ(events[0].id, "1") << "the id survives the reconnection";
}

TEST(SseParser, StopsWhenTheCallbackSaysSo) {
  SseParser parser;
  int seen = 0;
  bool more = parser.feed("data: 1\n\ndata: 2\n\n", [&](const SseEvent&) {
    ++seen;
    return false;
  });
  EXPECT_FALSE(more);
  EXPECT_EQ(seen, 1);
}

TEST(SseParser, OversizedEventsAreRefused) {
  SseParser parser(64);
  EXPECT_THROW(parser.feed(std::string(100, 'a')), std::length_error);
  SseParser data(64);
  EXPECT_THROW(data.feed(std::string(10, 'x').insert(0, "data: ") + "\n" + std::string("data: ") +
                         std::string(60, 'y') + "\n"),
               std::length_error);
}

}  // namespace
}  // namespace tether::client
