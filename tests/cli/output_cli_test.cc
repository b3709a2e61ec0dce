// What the command line prints, through the real binary: the API's JSON objects, dates for
// people in Vietnam time (or UTC), CSV with a BOM where Excel opens it, progress on stderr only
// when asked (a pipe is not a terminal).
#include <rapidjson/document.h>

#include <chrono>
#include <regex>

#include "case_fixture.h"

namespace docket::cli_test {
namespace {

class OutputCli : public CaseCliFixture {
 protected:
  void SetUp() override {
    CaseCliFixture::SetUp();
    set_up_directory();
    number_ = open_critique();
  }
  static rapidjson::Document parsed(const std::string& text) {
    rapidjson::Document document;
    document.Parse(text.data(), text.size());
    return document;
  }
  std::string number_;
};

TEST_F(OutputCli, CaseListJsonGivesTheApiListItemWithItsDeadlineApart) {
  const rapidjson::Document listed = parsed(ok("lan", {"--format", "json", "case", "list"}));
  ASSERT_TRUE(listed.IsArray() && listed.Size() == 1u) << ok("lan", {"--format", "json", "case", "list"});
  const auto& item = listed[0];
  EXPECT_STREQ(item["number"].GetString(), number_.c_str());
  EXPECT_STREQ(item["stage"].GetString(), "received");
  EXPECT_STREQ(item["stage_label"]["en"].GetString(), "Draft received");
  // submission_date 2026-12-31: due the working day before, breached at the end of that day.
  EXPECT_STREQ(item["deadline"]["due"].GetString(), "2026-12-30");
  EXPECT_STREQ(item["deadline"]["due_at"].GetString(), "2026-12-30T17:00:00Z");
  EXPECT_TRUE(item["deadline"]["breached"].IsBool());
  EXPECT_FALSE(item.HasMember("documents"));  // a list item, as GET /api/v1/cases gives it

  const rapidjson::Document shown = parsed(ok("lan", {"--format", "json", "case", "show", number_}));
  EXPECT_STREQ(shown["deadline"]["due"].GetString(), "2026-12-30");
  EXPECT_TRUE(shown["documents"].IsArray());
}

TEST_F(OutputCli, TextShowsVietnamTimeUnlessUtcIsAsked) {
  const std::string listed = ok("lan", {"case", "list"});
  EXPECT_TRUE(std::regex_search(listed, std::regex("  30/12/2026  .*[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}  ")))
      << listed;
  const std::string in_utc = ok("lan", {"--utc", "case", "list"});
  EXPECT_TRUE(std::regex_search(in_utc, std::regex("  2026-12-30  .*T[0-9:]{8}Z  "))) << in_utc;
  const std::string shown = ok("lan", {"case", "show", number_});
  EXPECT_TRUE(std::regex_search(shown, std::regex("\ndue +30/12/2026 \\("))) << shown;
  // A date field (received_date=2026-03-02) as people read it.
  EXPECT_TRUE(std::regex_search(shown, std::regex("\nreceived_date +Ngày nhận dự thảo +02/03/2026\n"))) << shown;
}

TEST_F(OutputCli, CsvHasABomWhenAskedAndTitlesForPeople) {
  const std::string plain = ok("lan", {"--format", "csv", "case", "list"});
  EXPECT_TRUE(plain.starts_with("number,workflow,stage,due,overdue,")) << plain;
  const std::string for_excel = ok("lan", {"--format", "csv", "--bom", "--headers", "vi", "case", "list"});
  EXPECT_TRUE(for_excel.starts_with("\xEF\xBB\xBFSố hồ sơ,Quy trình,Bước,Hạn,Quá hạn,")) << for_excel;
  const std::string english = ok("lan", {"--format", "csv", "--headers", "en", "case", "list"});
  EXPECT_TRUE(english.starts_with("Case number,Workflow,Stage,Due,Overdue,")) << english;
}

TEST_F(OutputCli, ReportCsvStartsWithABomUnlessNoBom) {
  const std::string year = std::to_string(static_cast<int>(
      std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())).year()));
  const std::string csv = ok("", {"report", "--period", year, "--unit", "ninh-binh", "--format", "csv"});
  EXPECT_TRUE(
      csv.starts_with("\xEF\xBB\xBF"
                      "period,as_of,unit,"))
      << csv;
  const std::string bare = ok("", {"--no-bom", "report", "--period", year, "--unit", "ninh-binh", "--format", "csv"});
  EXPECT_TRUE(bare.starts_with("period,as_of,unit,")) << bare;
}

TEST_F(OutputCli, ProgressGoesToStderrOnlyWhenAskedOrOnATerminal) {
  const Outcome piped = docket({"audit", "verify"});
  EXPECT_EQ(piped.exit_code, 0) << piped;
  EXPECT_EQ(piped.err, "");  // stderr is a file here: no progress
  const Outcome asked = docket({"--progress", "audit", "verify"});
  EXPECT_EQ(asked.out, piped.out);  // stdout keeps the result only
  EXPECT_TRUE(contains(asked.err, "audit verify: recomputing the case hash chains")) << asked;
  EXPECT_TRUE(asked.err.ends_with("\r\x1b[K")) << asked;  // the status line is cleared at the end

  const Outcome exported = docket({"--progress", "audit", "export"});
  EXPECT_TRUE(contains(exported.err, "audit export: 1 events")) << exported;
  EXPECT_EQ(exported.out, docket({"audit", "export"}).out);
}

}  // namespace
}  // namespace docket::cli_test
