// docket report, run as the real binary over the seeded dataset (tests/reports/report_dataset.h,
// hand counts in tests/reports/reports_test.cc), written into the CLI's database in-process.
#include <rapidjson/document.h>

#include <iterator>

#include "case_fixture.h"
#include "report_dataset.h"
#include "store/database.h"

namespace docket::cli_test {
namespace {

// The 2026-H1 total for ninh-binh and gia-hung as of 2026-07-15 (cases A, B, C, D): opened 3,
// closed 2, in progress 2, stages on time 3+4+2+2 = 11, late 2, overdue 1, recommendations
// 7, answered 4 (accepted 2, partly 1, not 1), unanswered 3, escalated 2, 35 days / 4 = 8.8.
constexpr const char* kTotalCells = "3,2,2,11,2,1,7,4,2,1,1,3,2,0,1,0,8.8";

class ReportCliTest : public CaseCliFixture {
 protected:
  void SetUp() override {
    CaseCliFixture::SetUp();
    set_up_directory();
    auto db = Database::open({db_, false, 5000, true});
    ASSERT_TRUE(db.ok()) << db.error().message;
    report_testing::ReportDataset dataset(**db, "ninh-binh", "gia-hung");
    dataset.seed_all();
  }
  Outcome report(std::vector<std::string> extra) {
    std::vector<std::string> args{"report", "--period", "2026-H1", "--unit", "ninh-binh", "--as-of", "2026-07-15"};
    args.insert(args.end(), extra.begin(), extra.end());
    return docket(args);
  }
};

TEST_F(ReportCliTest, EveryFormatGivesTheHandCountedTotal) {
  const Outcome csv = report({"--rollup", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv;
  EXPECT_TRUE(contains(csv.out, std::string("2026-H1,2026-07-15,ninh-binh,total,*,*,") + kTotalCells + "\n")) << csv;
  EXPECT_TRUE(contains(
      csv.out, "2026-H1,2026-07-15,gia-hung,own,supervision,document_review,1,0,1,2,1,0,2,1,1,0,0,1,0,0,0,0,10.0\n"));

  const Outcome json = report({"--rollup", "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json;
  rapidjson::Document parsed;
  parsed.Parse(json.out.c_str());
  ASSERT_FALSE(parsed.HasParseError()) << json;
  const auto& total = parsed["rows"][parsed["rows"].Size() - 1];
  EXPECT_STREQ(total["scope"].GetString(), "total");
  EXPECT_EQ(total["opened"].GetInt(), 3);
  EXPECT_EQ(total["stages_on_time"].GetInt(), 11);
  EXPECT_EQ(total["escalated"].GetInt(), 2);
  EXPECT_DOUBLE_EQ(total["average_days_to_answer"].GetDouble(), 8.8);

  const Outcome table = report({"--rollup"});
  ASSERT_EQ(table.exit_code, 0) << table;
  EXPECT_TRUE(contains(table.out, "period 2026-H1 (01/01/2026..30/06/2026), as of 2026-07-15")) << table;
  const std::string last_line = table.out.substr(table.out.rfind('\n', table.out.size() - 2) + 1);
  std::istringstream words(last_line);
  std::vector<std::string> cells{std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()};
  EXPECT_EQ(cells, (std::vector<std::string>{"ninh-binh", "total", "*", "*", "3", "2", "2", "11", "2", "1",  "7",
                                             "4",         "2",     "1", "1", "3", "2", "0", "1",  "0", "8.8"}))
      << table;

  const Outcome html = report({"--rollup", "--format", "html"});
  ASSERT_EQ(html.exit_code, 0) << html;
  EXPECT_TRUE(contains(html.out, "<svg"));
  EXPECT_TRUE(contains(html.out, "<td class=\"n\">11</td>"));
  EXPECT_TRUE(contains(html.out, "<title>Chưa trả lời: 3</title>"));

  // Without --rollup: ninh-binh's own cases A and B only (opened 1, ..., 25 days / 3 = 8.3).
  const Outcome own = report({"--format", "csv"});
  EXPECT_TRUE(contains(own.out, "2026-H1,2026-07-15,ninh-binh,own,*,*,1,1,1,7,1,1,5,3,1,1,1,2,2,0,1,0,8.3\n")) << own;
  EXPECT_FALSE(contains(own.out, "gia-hung"));
}

// A file from before the report facts (schema 13: no report_facts table) is refused until
// `docket migrate` fills the facts from the histories; the report is then the hand-counted one.
TEST_F(ReportCliTest, AFileFromBeforeTheReportFactsReportsTheSameAfterDocketMigrate) {
  const Outcome before = report({"--rollup", "--format", "json"});
  ASSERT_EQ(before.exit_code, 0) << before;
  {
    SQLite::Database db(db_, SQLite::OPEN_READWRITE);
    db.exec("DROP TABLE report_facts; PRAGMA user_version = 13");
  }
  const Outcome refused = report({"--rollup", "--format", "json"});
  EXPECT_EQ(refused.exit_code, 1) << refused;
  EXPECT_TRUE(contains(refused.err, "needs_migration")) << refused;
  const Outcome migrate = docket({"migrate"});
  ASSERT_EQ(migrate.exit_code, 0) << migrate;
  const Outcome after = report({"--rollup", "--format", "json"});
  ASSERT_EQ(after.exit_code, 0) << after;
  EXPECT_EQ(after.out, before.out);
  const Outcome csv = report({"--rollup", "--format", "csv"});
  EXPECT_TRUE(contains(csv.out, std::string("2026-H1,2026-07-15,ninh-binh,total,*,*,") + kTotalCells + "\n")) << csv;
}

TEST_F(ReportCliTest, WrongInputSaysWhatIsWrong) {
  const Outcome half = docket({"report", "--period", "2026-H3", "--unit", "ninh-binh"});
  EXPECT_EQ(half.exit_code, 2) << half;
  EXPECT_TRUE(contains(half.err, "\"2026-H3\"")) << half;
  const Outcome backwards = docket({"report", "--period", "2026-06-30..2026-01-01", "--unit", "ninh-binh"});
  EXPECT_EQ(backwards.exit_code, 2) << backwards;
  EXPECT_TRUE(contains(backwards.err, "FROM 2026-06-30 is after TO 2026-01-01")) << backwards;
  const Outcome unit = docket({"report", "--period", "2026", "--unit", "ha-noi"});
  EXPECT_EQ(unit.exit_code, 1) << unit;
  EXPECT_TRUE(contains(unit.err, "docket: not_found: unknown unit \"ha-noi\"")) << unit;
  const Outcome future = docket({"report", "--period", "2026", "--unit", "ninh-binh", "--as-of", "2999-01-01"});
  EXPECT_EQ(future.exit_code, 1) << future;
  EXPECT_TRUE(contains(future.err, "in the future")) << future;
  const Outcome malformed = docket({"report", "--period", "2026", "--unit", "ninh-binh", "--as-of", "15/07/2026"});
  EXPECT_EQ(malformed.exit_code, 2) << malformed;
  EXPECT_TRUE(contains(malformed.err, "\"15/07/2026\"")) << malformed;
  // With --as, the user's read rights apply: the supervised body at gia-hung cannot read ninh-binh.
  const Outcome outsider = as("ubnd-xa", {"report", "--period", "2026", "--unit", "ninh-binh"});
  EXPECT_EQ(outsider.exit_code, 1) << outsider;
  EXPECT_TRUE(contains(outsider.err, "role_not_allowed")) << outsider;
}

}  // namespace
}  // namespace docket::cli_test
