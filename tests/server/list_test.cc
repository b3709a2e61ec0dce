// Listing cases: cursor pagination that never repeats or skips, and the filters.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "server_fixture.h"

namespace docket::server_test {
namespace {

class ListTest : public ServerTest {
 protected:
  // Follows next_cursor from the first page; returns every number in the order received.
  std::vector<std::string> walk(const std::string& user, const std::string& query, int limit, int* pages = nullptr) {
    std::vector<std::string> numbers;
    std::string cursor;
    for (int page = 1; page <= 50; ++page) {
      const Reply reply = get(
          user, "/api/v1/cases?limit=" + std::to_string(limit) + query + (cursor.empty() ? "" : "&cursor=" + cursor));
      EXPECT_EQ(reply.status, 200) << reply;
      const rapidjson::Document body = reply.json();
      if (!body.IsObject()) break;
      EXPECT_LE(static_cast<int>(body["items"].Size()), limit);
      for (const auto& item : body["items"].GetArray()) numbers.emplace_back(item["number"].GetString());
      if (pages != nullptr) *pages = page;
      EXPECT_EQ(body["more"].GetBool(), body["next_cursor"].IsString()) << "a cut page says so";
      if (!body["next_cursor"].IsString()) break;
      cursor = body["next_cursor"].GetString();
    }
    return numbers;
  }
  std::string critique_due(const std::string& submission_date, const std::string& unit = "ninh-binh",
                           const std::string& user = "lan") {
    return open_case(user, "social-critique", unit, "Dự thảo nộp ngày " + submission_date,
                     R"({"submission_date":")" + submission_date + R"(","drafting_body":"so-ld"})");
  }
  std::string supervision() {
    return open_case("lan", "supervision", "ninh-binh", "Giám sát an sinh xã hội",
                     R"({"subject":"An sinh xã hội","supervised_body":"ubnd"})");
  }
};

TEST_F(ListTest, PagesWalkEveryCaseOnceInNumberOrder) {
  std::vector<std::string> opened;
  for (int i = 0; i < 3; ++i) opened.push_back(critique_due("2026-06-30"));
  for (int i = 0; i < 2; ++i) opened.push_back(supervision());
  opened.push_back(critique_due("2026-06-30", "gia-vien", "gv-can-bo"));
  opened.push_back(critique_due("2026-06-30", "hoa-lu", "hl-can-bo"));
  int pages = 0;
  const auto walked = walk("lan", "", 2, &pages);
  EXPECT_EQ(pages, 4);
  EXPECT_EQ(walked.size(), 7u);
  EXPECT_EQ(std::set<std::string>(walked.begin(), walked.end()).size(), 7u) << "no repeats";
  EXPECT_TRUE(std::is_sorted(walked.begin(), walked.end()));
  EXPECT_EQ(std::set<std::string>(walked.begin(), walked.end()), std::set<std::string>(opened.begin(), opened.end()));
  // A page of exactly the rest says there is nothing more.
  const Reply whole = get("lan", "/api/v1/cases?limit=7");
  EXPECT_EQ(whole.number("/items"), 7);
  EXPECT_EQ(whole.json()["next_cursor"].IsNull(), true);
  // Items are summaries: documents and recommendations are read from the case itself.
  EXPECT_EQ(whole.number("/items/0/documents"), -1);
}

TEST_F(ListTest, CasesOpenedWhileWalkingAreNotRepeatedOrSkippedBefore) {
  for (int i = 0; i < 4; ++i) critique_due("2026-06-30");
  const Reply first = get("lan", "/api/v1/cases?limit=2");
  ASSERT_EQ(first.number("/items"), 2);
  const std::string later = critique_due("2026-06-30");  // numbered after everything so far
  const auto rest = walk("lan", "&cursor=" + first.at("/next_cursor"), 2);
  EXPECT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest.back(), later);
}

TEST_F(ListTest, FiltersByWorkflowStageUnitAssigneeAndOpen) {
  const std::string a = critique_due("2026-06-30");
  const std::string b = critique_due("2026-06-30");
  const std::string s = supervision();
  const std::string g = critique_due("2026-06-30", "gia-vien", "gv-can-bo");
  ASSERT_EQ(move("lan", b, "withdraw", R"({"end_reason":"Cơ quan soạn thảo đã rút dự thảo."})").status, 200);
  ASSERT_EQ(act("lan", a, "assign", R"({"assignee":"lan"})").status, 200);

  EXPECT_EQ(walk("lan", "&workflow=supervision", 1), std::vector<std::string>{s});
  EXPECT_EQ(walk("lan", "&workflow=social-critique", 1), (std::vector<std::string>{a, b, g}));
  EXPECT_EQ(walk("lan", "&stage=withdrawn", 1), std::vector<std::string>{b});
  EXPECT_EQ(walk("lan", "&stage=received&workflow=social-critique", 1), (std::vector<std::string>{a, g}));
  EXPECT_EQ(walk("lan", "&unit=gia-vien", 1), std::vector<std::string>{g});
  EXPECT_EQ(walk("lan", "&assignee=lan", 1), std::vector<std::string>{a});
  EXPECT_EQ(walk("lan", "&open=true", 1), (std::vector<std::string>{s, a, g}));
  EXPECT_EQ(walk("lan", "&open=false", 5).size(), 4u);
  EXPECT_TRUE(is_error(get("lan", "/api/v1/cases?open=yes"), 400, "invalid_argument"));
  EXPECT_TRUE(is_error(get("lan", "/api/v1/cases?workfow=supervision"), 400, "invalid_argument"));
}

TEST_F(ListTest, OverdueAndDueWithinFollowTheirCursor) {
  // The clock stands at 2026-03-02: a draft due in February is overdue, one due on 20 March is
  // due within 30 days, one due in June is neither.
  const std::string late1 = critique_due("2026-02-20");
  const std::string soon = critique_due("2026-03-20");
  const std::string late2 = critique_due("2026-02-24", "gia-vien", "gv-can-bo");
  const std::string later = critique_due("2026-06-30");
  const std::string late3 = critique_due("2026-02-26", "hoa-lu", "hl-can-bo");
  int pages = 0;
  EXPECT_EQ(walk("lan", "&overdue=true", 1, &pages), (std::vector<std::string>{late1, late2, late3}));
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(walk("gv-can-bo", "&overdue=true", 1), std::vector<std::string>{late2});
  EXPECT_EQ(walk("lan", "&overdue=true&unit=hoa-lu", 2), std::vector<std::string>{late3});
  EXPECT_EQ(walk("lan", "&due_within=30d", 1), std::vector<std::string>{soon});
  EXPECT_EQ(walk("lan", "&due_within=200d", 1), (std::vector<std::string>{soon, later}));
  EXPECT_TRUE(is_error(get("lan", "/api/v1/cases?overdue=true&due_within=3d"), 400, "invalid_argument"));
}

TEST_F(ListTest, SortsByDueDateOrNumberEitherWayRound) {
  const std::string june = critique_due("2026-06-30");
  const std::string march = critique_due("2026-03-20");
  const std::string none = critique_due("2026-05-30");  // withdrawn: no due date, last either way
  ASSERT_EQ(move("lan", none, "withdraw", R"({"end_reason":"Cơ quan soạn thảo đã rút dự thảo."})").status, 200);
  const std::string april = critique_due("2026-04-15", "gia-vien", "gv-can-bo");
  const std::string february = critique_due("2026-02-20");
  EXPECT_EQ(walk("lan", "&sort=due", 1), (std::vector<std::string>{february, march, april, june, none}));
  EXPECT_EQ(walk("lan", "&sort=due", 2), (std::vector<std::string>{february, march, april, june, none}));
  EXPECT_EQ(walk("lan", "&sort=-due", 1), (std::vector<std::string>{june, april, march, february, none}));
  EXPECT_EQ(walk("lan", "&sort=-number", 2), (std::vector<std::string>{february, april, none, march, june}));
  EXPECT_EQ(walk("lan", "&sort=due&overdue=true", 1), std::vector<std::string>{february});
  EXPECT_EQ(walk("lan", "&sort=-due&due_within=60d", 1), (std::vector<std::string>{april, march}));
  EXPECT_TRUE(is_error(get("lan", "/api/v1/cases?sort=title"), 400, "invalid_argument"));
  EXPECT_TRUE(is_error(get("lan", "/api/v1/cases?sort=due&cursor=" + june), 400, "invalid_argument"));
}

// Nothing is refused for matching many cases: the overdue list pages like any other (it was
// refused above 20 000), and `docket case list` lists every case (it stopped at 1 000) or, with
// --limit, says how many it left out and how to list them.
TEST_F(ListTest, AnyNumberOfCasesIsListedAndACutListSaysSo) {
  constexpr int kCases = 1003;
  for (int i = 0; i < kCases; ++i) {
    const Reply opened = post("lan", "/api/v1/cases", R"({"workflow":"supervision","unit":"ninh-binh",
        "title":"Giám sát )" + std::to_string(i) + R"(","fields":{"subject":"An sinh","supervised_body":"ubnd"}})");
    ASSERT_EQ(opened.status, 201) << opened;
  }
  const Ran all = docket({"--as", "lan", "--format", "csv", "case", "list"});
  ASSERT_EQ(all.exit_code, 0) << all.out;
  EXPECT_EQ(std::count(all.out.begin(), all.out.end(), '\n'), kCases + 1) << "a header and every case";
  const Ran cut = docket({"--as", "lan", "--format", "csv", "case", "list", "--limit", "1000"});
  ASSERT_EQ(cut.exit_code, 0) << cut.out;
  const std::size_t hint = cut.out.find("more cases follow: add --after ");
  ASSERT_NE(hint, std::string::npos) << cut.out.substr(cut.out.size() - 300);
  const std::string after = cut.out.substr(hint + 31, cut.out.find(' ', hint + 31) - hint - 31);
  const Ran rest = docket({"--as", "lan", "--format", "csv", "case", "list", "--after", after});
  ASSERT_EQ(rest.exit_code, 0) << rest.out;
  EXPECT_EQ(std::count(rest.out.begin(), rest.out.end(), '\n'), 3 + 1);
  EXPECT_EQ(rest.out.find("more cases follow"), std::string::npos);
}

}  // namespace
}  // namespace docket::server_test
