// Importing cases from a spreadsheet in the web application (/import), from a real server on
// loopback with a web session: the check names each problem by row and column and stores
// nothing; the import opens every row as a case, all or nothing; the same file again skips them.
#include <gtest/gtest.h>

#include <regex>

#include "web_fixture.h"

namespace docket::server_test {
namespace {

constexpr const char* kMapping = R"({
  "reference": "Số hồ sơ", "title": "Tên dự thảo", "opened": "Ngày nhận",
  "fields": {"document_title": "Tên dự thảo", "drafting_body": "Cơ quan chủ trì soạn thảo",
             "received_date": "Ngày nhận", "submission_date": "Ngày trình"}
})";

constexpr const char* kGood =
    "Số hồ sơ,Tên dự thảo,Ngày nhận,Ngày trình,Cơ quan chủ trì soạn thảo\r\n"
    "PB-01/2026,Dự thảo Kế hoạch giảm nghèo bền vững,02/03/2026,31/12/2026,Sở Lao động - Thương binh và Xã hội\r\n"
    "PB-02/2026,Dự thảo Đề án nhà ở cho hộ nghèo,16/03/2026,30/12/2026,Sở Xây dựng\r\n";

class WebImportTest : public WebTest {
 protected:
  void SetUp() override {
    WebTest::SetUp();
    session_ = session_of("lan");
  }

  Reply page(const std::string& target) { return WebTest::page(session_, target); }

  // Posts the import form with `sheet` (as so-theo-doi.csv), the mapping, and `action`.
  Reply post(const std::string& sheet, const std::string& action) {
    const std::string csrf = csrf_of(page("/import").body);
    EXPECT_FALSE(csrf.empty());
    const std::string boundary = "----docket-import-test";
    std::string body;
    auto value = [&](const std::string& name, const std::string& text) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + text + "\r\n";
    };
    auto file = [&](const std::string& name, const std::string& file_name, const std::string& content) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + file_name +
              "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + "\r\n";
    };
    value("csrf", csrf);
    value("workflow", "social-critique");
    value("unit", "ninh-binh");
    file("file", "so-theo-doi.csv", sheet);
    file("mapping", "anh-xa.json", kMapping);
    value("action", action);
    body += "--" + boundary + "--\r\n";
    return submit(session_, "/import", body, "multipart/form-data; boundary=" + boundary);
  }

  // How many cases of ninh-binh the case list shows.
  int listed() {
    const Reply list = page("/cases?unit=ninh-binh");
    int count = 0;
    for (std::size_t at = list.body.find("data-number=\""); at != std::string::npos;
         at = list.body.find("data-number=\"", at + 1))
      ++count;
    return count;
  }

  std::string session_;
};

TEST_F(WebImportTest, TheCheckNamesEveryProblemAndTheImportOpensEveryRowOnce) {
  const Reply form = page("/cases");
  EXPECT_NE(form.body.find("href=\"/import\""), std::string::npos) << "the case list links to the import";

  // A date that does not exist: the check names its row and column; nothing is stored.
  std::string bad = kGood;
  bad.replace(bad.find("16/03/2026"), 10, "31/02/2026");
  const Reply refused = post(bad, "import");
  EXPECT_NE(refused.body.find("row 3, column C &quot;Ngày nhận&quot;"), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("Có lỗi nên chưa nhập gì"), std::string::npos) << refused.body;
  EXPECT_EQ(listed(), 0);

  const Reply checked = post(kGood, "check");
  ASSERT_EQ(checked.status, 303) << checked;
  EXPECT_EQ(checked.header("location"), "/import?checked=2&skipped=0");
  EXPECT_EQ(listed(), 0) << "a check stores nothing";
  const Reply shown = page(checked.header("location"));
  EXPECT_NE(shown.body.find("Kiểm tra xong, không có lỗi. Số hồ sơ sẽ được nhập: 2"), std::string::npos);

  const Reply imported = post(kGood, "import");
  ASSERT_EQ(imported.status, 303) << imported;
  EXPECT_EQ(imported.header("location"), "/import?imported=2&skipped=0");
  EXPECT_EQ(listed(), 2);
  EXPECT_NE(page("/cases?unit=ninh-binh").body.find("Dự thảo Đề án nhà ở cho hộ nghèo"), std::string::npos);

  // The same file again: both rows were imported before.
  const Reply again = post(kGood, "import");
  EXPECT_EQ(again.header("location"), "/import?imported=0&skipped=2");
  EXPECT_EQ(listed(), 2);
}

}  // namespace
}  // namespace docket::server_test
