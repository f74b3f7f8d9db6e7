// Pager: walking every page, lazily, in a range-for; and over a real Cloud-API-shaped list.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_server.h"
#include "tether/client/pager.h"
#include "tether/client/transport.h"

namespace tether::client {
namespace {

struct Page {
  std::vector<int> data;
  std::optional<std::string> next;
};

TEST(Pager, WalksThreePagesInARangeFor) {
  std::vector<std::optional<std::string>> cursors;
  Pager<Page, int> pager(
      [&](const std::optional<std::string>& cursor) {
        cursors.push_back(cursor);
        if (!cursor) return Page{{1, 2}, "c2"};
        if (*cursor == "c2") return Page{{3, 4}, "c3"};
        return Page{{5}, std::nullopt};
      },
      [](Page& page) { return std::move(page.data); }, [](const Page& page) { return page.next; });
  std::vector<int> items;
  for (int item : pager) items.push_back(item);
  EXPECT_EQ(items, (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_EQ(cursors, (std::vector<std::optional<std::string>>{std::nullopt, "c2", "c3"}));
  EXPECT_EQ(pager.pagesFetched(), 3u);
  EXPECT_TRUE(pager.all().empty()) << "single pass: nothing left";
}

TEST(Pager, FetchesLazilySkipsEmptyPagesAndStopsOnARepeatedCursor) {
  int fetches = 0;
  Pager<Page, int> pager(
      [&](const std::optional<std::string>& cursor) {
        ++fetches;
        if (!cursor) return Page{{1}, "a"};
        if (*cursor == "a") return Page{{}, "b"};
        return Page{{2}, "b"};  // a server bug: the same cursor again
      },
      [](Page& page) { return page.data; }, [](const Page& page) { return page.next; });
  auto it = pager.begin();
  EXPECT_EQ(fetches, 1);
  EXPECT_EQ(*it, 1);
  ++it;
  EXPECT_EQ(*it, 2);
  EXPECT_EQ(fetches, 3);
  ++it;
  EXPECT_TRUE(it == pager.end());
  EXPECT_EQ(fetches, 3);
}

TEST(Pager, WalksACloudApiListOverTheTransport) {
  using testing::TestServer;
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Get("/v1/projects", [&t](const httplib::Request& req, httplib::Response& res) {
      t.record(req);
      std::string cursor = req.get_param_value("cursor");
      nlohmann::json page;
      if (cursor.empty()) {
        page = {{"data", {{{"id", "prj_1"}}, {{"id", "prj_2"}}}}, {"meta", {{"next_cursor", "cur_2"}, {"has_more", true}}}};
      } else if (cursor == "cur_2") {
        page = {{"data", {{{"id", "prj_3"}}}}, {"meta", {{"next_cursor", "cur_3"}, {"has_more", true}}}};
      } else {
        page = {{"data", {{{"id", "prj_4"}}}}, {"meta", {{"next_cursor", nullptr}, {"has_more", false}}}};
      }
      res.set_content(page.dump(), "application/json");
    });
  });
  ClientOptions options;
  options.baseUrl = server.url() + "/v1";
  Transport transport(options);
  using Json = nlohmann::json;
  Pager<Json, std::string> projects(
      [&](const std::optional<std::string>& cursor) {
        std::string query = "limit=2" + (cursor ? "&cursor=" + *cursor : std::string());
        return Json::parse(transport.sendChecked({.method = "GET", .path = "/projects", .query = query}).body);
      },
      [](Json& page) {
        std::vector<std::string> ids;
        for (const Json& item : page["data"]) ids.push_back(item["id"]);
        return ids;
      },
      [](const Json& page) -> std::optional<std::string> {
        const Json& meta = page["meta"];
        if (!meta["has_more"].get<bool>() || !meta["next_cursor"].is_string()) return std::nullopt;
        return meta["next_cursor"].get<std::string>();
      });
  EXPECT_EQ(projects.all(), (std::vector<std::string>{"prj_1", "prj_2", "prj_3", "prj_4"}));
  EXPECT_EQ(server.seen().size(), 3u);
}

}  // namespace
}  // namespace tether::client
