// The documents an officer downloads from the web pages, from a real server on loopback started
// with the committee's letterhead (serve --documents-config): a case's draft supervision report
// or critique document beside its letter, the review report as a Word file from the reports
// page; each file unzipped and its text read, as Word would show it. And where an imported case
// came from (the day it was opened on paper), on its page.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "../documents/docx_test_support.h"
#include "documents/letterhead.h"
#include "documents/recommendation_letter.h"
#include "web_fixture.h"

namespace docket::server_test {
namespace {

using documents_test::paragraphs;
using documents_test::part;

class WebDocumentsTest : public WebTest {
 protected:
  void SetUp() override {
    WebTest::SetUp();
    if (HasFatalFailure()) return;
    with_letterhead();
  }

  // Restarts the server as `docket serve --documents-config config/documents.example.json`.
  void with_letterhead() {
    auto head =
        documents::load_letterhead(DOCKET_SOURCE_DIR "/config/documents.example.json", {documents::kLetterKind});
    ASSERT_TRUE(head.ok()) << head.error().message;
    restart([&](server::ServerOptions& options) {
      options.web.letterhead = *head;
      options.web.document_templates = std::filesystem::path(DOCKET_WORKFLOWS_DIR) / "documents";
    });
  }

  std::string open_supervision() {
    return open_case("lan", "supervision", "ninh-binh", "Giám sát chi trả trợ cấp xã hội năm 2026",
                     R"({"subject":"Chi trả trợ cấp xã hội","supervised_body":"ubnd"})");
  }

  // The text of the downloaded .docx's body, one paragraph a line.
  static std::string document_text(const Reply& download) {
    std::string text;
    for (const std::string& paragraph : paragraphs(part(download.body, "word/document.xml"))) text += paragraph + "\n";
    return text;
  }

  // The address of the link with id `id` on `html` ("" when there is none), as a browser follows it.
  static std::string link(const std::string& html, const std::string& id) {
    std::smatch found;
    if (!std::regex_search(html, found, std::regex("href=\"([^\"]+)\" id=\"" + id + "\""))) return "";
    return std::regex_replace(found[1].str(), std::regex("&amp;"), "&");
  }

  static bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }
};

TEST_F(WebDocumentsTest, ASupervisionCaseOffersItsDraftResultsReportAndNotACritique) {
  const std::string number = open_supervision();
  const std::string session = session_of("lan");
  const Reply shown = page(session, "/cases/" + number);
  ASSERT_EQ(shown.status, 200) << shown;
  EXPECT_TRUE(contains(shown.body, "Tải bản nháp báo cáo kết quả giám sát")) << shown.body;
  ASSERT_EQ(link(shown.body, "supervision-draft"), "/cases/" + number + "/supervision.docx");
  EXPECT_EQ(link(shown.body, "critique-draft"), "");
  EXPECT_EQ(link(shown.body, "letter-draft"), "") << "no recommendations yet: no letter";

  const Reply download = page(session, "/cases/" + number + "/supervision.docx");
  ASSERT_EQ(download.status, 200) << download;
  EXPECT_EQ(download.header("content-type"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_TRUE(contains(download.header("content-disposition"), "attachment"));
  EXPECT_TRUE(contains(download.header("content-disposition"), "bao-cao-giam-sat-" + number + ".docx"))
      << download.header("content-disposition");
  const std::string text = document_text(download);
  EXPECT_TRUE(contains(text, "BÁO CÁO\nKết quả giám sát Chi trả trợ cấp xã hội")) << text;
  EXPECT_TRUE(contains(text, "(hồ sơ số " + number + ")")) << text;
  EXPECT_TRUE(contains(text, "/BC-MTTQ-BTT")) << "the number left blank before the symbol: " << text;
  EXPECT_TRUE(contains(text, "Ninh Bình, ngày 02 tháng 3 năm 2026")) << "dated today: " << text;

  // The critique document is not a supervision's: refused in the documents library's words.
  const Reply wrong = page(session, "/cases/" + number + "/critique.docx");
  EXPECT_EQ(wrong.status, 422) << wrong;
  EXPECT_TRUE(contains(wrong.body, "not a social critique")) << wrong.body;
}

TEST_F(WebDocumentsTest, ACritiqueWithRecommendationsOffersItsDraftCritiqueDocumentBesideTheLetter) {
  const std::string number = open_critique();
  const std::string session = session_of("lan");
  EXPECT_EQ(link(page(session, "/cases/" + number).body, "critique-draft"), "")
      << "no recommendations: nothing to critique with yet";
  EXPECT_EQ(page(session, "/cases/" + number + "/critique.docx").status, 422);
  issue_critique(number);
  ASSERT_EQ(act("lan", number, "recommendations", R"({"to":"so-ld","text":"Bổ sung chỉ tiêu hộ cận nghèo."})").status,
            200);
  const Reply shown = page(session, "/cases/" + number);
  ASSERT_EQ(shown.status, 200) << shown;
  EXPECT_EQ(link(shown.body, "letter-draft"), "/cases/" + number + "/letter.docx");
  ASSERT_EQ(link(shown.body, "critique-draft"), "/cases/" + number + "/critique.docx");
  EXPECT_TRUE(contains(shown.body, "Tải bản nháp văn bản phản biện xã hội")) << shown.body;
  EXPECT_EQ(link(shown.body, "supervision-draft"), "");

  const Reply download = page(session, "/cases/" + number + "/critique.docx");
  ASSERT_EQ(download.status, 200) << download;
  EXPECT_TRUE(contains(download.header("content-disposition"), "phan-bien-" + number + ".docx"))
      << download.header("content-disposition");
  const std::string text = document_text(download);
  EXPECT_TRUE(contains(text, "VĂN BẢN PHẢN BIỆN XÃ HỘI")) << text;
  EXPECT_TRUE(contains(text, "Bổ sung chỉ tiêu hộ cận nghèo.")) << text;
  EXPECT_TRUE(contains(text, "/PBXH-MTTQ-BTT")) << text;
}

TEST_F(WebDocumentsTest, ACaseTheViewerMayNotReadHasNoDraftsAndAServerWithoutLetterheadOffersNone) {
  const std::string number = open_supervision();
  // A commune officer may not read a province case: as unknown as any other.
  const std::string commune = session_of("hl-can-bo");
  EXPECT_EQ(page(commune, "/cases/" + number + "/supervision.docx").status, 404);
  EXPECT_EQ(page(commune, "/cases/" + number).status, 404);

  restart();  // docket serve without --documents-config
  const std::string session = session_of("lan");
  const Reply shown = page(session, "/cases/" + number);
  ASSERT_EQ(shown.status, 200) << shown;
  EXPECT_EQ(link(shown.body, "supervision-draft"), "");
  EXPECT_EQ(page(session, "/cases/" + number + "/supervision.docx").status, 404);
}

TEST_F(WebDocumentsTest, TheReportsPageDownloadsTheReviewReportAsWordForThePeriodUnitAndAsOfShown) {
  open_supervision();
  open_critique();
  const std::string session = session_of("chu-tich");
  const Reply shown = page(session, "/reports?period=2026-H1&unit=ninh-binh&rollup=1&as_of=2026-03-01");
  ASSERT_EQ(shown.status, 200) << shown;
  EXPECT_TRUE(contains(shown.body, "Tải báo cáo (Word)")) << shown.body;
  const std::string target = link(shown.body, "report-docx");
  ASSERT_EQ(target, "/reports?period=2026-H1&unit=ninh-binh&rollup=1&as_of=2026-03-01&format=docx");

  const Reply download = page(session, target);
  ASSERT_EQ(download.status, 200) << download;
  EXPECT_TRUE(contains(download.header("content-disposition"), "bao-cao-2026-H1.docx"))
      << download.header("content-disposition");
  const std::string text = document_text(download);
  EXPECT_TRUE(contains(text, "Sơ kết công tác giám sát, phản biện xã hội 6 tháng đầu năm 2026")) << text;
  EXPECT_TRUE(contains(text, "của Ủy ban MTTQ Việt Nam tỉnh Ninh Bình và các đơn vị trực thuộc")) << text;
  EXPECT_TRUE(contains(text, "tính đến ngày 01/03/2026")) << "the as-of the page showed: " << text;
  EXPECT_TRUE(contains(text, "Bảng 1.")) << "the rollup's table of units: " << text;

  // Without an as-of asked for, the link keeps the moment the page's figures were taken.
  const Reply now = page(session, "/reports?period=2026-H1&unit=ninh-binh");
  EXPECT_TRUE(contains(link(now.body, "report-docx"), "&as_of=2026-03-02T02%3A00%3A00Z&format=docx"))
      << link(now.body, "report-docx");

  restart();  // without --documents-config: no Word file
  const Reply plain = page(session, "/reports?period=2026-H1&unit=ninh-binh&rollup=1");
  ASSERT_EQ(plain.status, 200) << plain;
  EXPECT_EQ(link(plain.body, "report-docx"), "");
  EXPECT_TRUE(contains(plain.body, "format=csv")) << "the other downloads stay";
}

TEST_F(WebDocumentsTest, AnImportedCaseShowsTheDayItWasOpenedOnPaperAndWhereItCameFrom) {
  {
    std::ofstream csv(folder_ / "so-theo-doi.csv", std::ios::binary);
    csv << "Số hồ sơ,Tên dự thảo,Đơn vị,Ngày nhận,Ngày trình,Cơ quan chủ trì soạn thảo\r\n"
           "PB-07/2025,Dự thảo Đề án nước sạch nông thôn,ninh-binh,05/11/2025,30/06/2026,Sở Nông nghiệp\r\n";
    std::ofstream mapping(folder_ / "mapping.json", std::ios::binary);
    mapping << R"({"reference": "Số hồ sơ", "title": "Tên dự thảo", "unit": "Đơn vị", "opened": "Ngày nhận",
      "fields": {"drafting_body": "Cơ quan chủ trì soạn thảo", "received_date": "Ngày nhận",
                 "submission_date": "Ngày trình"}})";
  }
  const Ran imported = docket({"--as", "lan", "case", "import", (folder_ / "so-theo-doi.csv").string(), "--workflow",
                               "social-critique", "--mapping", (folder_ / "mapping.json").string()});
  ASSERT_EQ(imported.exit_code, 0) << imported.out;
  std::smatch number;
  ASSERT_TRUE(std::regex_search(imported.out, number, std::regex("PB-\\d{4}-\\d{4}"))) << imported.out;
  const std::string session = session_of("lan");
  const Reply shown = page(session, "/cases/" + number.str());
  ASSERT_EQ(shown.status, 200) << shown;
  EXPECT_TRUE(contains(shown.body, "<dt>Ngày nhận trên giấy</dt><dd id=\"paper-opened-on\">05/11/2025</dd>"))
      << shown.body;
  EXPECT_TRUE(contains(shown.body, "<dt>Nhập từ</dt><dd id=\"imported-from\">so-theo-doi.csv, dòng 2 (PB-07/2025)"))
      << shown.body;

  // A case opened in Docket has no paper date.
  const Reply own = page(session, "/cases/" + open_critique());
  ASSERT_EQ(own.status, 200) << own;
  EXPECT_FALSE(contains(own.body, "paper-opened-on"));
  EXPECT_FALSE(contains(own.body, "imported-from"));
}

// Issuing from the case page: the button posts, the register gives the unit's next report
// number, and the case keeps the document under it, as `docket document supervision --issue`.
TEST_F(WebDocumentsTest, IssuingTheSupervisionReportFromTheCasePageTakesTheRegistersNextNumber) {
  const std::string number = open_supervision();
  const std::string session = session_of("lan");
  const Reply shown = page(session, "/cases/" + number);
  ASSERT_TRUE(contains(shown.body, "id=\"do-issue-supervision\"")) << shown.body;
  std::smatch version;
  ASSERT_TRUE(std::regex_search(shown.body, version, std::regex("name=\"version\" value=\"(\\d+)\"")));
  const Reply issued = submit(session, "/cases/" + number + "/issue/supervision",
                              "csrf=" + csrf_of(shown.body) + "&version=" + version[1].str());
  ASSERT_EQ(issued.status, 303) << issued;
  EXPECT_EQ(issued.header("location"), "/cases/" + number + "?done=issued#documents");
  const Reply after = page(session, "/cases/" + number);
  EXPECT_TRUE(contains(after.body, "Báo cáo kết quả giám sát · số 1/BC-MTTQ-BTT")) << after.body;
  // The issued file is the supervision's results report, which its next transitions ask for.
  EXPECT_TRUE(contains(after.body, "bao-cao-giam-sat-" + number + ".docx")) << after.body;
  // An address that names no document is refused, and takes no number.
  const Reply unknown = submit(session, "/cases/" + number + "/issue/memo",
                               "csrf=" + csrf_of(after.body) + "&version=" + version[1].str());
  EXPECT_NE(unknown.status, 303) << unknown;
}

}  // namespace
}  // namespace docket::server_test
