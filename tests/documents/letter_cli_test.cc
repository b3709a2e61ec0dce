// `docket document letter` end to end: the real docket binary over a real SQLite file writes the
// recommendation letter of a case, LibreOffice (headless, a private profile) opens it and turns
// it into a PDF, and the PDF's text and page count are what a committee expects. Skipped only
// when LibreOffice (soffice) is not installed (scripts/install-deps.sh installs it).
#include "case_fixture.h"
#include "libreoffice.h"

namespace docket::cli_test {
namespace {

class DocumentLetterCli : public CaseCliFixture {
 protected:
  void SetUp() override {
    CaseCliFixture::SetUp();
    ::unsetenv("DOCKET_DOCUMENTS_CONFIG");
    set_up_directory();
    number_ = open_critique();
    ok("lan", {"case", "assign", number_, "lan"});
    write("draft.pdf", "%PDF-1.4 dự thảo");
    write("critique.docx", "văn bản phản biện");
    ok("lan", {"case", "attach", number_, (dir_ / "draft.pdf").string(), "--kind", "draft"});
    ok("lan", {"case", "move", number_, "assign"});
    ok("lan", {"case", "move", number_, "choose_form", "--field", "critique_form=conference"});
    ok("lan", {"case", "move", number_, "hold_meeting", "--field", "event_time=2026-04-10T08:00"});
    ok("lan", {"case", "attach", number_, (dir_ / "critique.docx").string(), "--kind", "critique"});
    ok("lan", {"case", "move", number_, "submit_critique_draft"});
    ok("lan", {"case", "move", number_, "approve"});
    ok("lan", {"case", "recommend", number_, "--to", "tu-phap", "Đề nghị rà soát hộ nghèo ở xã Gia Hưng"});
    ok("lan", {"case", "recommend", number_, "--to", "UBND tỉnh Ninh Bình",
               "Công khai danh sách hộ nghèo tại nhà văn hóa thôn"});
    config_ = DOCKET_SOURCE_DIR "/config/documents.example.json";
  }

  Outcome letter(const std::string& user, const std::string& number, std::vector<std::string> more = {}) {
    std::vector<std::string> args{"document", "letter",    number, "--out", (dir_ / "letter.docx").string(),
                                  "--date",   "2026-12-07"};
    args.insert(args.end(), more.begin(), more.end());
    return as(user, args);
  }

  std::string number_;
  std::string config_;
};

TEST_F(DocumentLetterCli, LibreOfficeOpensTheLetterAndShowsItsLetterheadRecommendationsAndSignature) {
  if (!installed("soffice")) GTEST_SKIP() << "LibreOffice (soffice) is not installed: scripts/install-deps.sh";
  ASSERT_TRUE(installed("pdftotext") && installed("pdfinfo")) << "poppler-utils is missing: scripts/install-deps.sh";
  const Outcome written = letter("lan", number_, {"--documents-config", config_});
  ASSERT_EQ(written.exit_code, 0) << written;
  EXPECT_TRUE(contains(written.out, "letter.docx: the recommendation letter of " + number_ + " (2 recommendation(s)"))
      << written;

  const auto [converted, log] = convert_to_pdf(dir_, "letter.docx");
  ASSERT_EQ(converted, 0) << log;
  ASSERT_TRUE(fs::exists(dir_ / "letter.pdf")) << "LibreOffice wrote no PDF: " << log;

  const auto [text_status, text] = shell("pdftotext -layout '" + (dir_ / "letter.pdf").string() + "' -");
  ASSERT_EQ(text_status, 0);
  for (const char* expected :
       {"ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM", "BAN THƯỜNG TRỰC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc", "/CV-MTTQ-BTT", "Ninh Bình, ngày 07 tháng 12 năm 2026",
        "Kính gửi:", "- Sở Tư pháp;", "1. Đề nghị rà soát hộ nghèo ở xã Gia Hưng",
        "2. Công khai danh sách hộ nghèo tại nhà văn hóa thôn", "TM. BAN THƯỜNG TRỰC", "PHÓ CHỦ TỊCH",
        "Nguyễn Văn Hùng", "Nơi nhận:", "- Lưu: VT."}) {
    EXPECT_TRUE(contains(text, expected)) << "the PDF does not say " << expected << ":\n" << text;
  }
  const auto [info_status, info] = shell("pdfinfo '" + (dir_ / "letter.pdf").string() + "'");
  ASSERT_EQ(info_status, 0);
  EXPECT_TRUE(contains(info, "Pages:           1\n")) << info;
  EXPECT_TRUE(contains(info, "(A4)")) << info;
}

TEST_F(DocumentLetterCli, AReaderWhoMayNotReadTheCaseGetsNoLetter) {
  const Outcome refused = letter("tu-phap", number_, {"--documents-config", config_});
  EXPECT_EQ(refused.exit_code, 1) << refused;
  EXPECT_EQ(refused.err, "docket: not_found: unknown case \"" + number_ + "\"\n") << refused;
  EXPECT_FALSE(fs::exists(dir_ / "letter.docx"));
}

TEST_F(DocumentLetterCli, TheLetterheadFileIsRequiredAndItsMistakesAreNamed) {
  const Outcome without = letter("lan", number_);
  EXPECT_EQ(without.exit_code, 2) << without;
  EXPECT_TRUE(contains(without.err, "--documents-config")) << without;
  const fs::path broken = write("documents.json", R"({"issuing_body": ["BAN THƯỜNG TRỰC"]})");
  const Outcome refused = letter("lan", number_, {"--documents-config", broken.string()});
  EXPECT_EQ(refused.exit_code, 1) << refused;
  EXPECT_TRUE(contains(refused.err, broken.string() + ": $: missing required key \"issuer_in_text\"")) << refused;
  EXPECT_TRUE(contains(refused.err, "; $: missing required key \"signer\"")) << refused;
  EXPECT_FALSE(fs::exists(dir_ / "letter.docx"));
}

TEST_F(DocumentLetterCli, ACaseWithoutRecommendationsHasNoLetter) {
  const std::string other = open_critique("Dự thảo chưa có kiến nghị");
  const Outcome refused = letter("lan", other, {"--documents-config", config_});
  EXPECT_EQ(refused.exit_code, 1) << refused;
  EXPECT_EQ(refused.err, "docket: invalid_argument: case " + other +
                             " has no recommendations to put in a letter (docket case recommend)\n")
      << refused;
}

}  // namespace
}  // namespace docket::cli_test
