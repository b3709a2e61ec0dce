// The web application's pieces without a browser: every template parses and names only UI
// strings the catalogue has in both languages; forms and cookies are read as browsers send
// them; dates show in Vietnam time.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "web/embedded.h"
#include "web/forms.h"
#include "web/page.h"

namespace docket::web {
namespace {

const std::vector<std::string> kTemplates = {"layout",   "message", "sign_in",   "inbox",    "cases",   "case",
                                             "new_case", "search",  "workflows", "workflow", "reports", "admin"};

TEST(WebTemplates, EveryTemplateParses) {
  for (const auto& name : kTemplates) {
    const auto source = embedded_file("templates/" + name + ".mustache");
    ASSERT_TRUE(source) << name;
    kainjow::mustache::mustache parsed{std::string(*source)};
    EXPECT_TRUE(parsed.is_valid()) << name << ": " << parsed.error_message();
  }
}

TEST(WebTemplates, EveryUiStringATemplateUsesIsInBothLanguages) {
  const Language vi{"vi"}, en{"en"};
  const std::regex key(R"(\{\{[#^/]?t\.([a-z_0-9]+)\}\})");
  for (const auto& name : kTemplates) {
    const std::string source(*embedded_file("templates/" + name + ".mustache"));
    for (std::sregex_iterator it(source.begin(), source.end(), key), end; it != end; ++it) {
      const std::string used = (*it)[1];
      EXPECT_TRUE(in_catalogue(vi, used)) << name << " uses t." << used << ", missing in Vietnamese";
      EXPECT_TRUE(in_catalogue(en, used)) << name << " uses t." << used << ", missing in English";
    }
  }
}

TEST(WebTemplates, ValuesAreEscapedAndTheLayoutCarriesTheCsrfToken) {
  Data data;
  data.set("heading", "<script>alert(1)</script>");
  data.set("message", "Hồ sơ \"số 1\" & <b>");
  const std::string page =
      render_page("message", data, Language{"vi"}, Viewer{"lan", "Nguyễn Thị Lan", false, "tok-123"}, "Tiêu đề", "/x");
  EXPECT_EQ(page.find("<script>alert"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(page.find("Nguyễn Thị Lan"), std::string::npos);
  EXPECT_NE(page.find("name=\"csrf\" value=\"tok-123\""), std::string::npos);  // the sign-out form
  EXPECT_NE(page.find("<html lang=\"vi\">"), std::string::npos);
  EXPECT_NE(page.find("Đăng xuất"), std::string::npos);
  const std::string english = render_page("message", data, Language{"en"}, Viewer{"lan", "", false, "t"}, "T", "/x");
  EXPECT_NE(english.find("Sign out"), std::string::npos);
}

TEST(WebForms, UrlencodedFormsDecodePlusAndPercentAsUtf8) {
  auto form = parse_form("application/x-www-form-urlencoded", "title=N%C6%B0%E1%BB%9Bc+s%E1%BA%A1ch&csrf=a");
  ASSERT_TRUE(form) << form.error().message;
  EXPECT_EQ(form->value("title"), "Nước sạch");
  EXPECT_EQ(form->value("csrf"), "a");
  EXPECT_EQ(form->value("absent"), "");
  EXPECT_FALSE(parse_form("application/x-www-form-urlencoded", "title=%FF%FE"));  // not UTF-8
  EXPECT_FALSE(parse_form("application/json", "{}"));
}

TEST(WebForms, MultipartFormsCarryFieldsAndFiles) {
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ndraft\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\\\tmp\\\\dự-thảo.pdf\"\r\n"
      "Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\nbody\r\n--XyZ--\r\n";
  auto form = parse_form("multipart/form-data; boundary=XyZ", body);
  ASSERT_TRUE(form) << form.error().message;
  EXPECT_EQ(form->value("kind"), "draft");
  ASSERT_EQ(form->files.size(), 1u);
  EXPECT_EQ(form->files[0].file_name, "dự-thảo.pdf");  // without the path
  EXPECT_EQ(form->files[0].media_type, "application/pdf");
  EXPECT_EQ(form->files[0].content, "%PDF-1.4\r\nbody");
  auto cut = parse_form("multipart/form-data; boundary=XyZ", body.substr(0, 60));
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().message.find("cut short"), std::string::npos);
  EXPECT_FALSE(parse_form("multipart/form-data", body));  // no boundary
}

TEST(WebForms, CookiesAndQueries) {
  const auto cookies = parse_cookies("docket_session=abc; docket_lang=en;other = x");
  EXPECT_EQ(cookies.at("docket_session"), "abc");
  EXPECT_EQ(cookies.at("docket_lang"), "en");
  EXPECT_EQ(cookies.at("other"), "x");
  EXPECT_EQ(parse_query("q=nuoc+sach&a=%C4%91").at("q"), "nuoc sach");
  EXPECT_EQ(parse_query("q=nuoc+sach&a=%C4%91").at("a"), "đ");
  const auto back = parse_query("to=en&back=/cases/PB-2026-0001&q=a+b");
  EXPECT_EQ(back.at("back"), "/cases/PB-2026-0001");
  EXPECT_EQ(back.at("to"), "en");
  EXPECT_EQ(back.at("q"), "a b");
  EXPECT_EQ(url_encode("dự thảo.pdf"), "d%E1%BB%B1%20th%E1%BA%A3o.pdf");
}

TEST(WebDates, ShownInVietnamTimeAsDayMonthYear) {
  EXPECT_EQ(show_date(std::string("2027-01-07")), "07/01/2027");
  EXPECT_EQ(show_date(std::string("not a date")), "not a date");
  // 2026-12-31 20:30 UTC is 1 January 2027, 03:30 in Vietnam.
  EXPECT_EQ(show_time(*parse_datetime("2026-12-31T20:30:00Z")), "01/01/2027 03:30");
}

}  // namespace
}  // namespace docket::web
