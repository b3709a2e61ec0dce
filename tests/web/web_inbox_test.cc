// The inbox page (Việc của tôi) from a real server on loopback, signed in with a web session:
// its pages of 50, its totals, the units-below chart of a province head, and a bad cursor.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "sheets/grid.h"
#include "web_fixture.h"

namespace docket::server_test {
namespace {

class WebInboxTest : public WebTest {
 protected:
  static int rows(const std::string& html) {
    int count = 0;
    for (std::size_t at = html.find("data-number=\""); at != std::string::npos;
         at = html.find("data-number=\"", at + 1))
      ++count;
    return count;
  }
};

TEST_F(WebInboxTest, FiftyCasesAPageWithTheWholeInboxCountedAndANextPageLink) {
  for (int i = 0; i < 53; ++i) ASSERT_FALSE(open_critique("lan").empty());
  const std::string session = session_of("lan");  // the department head assigns received critiques
  const Reply first = page(session, "/inbox");
  ASSERT_EQ(first.status, 200) << first;
  EXPECT_EQ(rows(first.body), 50);
  EXPECT_NE(first.body.find("<strong>53</strong>"), std::string::npos) << "the total of the whole inbox";
  std::smatch next;
  ASSERT_TRUE(std::regex_search(first.body, next, std::regex("href=\"(/inbox\\?after=[^\"]+)\" id=\"next-page\"")));
  std::string target = next[1];
  target = std::regex_replace(target, std::regex("&amp;"), "&");
  const Reply second = page(session, target);
  ASSERT_EQ(second.status, 200) << second;
  EXPECT_EQ(rows(second.body), 3);
  EXPECT_EQ(second.body.find("id=\"next-page\""), std::string::npos);
  // No case on both pages.
  const std::regex number("data-number=\"([^\"]+)\"");
  std::set<std::string> seen;
  for (const Reply* reply : {&first, &second}) {
    for (std::sregex_iterator it(reply->body.begin(), reply->body.end(), number), end; it != end; ++it)
      EXPECT_TRUE(seen.insert((*it)[1]).second) << (*it)[1] << " twice";
  }
  EXPECT_EQ(seen.size(), 53u);
}

TEST_F(WebInboxTest, AProvinceHeadSeesEachCommuneBelowAsABarLinkingToItsList) {
  for (int i = 0; i < 3; ++i) ASSERT_FALSE(open_critique("gv-can-bo", "gia-vien").empty());
  ASSERT_FALSE(open_critique("hl-can-bo", "hoa-lu").empty());
  ASSERT_FALSE(open_critique("lan", "ninh-binh").empty());  // the province's own: not a bar
  const Reply inbox = page(session_of("chu-tich"), "/inbox");
  ASSERT_EQ(inbox.status, 200) << inbox;
  const auto bar = inbox.body.find("href=\"/cases?unit=gia-vien\"><title>Ủy ban MTTQ xã Gia Viễn: 3 / 0 quá hạn");
  const auto other = inbox.body.find("href=\"/cases?unit=hoa-lu\"><title>Ủy ban MTTQ phường Hoa Lư: 1 / 0 quá hạn");
  ASSERT_NE(bar, std::string::npos) << inbox.body;
  ASSERT_NE(other, std::string::npos) << inbox.body;
  EXPECT_LT(bar, other) << "the unit with more open cases first";
  EXPECT_EQ(inbox.body.find("href=\"/cases?unit=ninh-binh\""), std::string::npos);
  // A commune officer heads no unit below: no chart.
  const Reply commune = page(session_of("gv-can-bo"), "/inbox");
  ASSERT_EQ(commune.status, 200);
  EXPECT_EQ(commune.body.find("id=\"units-below\""), std::string::npos);
  EXPECT_EQ(rows(commune.body), 3);
}

TEST_F(WebInboxTest, AMalformedCursorIsABadRequestNamingIt) {
  const Reply refused = page(session_of("lan"), "/inbox?after=nonsense");
  EXPECT_EQ(refused.status, 400) << refused;
  EXPECT_NE(refused.body.find("nonsense"), std::string::npos);
}

// The case list downloads as an Excel workbook too: every case its filters select, with the
// page's Vietnamese column headings, readable back as a sheet.
TEST_F(WebInboxTest, TheCaseListDownloadsAsAWorkbookOfTheCasesItsFiltersSelect) {
  const std::string province = open_critique("lan", "ninh-binh");
  ASSERT_FALSE(province.empty());
  ASSERT_FALSE(open_critique("gv-can-bo", "gia-vien").empty());
  const std::string session = session_of("chu-tich");
  const Reply list = page(session, "/cases?unit=ninh-binh");
  ASSERT_EQ(list.status, 200) << list;
  EXPECT_NE(list.body.find("href=\"/cases?format=xlsx&amp;unit=ninh-binh\""), std::string::npos) << list.body;

  const Reply workbook = page(session, "/cases?format=xlsx&unit=ninh-binh");
  ASSERT_EQ(workbook.status, 200) << workbook;
  EXPECT_EQ(workbook.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_NE(workbook.header("content-disposition").find("ho-so.xlsx"), std::string::npos);
  auto grid = sheets::read_grid("ho-so.xlsx", workbook.body, "");
  ASSERT_TRUE(grid.ok()) << grid.error().message;
  ASSERT_EQ(grid->rows.size(), 2u) << "the heading and the one case of ninh-binh";
  EXPECT_EQ(grid->at(1, 0).text, "Số hồ sơ");
  EXPECT_EQ(grid->at(2, 0).text, province);
}

}  // namespace
}  // namespace docket::server_test
