// `docket document report|supervision|critique|letter` end to end: the real docket binary over a
// real SQLite file holding the reports' seeded dataset (tests/reports/report_dataset.h) writes
// each document; LibreOffice (headless, a private profile) converts them all in one run, and the
// PDFs' text, pictures and page counts are what a committee expects. The LibreOffice tests are
// skipped only when soffice is not installed (scripts/install-deps.sh installs it).
#include <cstdlib>
#include <regex>

#include "case_fixture.h"
#include "libreoffice.h"
#include "report_dataset.h"
#include "store/database.h"

namespace docket::cli_test {
namespace {

class DocumentsCli : public CaseCliFixture {
 protected:
  void SetUp() override {
    CaseCliFixture::SetUp();
    ::unsetenv("DOCKET_DOCUMENTS_CONFIG");
    ::unsetenv("DOCKET_SOFFICE");
    set_up_directory();
    auto db = Database::open({db_, false, 5000, true});
    ASSERT_TRUE(db.ok()) << db.error().message;
    report_testing::ReportDataset dataset(**db, "ninh-binh", "gia-hung");
    dataset.seed_all();
    supervision_ = dataset.numbers.at('C');  // at gia-hung: 2 recommendations, the first accepted
    critique_ = dataset.numbers.at('B');     // at ninh-binh: 3 recommendations
  }

  Outcome document(const std::string& user, std::vector<std::string> args) {
    args.insert(args.begin(), "document");
    for (const char* more :
         {"--documents-config", DOCKET_SOURCE_DIR "/config/documents.example.json", "--date", "2026-12-07"})
      args.push_back(more);
    return as(user, args);
  }

  // The text of the PDF `name` in the test's folder (pdftotext -layout).
  std::string pdf_text(const std::string& name) {
    const auto [status, text] = shell("pdftotext -layout '" + (dir_ / name).string() + "' -");
    EXPECT_EQ(status, 0) << name;
    return text;
  }
  int pdf_pages(const std::string& name) {
    const auto [status, info] = shell("pdfinfo '" + (dir_ / name).string() + "'");
    std::smatch pages;
    if (status != 0 || !std::regex_search(info, pages, std::regex(R"(Pages:\s+(\d+))"))) return -1;
    return std::stoi(pages[1].str());
  }

  std::string supervision_;
  std::string critique_;
};

void expect_says(const std::string& text, const std::vector<std::string>& expected, const std::string& document) {
  for (const std::string& line : expected)
    EXPECT_TRUE(contains(text, line)) << document << " does not say " << line << ":\n" << text;
}

TEST_F(DocumentsCli, LibreOfficeOpensEveryDocumentAndShowsWhatTheCommitteeSigns) {
  if (!installed("soffice")) GTEST_SKIP() << "LibreOffice (soffice) is not installed: scripts/install-deps.sh";
  ASSERT_TRUE(installed("pdftotext") && installed("pdfinfo") && installed("pdfimages"))
      << "poppler-utils is missing: scripts/install-deps.sh";
  const std::string letter = open_critique();
  write("draft.pdf", "%PDF-1.4 dự thảo");
  write("critique.pdf", "%PDF-1.4 văn bản phản biện");
  ok("lan", {"case", "assign", letter, "lan"});
  ok("lan", {"case", "attach", letter, (dir_ / "draft.pdf").string(), "--kind", "draft"});
  ok("lan", {"case", "move", letter, "assign"});
  ok("lan", {"case", "move", letter, "choose_form", "--field", "critique_form=conference"});
  ok("lan", {"case", "move", letter, "hold_meeting", "--field", "event_time=2026-04-10T08:00"});
  ok("lan", {"case", "attach", letter, (dir_ / "critique.pdf").string(), "--kind", "critique"});
  ok("lan", {"case", "move", letter, "submit_critique_draft"});
  ok("lan", {"case", "move", letter, "approve"});
  ok("lan", {"case", "recommend", letter, "--to", "tu-phap", "Rà soát danh sách:\n- hộ nghèo;\n- hộ cận nghèo."});
  const std::vector<std::pair<std::string, std::vector<std::string>>> written{
      {"report.docx",
       {"report", "--unit", "ninh-binh", "--period", "2026-H1", "--rollup", "--as-of", "2026-07-15", "--out"}},
      {"supervision.docx", {"supervision", supervision_, "--number", "27", "--out"}},
      {"critique.docx", {"critique", critique_, "--out"}},
      {"letter.docx", {"letter", letter, "--out"}}};
  std::string files;
  for (const auto& [name, args] : written) {
    std::vector<std::string> with_out = args;
    with_out.push_back((dir_ / name).string());
    const Outcome run = document("lan", with_out);
    ASSERT_EQ(run.exit_code, 0) << run;
    EXPECT_TRUE(contains(run.out, "wrote " + (dir_ / name).string() + ": ")) << run;
    files += (files.empty() ? "" : " ") + name;
  }

  const auto [converted, log] = convert_to_pdf(dir_, files);
  ASSERT_EQ(converted, 0) << log;

  const std::string report = pdf_text("report.pdf");
  expect_says(
      report,
      {"ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "/BC-MTTQ-BTT",
       "Ninh Bình, ngày 07 tháng 12 năm 2026", "BÁO CÁO",
       "Sơ kết công tác giám sát, phản biện xã hội 6 tháng đầu năm 2026", "của Ủy ban MTTQ Việt Nam tỉnh Ninh Bình và",
       "tỉnh Ninh Bình", "xã Gia Hưng", "Thời gian trả lời bình quân 8,8 ngày", "Bảng 1. Tổng hợp kết quả",
       "Biểu đồ 1.", "TM. BAN THƯỜNG TRỰC", "Nơi nhận:"},
      "the report");
  EXPECT_FALSE(contains(report, "2026-H1")) << report;
  EXPECT_FALSE(contains(report, "(ninh-binh)")) << report;
  EXPECT_FALSE(contains(report, "8.8")) << report;
  const auto [listed, images] = shell("pdfimages -list '" + (dir_ / "report.pdf").string() + "' | tail -n +3 | wc -l");
  EXPECT_EQ(std::stoi(images), 2) << "the two charts are pictures";
  EXPECT_EQ(pdf_pages("report.pdf"), 3);

  expect_says(pdf_text("supervision.pdf"),
              {"Số: 27/BC-MTTQ-BTT", "BÁO CÁO", "Kết quả giám sát", "I. KHÁI QUÁT CHUNG", "III. KIẾN NGHỊ",
               "1. Chi trả đúng hạn", "Kết quả trả lời: Tiếp thu", "2. Công khai danh sách", "TM. BAN THƯỜNG TRỰC",
               "Nơi nhận:", "- Lưu: VT."},
              "the supervision report");
  EXPECT_EQ(pdf_pages("supervision.pdf"), 1);
  expect_says(
      pdf_text("critique.pdf"),
      {"/PBXH-MTTQ-BTT", "VĂN BẢN PHẢN BIỆN XÃ HỘI", "Kính gửi: UBND; HĐND", "II. Ý KIẾN PHẢN BIỆN VÀ KIẾN NGHỊ",
       "1. Kiến nghị 1", "3. Kiến nghị 3", "Điều 36 Luật Mặt trận Tổ quốc Việt Nam./.", "TM. BAN THƯỜNG TRỰC"},
      "the critique document");
  EXPECT_EQ(pdf_pages("critique.pdf"), 1);
  // The recommendation's three lines stay three lines.
  const std::string text = pdf_text("letter.pdf");
  EXPECT_TRUE(std::regex_search(text, std::regex("1\\. Rà soát danh sách: *\n *- hộ nghèo; *\n *- hộ cận nghèo\\.")))
      << text;
}

TEST_F(DocumentsCli, APdfIsWrittenThroughLibreOfficeAndItsAbsenceIsSaid) {
  ::setenv("DOCKET_SOFFICE", "/nonexistent/soffice", 1);
  const Outcome missing = document("lan", {"supervision", supervision_, "--out", (dir_ / "s.pdf").string()});
  ::unsetenv("DOCKET_SOFFICE");
  EXPECT_EQ(missing.exit_code, 1) << missing;
  EXPECT_TRUE(contains(missing.err, "LibreOffice (/nonexistent/soffice) is not installed, and a PDF needs it"))
      << missing;
  EXPECT_FALSE(fs::exists(dir_ / "s.pdf"));

  if (!installed("soffice")) GTEST_SKIP() << "LibreOffice (soffice) is not installed: scripts/install-deps.sh";
  const Outcome written = document("lan", {"supervision", supervision_, "--out", (dir_ / "s.pdf").string()});
  ASSERT_EQ(written.exit_code, 0) << written;
  EXPECT_TRUE(contains(written.out, "the supervision results report of " + supervision_ + " (PDF, ")) << written;
  EXPECT_EQ(read_file(dir_ / "s.pdf").substr(0, 5), "%PDF-");
  expect_says(pdf_text("s.pdf"), {"Kết quả giám sát", "1. Chi trả đúng hạn"}, "the PDF");
}

TEST_F(DocumentsCli, TheWrongCaseOrAUnitOrCaseTheReaderMayNotSeeIsRefused) {
  const Outcome wrong = document("lan", {"critique", supervision_, "--out", (dir_ / "c.docx").string()});
  EXPECT_EQ(wrong.exit_code, 1) << wrong;
  EXPECT_TRUE(contains(
      wrong.err,
      "(supervision), not a social critique: its document is `docket document supervision " + supervision_ + "`"))
      << wrong;
  const Outcome hidden = document("tu-phap", {"supervision", supervision_, "--out", (dir_ / "c.docx").string()});
  EXPECT_EQ(hidden.exit_code, 1) << hidden;
  EXPECT_EQ(hidden.err, "docket: not_found: unknown case \"" + supervision_ + "\"\n") << hidden;
  const Outcome unit =
      document("hoa", {"report", "--unit", "ninh-binh", "--period", "2026-H1", "--out", (dir_ / "c.docx").string()});
  EXPECT_EQ(unit.exit_code, 1) << unit;
  EXPECT_TRUE(contains(unit.err, "role_not_allowed")) << unit;
  const Outcome period =
      document("lan", {"report", "--unit", "ninh-binh", "--period", "2026-H3", "--out", (dir_ / "c.docx").string()});
  EXPECT_EQ(period.exit_code, 2) << period;
  EXPECT_FALSE(fs::exists(dir_ / "c.docx"));
}

}  // namespace
}  // namespace docket::cli_test
