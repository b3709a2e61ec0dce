// GET /api/v1/search: ranked full-text search over the cases the caller may read.
#include <gtest/gtest.h>

#include <set>

#include "server_fixture.h"

namespace docket::server_test {
namespace {

// `text` percent-encoded for a query string (UTF-8 bytes as %XX).
std::string encoded(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += {'%', hex[c >> 4], hex[c & 15]};
    }
  }
  return out;
}

class SearchTest : public ServerTest {
 protected:
  Reply search(const std::string& user, const std::string& words, const std::string& more = "") {
    return get(user, "/api/v1/search?q=" + encoded(words) + more);
  }
  // The case numbers `user` finds, best first.
  std::vector<std::string> found(const std::string& user, const std::string& words, const std::string& more = "") {
    const Reply reply = search(user, words, more);
    EXPECT_EQ(reply.status, 200) << reply;
    std::vector<std::string> numbers;
    const rapidjson::Document body = reply.json();
    if (!body.IsObject() || !body.HasMember("items")) return numbers;
    for (const auto& item : body["items"].GetArray()) numbers.emplace_back(item["case"]["number"].GetString());
    return numbers;
  }
  std::string critique(const std::string& user, const std::string& unit, const std::string& title) {
    return open_case(user, "social-critique", unit, title,
                     R"({"submission_date":"2026-06-30","drafting_body":"so-ld"})");
  }
  using Numbers = std::vector<std::string>;
};

TEST_F(SearchTest, FindsWithoutDiacriticsAndMarksTheMatchedWords) {
  const std::string scheme = critique("lan", "ninh-binh", "Đề án giảm nghèo bền vững vùng đồng bào");
  const std::string other = critique("lan", "ninh-binh", "Kế hoạch phát triển du lịch");
  EXPECT_EQ(found("lan", "giam ngheo"), Numbers{scheme});
  EXPECT_EQ(found("lan", "dong bao"), Numbers{scheme});
  EXPECT_EQ(found("lan", "đu lịch"), Numbers{other});
  const Reply reply = search("lan", "de an");
  ASSERT_EQ(reply.status, 200) << reply;
  EXPECT_EQ(reply.at("/items/0/snippet"), "«Đề» «án» giảm nghèo bền vững vùng đồng bào");
  EXPECT_EQ(reply.at("/items/0/case/stage"), "received");
  EXPECT_TRUE(reply.json()["items"][0]["score"].IsNumber());
  EXPECT_TRUE(reply.json()["next_cursor"].IsNull());
}

TEST_F(SearchTest, AUserSeesOnlyTheCasesTheyMayReadAndAnAdminSeesAll) {
  const std::string province = critique("lan", "ninh-binh", "Giảm nghèo cấp tỉnh");
  const std::string gia_vien = critique("gv-can-bo", "gia-vien", "Giảm nghèo xã Gia Viễn");
  const std::string hoa_lu = critique("hl-can-bo", "hoa-lu", "Giảm nghèo xã Hoa Lư");
  const auto as_set = [](const Numbers& numbers) { return std::set<std::string>(numbers.begin(), numbers.end()); };
  EXPECT_EQ(found("gv-can-bo", "giam ngheo"), Numbers{gia_vien});
  EXPECT_EQ(found("hl-can-bo", "giam ngheo"), Numbers{hoa_lu});
  EXPECT_EQ(found("hl-can-bo", "gia vien"), Numbers{});
  EXPECT_EQ(as_set(found("lan", "giam ngheo")), as_set({province, gia_vien, hoa_lu}));  // department_head reads below
  EXPECT_EQ(as_set(found("admin", "giam ngheo")), as_set({province, gia_vien, hoa_lu}));
  EXPECT_EQ(found("so-ld", "giam ngheo"), Numbers{province});  // an outside party: the cases naming them there
  EXPECT_EQ(found("so-tc", "giam ngheo"), Numbers{});
  EXPECT_EQ(found("lan", "giam ngheo", "&unit=hoa-lu"), Numbers{hoa_lu});
  EXPECT_EQ(found("lan", "giam ngheo", "&workflow=supervision"), Numbers{});
}

TEST_F(SearchTest, PagesFollowTheRankingAndSkipUnreadableCases) {
  std::set<std::string> expected;
  for (int i = 0; i < 3; ++i)
    expected.insert(critique("gv-can-bo", "gia-vien", "Nước sạch nông thôn " + std::to_string(i)));
  critique("hl-can-bo", "hoa-lu", "Nước sạch nông thôn Hoa Lư");  // gv-can-bo may not read it
  std::set<std::string> walked;
  std::string cursor;
  int pages = 0;
  for (; pages < 10; ++pages) {
    const Reply page = search("gv-can-bo", "nuoc sach", "&limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(page.status, 200) << page;
    const rapidjson::Document body = page.json();  // kept: the loop below walks into it
    for (const auto& item : body["items"].GetArray()) walked.insert(item["case"]["number"].GetString());
    if (!body["next_cursor"].IsString()) break;
    cursor = page.at("/next_cursor");
  }
  EXPECT_EQ(pages, 1);  // two pages: 2 + 1
  EXPECT_EQ(walked, expected);
}

TEST_F(SearchTest, FollowsCommentsAndMarkdownDocumentsAsTheyAreCommitted) {
  const std::string number = critique("lan", "ninh-binh", "Dự thảo Kế hoạch");
  EXPECT_EQ(found("lan", "hop tac xa"), Numbers{});
  ASSERT_EQ(act("lan", number, "comments", R"({"text":"Lấy ý kiến các hợp tác xã"})").status, 200);
  EXPECT_EQ(found("lan", "hop tac xa"), Numbers{number});
  ASSERT_EQ(
      upload("lan", number, "report", "bao-cao.md", "## Tổng hợp\n\nĐường giao thông **liên xã**", "text/markdown")
          .status,
      200);
  EXPECT_EQ(found("lan", "duong giao thong lien xa"), Numbers{number});
}

TEST_F(SearchTest, ACaseChangedByAnotherProcessIsFoundAtOnce) {
  const std::string number = critique("lan", "ninh-binh", "Dự thảo Kế hoạch");
  {  // as `docket case comment` would, on its own connection while the server runs
    FixedClock clock{clock_.now()};
    auto workspace = Workspace::open({db_path_, false, 5000, true}, clock);
    ASSERT_TRUE(workspace.ok()) << workspace.error().message;
    auto commented = (*workspace)->cases().execute(number, "lan", {AddComment{"Ý kiến của Mặt trận xã"}});
    ASSERT_TRUE(commented.ok()) << commented.error().message;
  }
  EXPECT_EQ(found("lan", "mat tran xa"), Numbers{number});
}

TEST_F(SearchTest, BadQueriesAreRefusedWithTheReason) {
  critique("lan", "ninh-binh", "Kế hoạch \"giảm nghèo\"");
  EXPECT_EQ(found("lan", "\"giam ngheo"), Numbers{"PB-2026-0001"});  // an unbalanced quote is only text
  EXPECT_EQ(found("lan", "giam AND OR NOT"), Numbers{});
  const Reply missing = get("lan", "/api/v1/search");
  EXPECT_TRUE(is_error(missing, 400, "invalid_argument")) << missing;
  EXPECT_NE(missing.at("/error/message").find("q"), std::string::npos);
  const Reply empty = search("lan", "  ");
  EXPECT_TRUE(is_error(empty, 400, "invalid_argument")) << empty;
  EXPECT_NE(empty.at("/error/message").find("the search query is empty"), std::string::npos);
  const Reply punctuation = search("lan", "\"");
  EXPECT_TRUE(is_error(punctuation, 400, "invalid_argument")) << punctuation;
  EXPECT_NE(punctuation.at("/error/message").find("no letters or digits"), std::string::npos);
  EXPECT_TRUE(is_error(search("lan", "giam", "&limit=0"), 400, "invalid_argument"));
  EXPECT_TRUE(is_error(search("lan", "giam", "&cursor=x"), 400, "invalid_argument"));
  EXPECT_TRUE(is_error(search("lan", "giam", "&open=yes"), 400, "invalid_argument"));
  const Reply unknown = search("lan", "giam", "&stage=received");
  EXPECT_TRUE(is_error(unknown, 400, "invalid_argument")) << unknown;
  EXPECT_NE(unknown.at("/error/message").find("stage"), std::string::npos);
}

}  // namespace
}  // namespace docket::server_test
