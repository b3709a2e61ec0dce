// The outgoing register end to end: `docket document letter|supervision|critique|report --issue`
// over a real SQLite file takes the next number of the unit's register, prints it on the
// document and keeps it with the case in one transaction; `docket register list` shows what was issued. Numbers are
// gap-free and never shared, also between processes issuing at once.
#include <set>

#include "case_fixture.h"
#include "docx_test_support.h"

namespace docket::cli_test {
namespace {

using documents_test::paragraphs;
using documents_test::part;

class RegisterCli : public CaseCliFixture {
 protected:
  void SetUp() override {
    CaseCliFixture::SetUp();
    ::unsetenv("DOCKET_DOCUMENTS_CONFIG");
    set_up_directory();
    config_ = DOCKET_SOURCE_DIR "/config/documents.example.json";
    first_ = case_with_recommendation("Dự thảo Kế hoạch giảm nghèo bền vững 2026-2030");
  }

  std::string case_with_recommendation(const std::string& title) {
    const std::string number = open_critique(title);
    ok("lan", {"case", "recommend", number, "--to", "tu-phap", "Đề nghị rà soát hộ nghèo ở xã Gia Hưng"});
    return number;
  }

  std::vector<std::string> issue_args(const std::string& number, const std::string& file) {
    return {"document", "letter", number, "--out", (dir_ / file).string(), "--documents-config", config_, "--issue"};
  }
  Outcome issue(const std::string& user, const std::string& number, const std::string& file = "letter.docx") {
    return as(user, issue_args(number, file));
  }

  // The "Số: ..." line of the letter in `file`.
  std::string number_line(const std::string& file) {
    for (const std::string& text : paragraphs(part(read_file(dir_ / file), "word/document.xml")))
      if (text.rfind("Số:", 0) == 0) return text;
    return "";
  }

  // The register's numbers, as `register list --format json` prints them.
  std::vector<std::string> listed(const std::string& user = "") {
    std::vector<std::string> args{"--format", "csv", "register", "list"};
    const std::string out = ok(user, args);
    std::vector<std::string> references;
    std::size_t at = out.find('\n');  // past the heading
    while (at != std::string::npos && at + 1 < out.size()) {
      const std::size_t end = out.find('\n', at + 1);
      const std::string line = out.substr(at + 1, end - at - 1);
      // unit,register,year,number,reference,...
      std::size_t comma = 0;
      for (int i = 0; i < 4; ++i) comma = line.find(',', comma) + 1;
      references.push_back(line.substr(comma, line.find(',', comma) - comma));
      at = end;
    }
    return references;
  }

  static std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

  std::string config_;
  std::string first_;
};

TEST_F(RegisterCli, IssuingTheLetterPrintsTheNextNumberAndKeepsTheLetterWithTheCase) {
  const Outcome issued = issue("lan", first_);
  ASSERT_EQ(issued.exit_code, 0) << issued;
  EXPECT_TRUE(contains(issued.out, "issued 1/CV-MTTQ-BTT: the recommendation letter of " + first_)) << issued;
  EXPECT_EQ(number_line("letter.docx"), "Số: 1/CV-MTTQ-BTT");

  // The next letter of the unit, from another case, takes the next number.
  const std::string second = case_with_recommendation("Dự thảo Đề án chuyển đổi số");
  ASSERT_EQ(issue("lan", second, "second.docx").exit_code, 0);
  EXPECT_EQ(number_line("second.docx"), "Số: 2/CV-MTTQ-BTT");
  EXPECT_EQ(listed(), (std::vector<std::string>{"1/CV-MTTQ-BTT", "2/CV-MTTQ-BTT"}));

  // The case keeps the issued file and its history says who issued which number.
  const std::string history = ok("lan", {"case", "history", first_});
  EXPECT_TRUE(contains(history, "document.issued")) << history;
  EXPECT_TRUE(contains(history, "1/CV-MTTQ-BTT Kiến nghị về Dự thảo Kế hoạch giảm nghèo bền vững 2026-2030"))
      << history;
  const std::string shown = ok("lan", {"--format", "json", "case", "show", first_});
  EXPECT_TRUE(contains(shown, "\"reference\":\"1/CV-MTTQ-BTT\"")) << shown;
  // The rows still agree with the history they were written from.
  const Outcome verified = docket({"audit", "verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified;
}

TEST_F(RegisterCli, ARefusedIssueTakesNoNumber) {
  // minh may read the province's cases but not issue its documents.
  const Outcome refused = issue("minh", first_);
  EXPECT_EQ(refused.exit_code, 1) << refused;
  EXPECT_TRUE(contains(refused.err, "issue documents")) << refused;
  EXPECT_FALSE(fs::exists(dir_ / "letter.docx"));
  const Outcome unknown = issue("tu-phap", "PB-2026-9999");
  EXPECT_EQ(unknown.exit_code, 1) << unknown;
  EXPECT_TRUE(listed().empty());

  ASSERT_EQ(issue("lan", first_).exit_code, 0);
  EXPECT_EQ(listed(), std::vector<std::string>{"1/CV-MTTQ-BTT"});
  // A reader who may not read the case does not see its line.
  EXPECT_TRUE(listed("tu-phap").empty());
}

TEST_F(RegisterCli, IssuersAtTheSameTimeNeverShareANumberAndLeaveNoGap) {
  constexpr int kIssuers = 6;
  std::vector<Running> running;
  for (int i = 0; i < kIssuers; ++i) {
    std::vector<std::string> args{"--as", "lan"};
    for (std::string& word : issue_args(first_, "letter-" + std::to_string(i) + ".docx")) args.push_back(word);
    running.push_back(start(args, "issuer-" + std::to_string(i)));
  }
  std::set<std::string> printed;
  for (int i = 0; i < kIssuers; ++i) {
    const Outcome done = finish(running[static_cast<std::size_t>(i)]);
    ASSERT_EQ(done.exit_code, 0) << done;
    printed.insert(number_line("letter-" + std::to_string(i) + ".docx"));
  }
  std::set<std::string> expected;
  for (int n = 1; n <= kIssuers; ++n) expected.insert("Số: " + std::to_string(n) + "/CV-MTTQ-BTT");
  EXPECT_EQ(printed, expected);
  EXPECT_EQ(listed().size(), static_cast<std::size_t>(kIssuers));
}

TEST_F(RegisterCli, AnIssuedLetterIsDatedTheDayItIsIssued) {
  const Outcome refused = as("lan", {"document", "letter", first_, "--out", (dir_ / "letter.docx").string(),
                                     "--documents-config", config_, "--issue", "--date", "2026-01-01"});
  EXPECT_EQ(refused.exit_code, 2) << refused;
  EXPECT_TRUE(contains(refused.err, "leave out --date")) << refused;
}

// Each document a case gives is numbered in the register of its kind: the critique document
// (PBXH) and the supervision results report (BC) of their cases, and the six-monthly report of a
// periodic-report case in the same BC register. Each is kept with its case under the kind of
// document its workflow asks for, so the transition that needs it can then be taken.
TEST_F(RegisterCli, EachDocumentOfACaseTakesTheNextNumberOfItsRegister) {
  const Outcome critique = as("lan", {"document", "critique", first_, "--out", (dir_ / "pbxh.docx").string(),
                                      "--documents-config", config_, "--issue"});
  ASSERT_EQ(critique.exit_code, 0) << critique;
  EXPECT_TRUE(contains(critique.out, "issued 1/PBXH-MTTQ-BTT: the critique document of " + first_)) << critique;
  EXPECT_EQ(number_line("pbxh.docx"), "Số: 1/PBXH-MTTQ-BTT");
  const std::string shown = ok("lan", {"--format", "json", "case", "show", first_});
  EXPECT_TRUE(contains(shown, "\"kind\":\"critique\"")) << shown;

  const std::string supervision = first_line(
      ok("lan", {"case", "open", "supervision", "--unit", "ninh-binh", "--title", "Giám sát bình xét hộ nghèo",
                 "--field", "subject=Bình xét hộ nghèo năm 2026", "--field", "supervised_body=ubnd-xa"}));
  const Outcome results = as("lan", {"document", "supervision", supervision, "--out", (dir_ / "gs.docx").string(),
                                     "--documents-config", config_, "--issue"});
  ASSERT_EQ(results.exit_code, 0) << results;
  EXPECT_EQ(number_line("gs.docx"), "Số: 1/BC-MTTQ-BTT");
  EXPECT_TRUE(contains(ok("lan", {"--format", "json", "case", "show", supervision}), "\"kind\":\"results_report\""));

  const std::string periodic =
      first_line(ok("lan", {"case", "open", "periodic-report", "--unit", "ninh-binh", "--title",
                            "Báo cáo sơ kết 6 tháng đầu năm 2026", "--field", "period=h1", "--field", "year=2026",
                            "--field", "period_end=2026-06-30"}));
  const Outcome report = as("lan", {"document", "report", "--case", periodic, "--out", (dir_ / "bc.docx").string(),
                                    "--documents-config", config_, "--issue"});
  ASSERT_EQ(report.exit_code, 0) << report;
  EXPECT_TRUE(contains(report.out, "issued 2/BC-MTTQ-BTT: the report of " + periodic)) << report;
  EXPECT_EQ(number_line("bc.docx"), "Số: 2/BC-MTTQ-BTT");
  std::string text;
  for (const std::string& line : paragraphs(part(read_file(dir_ / "bc.docx"), "word/document.xml")))
    text += line + "\n";
  EXPECT_TRUE(contains(text, "6 tháng đầu năm 2026")) << text;

  EXPECT_EQ(listed(), (std::vector<std::string>{"1/BC-MTTQ-BTT", "2/BC-MTTQ-BTT", "1/PBXH-MTTQ-BTT"}));
  const Outcome verified = docket({"audit", "verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified;
}

// A periodic report is issued by the reporting unit's standing board (the workflow's "issue"
// permission), from its case; a reporting officer may still make the draft.
TEST_F(RegisterCli, OnlyTheStandingBoardIssuesAPeriodicReport) {
  ok("", {"user", "add", "nam", "--name", "Phạm Văn Nam", "--unit", "ninh-binh", "--role", "officer"});
  const std::string periodic = first_line(
      ok("nam", {"case", "open", "periodic-report", "--unit", "ninh-binh", "--title", "Báo cáo tổng kết năm 2026",
                 "--field", "period=year", "--field", "year=2026", "--field", "period_end=2026-12-31"}));
  const std::vector<std::string> args{
      "document", "report", "--case", periodic, "--out", (dir_ / "bc.docx").string(), "--documents-config", config_};
  std::vector<std::string> issuing = args;
  issuing.push_back("--issue");
  const Outcome refused = as("nam", issuing);
  EXPECT_EQ(refused.exit_code, 1) << refused;
  EXPECT_TRUE(contains(refused.err, "issue documents")) << refused;
  EXPECT_FALSE(fs::exists(dir_ / "bc.docx"));
  EXPECT_TRUE(listed().empty());

  const Outcome draft = as("nam", args);
  ASSERT_EQ(draft.exit_code, 0) << draft;
  // The draft leaves the number blank for the register to fill.
  const std::string line = number_line("bc.docx");
  EXPECT_TRUE(contains(line, "/BC-MTTQ-BTT")) << line;
  EXPECT_EQ(line.find_first_of("0123456789"), std::string::npos) << line;

  // Without a case there is nothing to keep the issued report with.
  const Outcome without_case = as("lan", {"document", "report", "--unit", "ninh-binh", "--period", "2026", "--out",
                                          (dir_ / "r.docx").string(), "--documents-config", config_, "--issue"});
  EXPECT_EQ(without_case.exit_code, 2) << without_case;
  EXPECT_TRUE(contains(without_case.err, "give --case")) << without_case;
  // A case that is not a periodic report names the command that makes any unit's report.
  const Outcome not_periodic = as("lan", {"document", "report", "--case", first_, "--out", (dir_ / "r.docx").string(),
                                          "--documents-config", config_});
  EXPECT_EQ(not_periodic.exit_code, 1) << not_periodic;
  EXPECT_TRUE(contains(not_periodic.err, "is not a periodic report")) << not_periodic;
}

}  // namespace
}  // namespace docket::cli_test
