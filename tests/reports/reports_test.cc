// The reports against the seeded dataset (report_dataset.h): every figure below was counted by
// hand from the dataset's timeline; the comments say how.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>

#include "report_dataset.h"
#include "reports/render.h"
#include "reports/report_reader.h"
#include "store_fixture.h"

namespace docket::reports {
namespace {

using report_testing::at;

// Hand counts per case for 2026-H1 as of 2026-07-15 (A, B at ninh-binh; C, D at gia-vien;
// E closed in 2025 and F opened in August are outside H1). A stage counts as finished only when
// a due date was recorded for it: a stage entered and left by one command (as "assigned" by
// assign + choose_form, or "drafted" by submit_critique_draft + approve) has none.
//   A  written consultation, opened 2025: closed 2026-04-15 -> closed 1. Stages left in H1:
//      in_progress, approved (03-02), awaiting_answer (03-10, due 03-23) on time = 3;
//      answered (left 04-15, due 03-24) late = 1. Recs made 03-02: 2, both answered 03-10:
//      1 accepted, 1 partly; 8 + 8 = 16 days.
const Figures kA{.closed = 1,
                 .stages_on_time = 3,
                 .stages_late = 1,
                 .recommendations_made = 2,
                 .answered = 2,
                 .accepted = 1,
                 .partly_accepted = 1,
                 .answer_days = 16};
//   B  conference, opened 2026-01-12, still awaiting answers -> opened 1, in progress 1; the
//      conference held (hold_meeting, 01-12): conferences held 1.
//      Stages received, form_chosen (01-12) and in_progress, approved (04-01), all due
//      2026-12-30: on time 4. Answer due 04-21, passed: overdue 1. Recs made 04-01: 3;
//      rec 1 not accepted 04-10 (9 days); recs 2, 3 unanswered and escalated at the breach.
const Figures kB{.opened = 1,
                 .in_progress = 1,
                 .stages_on_time = 4,
                 .overdue_now = 1,
                 .recommendations_made = 3,
                 .answered = 1,
                 .not_accepted = 1,
                 .unanswered = 2,
                 .escalated = 2,
                 .answer_days = 9,
                 .conferences_held = 1};
//   C  document review at gia-vien, opened 2026-02-02, in follow-up -> opened 1, in progress 1.
//      proposed left 02-02 on time, document_review left 06-08 after its due date 05-29: late,
//      concluding left 06-15 (due 06-23) on time: on time 2, late 1. Follow-up is due 07-15,
//      breached from 2026-07-16 00:00 in Vietnam: not overdue as of 07-15. Recs made 06-15: 2;
//      rec 1 accepted 06-25 (10 days); rec 2 unanswered.
const Figures kC{.opened = 1,
                 .in_progress = 1,
                 .stages_on_time = 2,
                 .stages_late = 1,
                 .recommendations_made = 2,
                 .answered = 1,
                 .accepted = 1,
                 .unanswered = 1,
                 .answer_days = 10};
//   D  dialogue at gia-vien, opened 2026-03-16, withdrawn 2026-05-04 -> opened 1, closed 1.
//      received (03-16) and form_chosen (05-04), due 2026-09-29: on time 2.
const Figures kD{.opened = 1, .closed = 1, .stages_on_time = 2};

// As of 2026-12-01 B and C have moved on:
//   B  rec 2 accepted 2026-08-05: 126 days after 04-01 (30 + 31 + 30 + 31 + 4); 9 + 126 = 135.
const Figures kBInDecember{.opened = 1,
                           .in_progress = 1,
                           .stages_on_time = 4,
                           .overdue_now = 1,
                           .recommendations_made = 3,
                           .answered = 2,
                           .accepted = 1,
                           .not_accepted = 1,
                           .unanswered = 1,
                           .escalated = 2,
                           .answer_days = 135,
                           .conferences_held = 1};
//   C  follow-up breached (07-16): overdue 1; rec 2 marked unanswered and escalated.
const Figures kCInDecember{.opened = 1,
                           .in_progress = 1,
                           .stages_on_time = 2,
                           .stages_late = 1,
                           .overdue_now = 1,
                           .recommendations_made = 2,
                           .answered = 1,
                           .accepted = 1,
                           .unanswered = 1,
                           .escalated = 1,
                           .answer_days = 10};

Figures sum(std::initializer_list<Figures> parts) {
  Figures total;
  for (const Figures& part : parts) total += part;
  return total;
}

class ReportsTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(CalendarRegistry(*db_, clock_)
                    .install_directory(std::filesystem::path(DOCKET_WORKFLOWS_DIR) / "calendars")
                    .ok());
    dataset_ = std::make_unique<report_testing::ReportDataset>(*db_, "ninh-binh", "gia-vien");
  }

  Report report(const std::string& period, const std::string& as_of, bool rollup,
                const std::string& unit = "ninh-binh") {
    ReportRequest request{parse_period(period).value(), parse_as_of(as_of, dataset_->clock().now()).value(), unit,
                          rollup};
    Directory directory(*db_, clock_);
    auto built = read_report(dataset_->store(), directory, dataset_->catalog(), request);
    EXPECT_TRUE(built.ok()) << built.error().message;
    return built.ok() ? built.value() : Report{};
  }

  static const ReportRow* row(const Report& report, const std::string& unit, bool total, const std::string& workflow,
                              const std::string& form) {
    for (const ReportRow& candidate : report.rows) {
      if (candidate.unit == unit && candidate.total == total && candidate.workflow == workflow &&
          candidate.form == form) {
        return &candidate;
      }
    }
    ADD_FAILURE() << "no row " << unit << (total ? " (total) " : " ") << workflow << " " << form;
    static const ReportRow none;
    return &none;
  }

  std::unique_ptr<report_testing::ReportDataset> dataset_;
};

TEST(PeriodTest, HalvesYearsAndRanges) {
  const auto h1 = parse_period("2026-H1").value();
  EXPECT_EQ(format_date(h1.from), "2026-01-01");
  EXPECT_EQ(format_date(h1.to), "2026-06-30");
  const auto h2 = parse_period("2026-H2").value();
  EXPECT_EQ(format_date(h2.from), "2026-07-01");
  EXPECT_EQ(format_date(h2.to), "2026-12-31");
  const auto year = parse_period("2026").value();
  EXPECT_EQ(format_date(year.to), "2026-12-31");
  const auto range = parse_period("2026-02-01..2026-02-28").value();
  EXPECT_EQ(format_date(range.from), "2026-02-01");
  EXPECT_EQ(format_date(range.to), "2026-02-28");
}

TEST(PeriodTest, WrongPeriodsSayWhatIsWrong) {
  EXPECT_NE(parse_period("2026-H3").error().message.find("H1 or H2"), std::string::npos);
  EXPECT_NE(parse_period("2026-06-30..2026-01-01").error().message.find("FROM 2026-06-30 is after TO 2026-01-01"),
            std::string::npos);
  EXPECT_NE(parse_period("2026-02-30..2026-03-01").error().message.find("\"2026-02-30\" is not a date"),
            std::string::npos);
  EXPECT_FALSE(parse_period("").ok());
  EXPECT_FALSE(parse_period("H1-2026").ok());
}

TEST(PeriodTest, AsOfIsADayOrAMomentNotInTheFuture) {
  const Timestamp now = at("2026-07-15T02:00:00Z");                               // 09:00 in Vietnam
  EXPECT_EQ(parse_as_of("2026-07-14", now)->cutoff, at("2026-07-14T16:59:59Z"));  // the end of the day in Vietnam
  EXPECT_EQ(parse_as_of("2026-07-15", now)->cutoff, now);                         // today: up to now
  EXPECT_EQ(parse_as_of("", now)->cutoff, now);
  EXPECT_NE(parse_as_of("2026-07-16", now).error().message.find("in the future"), std::string::npos);
  EXPECT_NE(parse_as_of("15/07/2026", now).error().message.find("is not a date"), std::string::npos);
  const AsOf june = parse_as_of("2026-06-01", now).value();
  EXPECT_FALSE(check_period_started(parse_period("2026-H2").value(), june).ok());
  EXPECT_TRUE(check_period_started(parse_period("2026-H1").value(), june).ok());
}

TEST_F(ReportsTest, HalfYearOfOneUnitCountsItsOwnCases) {
  dataset_->seed_all();
  const Report h1 = report("2026-H1", "2026-07-15", false);
  // ninh-binh's own cases: A and B (critiques); C and D belong to gia-vien.
  EXPECT_EQ(row(h1, "ninh-binh", false, "social-critique", "conference")->figures, kB);
  EXPECT_EQ(row(h1, "ninh-binh", false, "social-critique", "written_consultation")->figures, kA);
  // A + B: opened 0+1, closed 1+0, in progress 0+1, on time 3+4, late 1+0, overdue 0+1, recs 2+3,
  // answered 2+1 (accepted 1, partly 1, not 1), unanswered 0+2, escalated 0+2, 16+9 = 25 days.
  const Figures a_and_b{.opened = 1,
                        .closed = 1,
                        .in_progress = 1,
                        .stages_on_time = 7,
                        .stages_late = 1,
                        .overdue_now = 1,
                        .recommendations_made = 5,
                        .answered = 3,
                        .accepted = 1,
                        .partly_accepted = 1,
                        .not_accepted = 1,
                        .unanswered = 2,
                        .escalated = 2,
                        .answer_days = 25,
                        .conferences_held = 1};
  EXPECT_EQ(row(h1, "ninh-binh", false, "social-critique", kAll)->figures, a_and_b);
  EXPECT_EQ(row(h1, "ninh-binh", false, kAll, kAll)->figures, a_and_b);
  EXPECT_EQ(a_and_b.average_days_to_answer(), 8.3);  // 25 / 3
  // Rows: conference, written consultation, all forms of social-critique, all workflows.
  EXPECT_EQ(h1.rows.size(), 4u);
}

TEST_F(ReportsTest, RollupGivesEachUnitItsRowsAndATotalCountingEachCaseOnce) {
  dataset_->seed_all();
  const Report h1 = report("2026-H1", "2026-07-15", true);
  EXPECT_EQ(row(h1, "gia-vien", false, "supervision", "document_review")->figures, kC);
  EXPECT_EQ(row(h1, "gia-vien", false, "social-critique", "dialogue")->figures, kD);
  EXPECT_EQ(row(h1, "gia-vien", false, kAll, kAll)->figures, sum({kC, kD}));
  EXPECT_EQ(row(h1, "ninh-binh", false, kAll, kAll)->figures, sum({kA, kB}));
  EXPECT_EQ(row(h1, "ninh-binh", true, "social-critique", kAll)->figures, sum({kA, kB, kD}));
  EXPECT_EQ(row(h1, "ninh-binh", true, "supervision", kAll)->figures, kC);
  // A + B + C + D: opened 3, closed 2, in progress 2, on time 3+4+2+2 = 11, late 2, overdue 1,
  // recs 2+3+2 = 7, answered 2+1+1 = 4 (accepted 2, partly 1, not 1), unanswered 3,
  // escalated 2, 16+9+10 = 35 days: 8.75, shown 8.8.
  const Figures total{.opened = 3,
                      .closed = 2,
                      .in_progress = 2,
                      .stages_on_time = 11,
                      .stages_late = 2,
                      .overdue_now = 1,
                      .recommendations_made = 7,
                      .answered = 4,
                      .accepted = 2,
                      .partly_accepted = 1,
                      .not_accepted = 1,
                      .unanswered = 3,
                      .escalated = 2,
                      .answer_days = 35,
                      .conferences_held = 1};
  EXPECT_EQ(row(h1, "ninh-binh", true, kAll, kAll)->figures, total);
  EXPECT_EQ(format_average(total.average_days_to_answer()), "8.8");
  EXPECT_EQ(h1.headline().back()->figures, total);
}

TEST_F(ReportsTest, LaterAsOfSeesLaterAnswersAndBreaches) {
  dataset_->seed_all();
  const Report december = report("2026-H1", "2026-12-01", true);
  EXPECT_EQ(row(december, "ninh-binh", false, "social-critique", "conference")->figures, kBInDecember);
  EXPECT_EQ(row(december, "gia-vien", false, "supervision", "document_review")->figures, kCInDecember);
  // overdue B and C: 2; answered 5 (accepted 3); unanswered B3, C2: 2; escalated 2+1 = 3;
  // 16 + 135 + 10 = 161 days over 5 answers: 32.2.
  const Figures total = row(december, "ninh-binh", true, kAll, kAll)->figures;
  EXPECT_EQ(total, sum({kA, kBInDecember, kCInDecember, kD}));
  EXPECT_EQ(total.overdue_now, 2);
  EXPECT_EQ(total.answered, 5);
  EXPECT_EQ(total.escalated, 3);
  EXPECT_EQ(format_average(total.average_days_to_answer()), "32.2");
}

TEST_F(ReportsTest, AsOfReproducesTheReportPrintedThen) {
  dataset_->seed_until(at("2026-07-15T16:59:59Z"));  // the last second of 15 July in Vietnam
  const std::string printed_in_july = render_json(report("2026-H1", "2026-07-15", true));
  dataset_->seed_all();
  const std::string reprinted_in_december = render_json(report("2026-H1", "2026-07-15", true));
  EXPECT_EQ(reprinted_in_december, printed_in_july);
  EXPECT_NE(render_json(report("2026-H1", "2026-12-01", true)), printed_in_july);
}

TEST_F(ReportsTest, AReportAsOfADayKeepsThatDaysTreeAfterUnitsMergeAndAreRenamed) {
  dataset_->seed_all();  // the dataset's clock stands at 1 December 2026
  Directory directory(*db_, dataset_->clock());
  ASSERT_TRUE(directory.add_unit({"gia-tan", "Ủy ban MTTQ Việt Nam xã Gia Tân", "commune", "ninh-binh"}).ok());
  const std::string printed_in_july = render_json(report("2026-H1", "2026-07-15", true));
  ASSERT_TRUE(directory.merge_unit("gia-vien", "gia-tan", *parse_date("2026-08-01")).ok());
  ASSERT_TRUE(
      directory.rename_unit("ninh-binh", "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình (mới)", *parse_date("2026-08-01")).ok());
  // As of 15 July the tree had not changed: the same report, number for number, name for name.
  EXPECT_EQ(render_json(report("2026-H1", "2026-07-15", true)), printed_in_july);
  // As of 1 December gia-vien's cases (C and D) count under gia-tan; the province has its new name.
  const Report december = report("2026-H1", "2026-12-01", true);
  EXPECT_EQ(december.unit_name, "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình (mới)");
  EXPECT_EQ(row(december, "gia-tan", false, kAll, kAll)->figures, sum({kCInDecember, kD}));
  EXPECT_TRUE(std::none_of(december.rows.begin(), december.rows.end(),
                           [](const ReportRow& r) { return r.unit == "gia-vien"; }));
  EXPECT_EQ(row(december, "ninh-binh", true, kAll, kAll)->figures, sum({kA, kBInDecember, kCInDecember, kD}));
}

TEST_F(ReportsTest, YearReportIncludesCasesOpenedAfterTheFirstHalf) {
  dataset_->seed_all();
  const Report year = report("2026", "", false);
  // F, opened 2026-08-03 at ninh-binh, has no form yet and waits in "received".
  EXPECT_EQ(row(year, "ninh-binh", false, "social-critique", kNoForm)->figures,
            (Figures{.opened = 1, .in_progress = 1}));
  EXPECT_EQ(row(year, "ninh-binh", false, kAll, kAll)->figures.opened, 2);  // B and F; A was opened in 2025
  // The 2025 report sees E (opened and cancelled in 2025) and A, carried into 2026.
  const Report last_year = report("2025", "", false);
  EXPECT_EQ(row(last_year, "ninh-binh", false, "supervision", kNoForm)->figures.closed, 1);
  EXPECT_EQ(row(last_year, "ninh-binh", false, kAll, kAll)->figures.in_progress, 1);
}

TEST_F(ReportsTest, DialoguesConferencesAndLateDossiersAreCountedAndReportsAreNotWork) {
  dataset_->seed_until(at("2026-05-11T02:00:00Z"));
  // G at ninh-binh: the draft came on 05-10 for a submission on 05-20, 10 days before (Law
  // Art. 36.1 asks for 15): a late dossier; a dialogue held on it on 05-11.
  dataset_->open_critique('G', "ninh-binh", "2026-05-20");
  dataset_->attach('G', "draft");
  dataset_->run('G', {SetFields{{{"document_title", "Dự thảo"}, {"received_date", "2026-05-10"}}},
                      MoveCase{"assign", {}, ""}, MoveCase{"choose_form", {{"critique_form", "dialogue"}}, ""},
                      MoveCase{"hold_meeting", {{"event_time", "2026-05-11T09:00"}}, ""}});
  // R: gia-vien's half-year report to the province, a report and not a work item.
  dataset_->open('R', "periodic-report", "gia-vien",
                 {{"period", "h1"}, {"year", "2026"}, {"period_end", "2026-06-30"}});
  dataset_->seed_all();
  const Report h1 = report("2026-H1", "2026-07-15", true);
  const Figures& dialogue = row(h1, "ninh-binh", false, "social-critique", "dialogue")->figures;
  EXPECT_EQ(dialogue.opened, 1);
  EXPECT_EQ(dialogue.dialogues_held, 1);
  EXPECT_EQ(dialogue.late_dossiers, 1);
  const Figures& total = row(h1, "ninh-binh", true, kAll, kAll)->figures;
  EXPECT_EQ(total.dialogues_held, 1);    // G's; D chose a dialogue but was withdrawn before it
  EXPECT_EQ(total.conferences_held, 1);  // B's
  EXPECT_EQ(total.late_dossiers, 1);     // A, B, D were received on 01-01, long before
  EXPECT_EQ(total.opened, 4);            // A..D's 3 and G; not R
  for (const ReportRow& each : h1.rows) EXPECT_NE(each.workflow, "periodic-report");
}

TEST_F(ReportsTest, UnknownUnitIsNotFound) {
  dataset_->seed_all();
  ReportRequest request{parse_period("2026").value(), parse_as_of("", dataset_->clock().now()).value(), "ha-noi",
                        false};
  Directory directory(*db_, clock_);
  auto refused = read_report(dataset_->store(), directory, dataset_->catalog(), request);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::not_found);
  EXPECT_NE(refused.error().message.find("\"ha-noi\""), std::string::npos);
}

TEST_F(ReportsTest, EveryFormatShowsTheSameNumbers) {
  dataset_->seed_all();
  const Report h1 = report("2026-H1", "2026-07-15", true);
  const std::string total_cells = "3,2,2,11,2,1,7,4,2,1,1,3,2,0,1,0,8.8";  // the hand-counted total, in column order
  const std::string csv = render_csv(h1);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "period,as_of,unit,scope,workflow,form,opened,closed,in_progress,stages_on_time,stages_late,overdue_now,"
            "recommendations_made,answered,accepted,partly_accepted,not_accepted,unanswered,escalated,dialogues_held,"
            "conferences_held,late_dossiers,average_days_to_answer");
  EXPECT_NE(csv.find("2026-H1,2026-07-15,ninh-binh,total,*,*," + total_cells + "\n"), std::string::npos) << csv;
  EXPECT_NE(
      csv.find("2026-H1,2026-07-15,gia-vien,own,supervision,document_review,1,0,1,2,1,0,2,1,1,0,0,1,0,0,0,0,10.0\n"),
      std::string::npos);

  rapidjson::Document json;
  json.Parse(render_json(h1).c_str());
  ASSERT_FALSE(json.HasParseError());
  EXPECT_STREQ(json["period"]["from"].GetString(), "2026-01-01");
  EXPECT_STREQ(json["as_of"].GetString(), "2026-07-15T16:59:59Z");
  const auto& last = json["rows"][json["rows"].Size() - 1];
  EXPECT_STREQ(last["scope"].GetString(), "total");
  EXPECT_EQ(last["opened"].GetInt(), 3);
  EXPECT_EQ(last["stages_on_time"].GetInt(), 11);
  EXPECT_EQ(last["unanswered"].GetInt(), 3);
  EXPECT_DOUBLE_EQ(last["average_days_to_answer"].GetDouble(), 8.8);
  EXPECT_TRUE(json["rows"][0]["average_days_to_answer"].IsNumber());

  const ReportTable table = report_table(h1);
  EXPECT_EQ(table.rows.size(), h1.rows.size());
  EXPECT_EQ(
      table.rows.back(),
      (std::vector<std::string>{"2026-H1", "2026-07-15", "ninh-binh", "total", "*", "*", "3", "2", "2", "11", "2",  "1",
                                "7",       "4",          "2",         "1",     "1", "3", "2", "0", "1", "0",  "8.8"}));

  const std::string html = render_html(h1);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);  // nothing loaded from elsewhere
  EXPECT_EQ(html.find("href="), std::string::npos);
  EXPECT_NE(html.find("Kiến nghị theo kết quả trả lời"), std::string::npos);
  // The total row, cell by cell.
  EXPECT_NE(html.find("<td class=\"n\">3</td><td class=\"n\">2</td><td class=\"n\">2</td><td class=\"n\">11</td>"
                      "<td class=\"n\">2</td><td class=\"n\">1</td><td class=\"n\">7</td><td class=\"n\">4</td>"
                      "<td class=\"n\">2</td><td class=\"n\">1</td><td class=\"n\">1</td><td class=\"n\">3</td>"
                      "<td class=\"n\">2</td><td class=\"n\">0</td><td class=\"n\">1</td><td class=\"n\">0</td>"
                      "<td class=\"n\">8,8</td></tr>"),
            std::string::npos);
  // The chart's recommendations by answer, from the same total: 2 accepted, 1 partly, 1 not, 3 unanswered.
  EXPECT_NE(html.find("<title>Tiếp thu: 2</title>"), std::string::npos);
  EXPECT_NE(html.find("<title>Chưa trả lời: 3</title>"), std::string::npos);
}

TEST_F(ReportsTest, HtmlEscapesEveryText) {
  Directory directory(*db_, clock_);
  ASSERT_TRUE(directory.add_unit({"xa-moi", "Xã <b>Mới</b> & \"Cũ\"", "commune", "ninh-binh"}).ok());
  dataset_->seed_all();
  const std::string html = render_html(report("2026", "", false, "xa-moi"));
  EXPECT_EQ(html.find("<b>Mới"), std::string::npos);
  EXPECT_NE(html.find("Xã &lt;b&gt;Mới&lt;/b&gt; &amp; &quot;Cũ&quot;"), std::string::npos);
}

}  // namespace
}  // namespace docket::reports

namespace docket::reports {
namespace {

std::string all_rows(const Report& report) { return render_csv(report); }

// A file of schema 13 (before the report facts): the dataset's cases with the table gone and
// the version taken back. Migrating fills the facts from the histories, and the reports are
// the same, number for number; a change after it continues the filled facts.
TEST_F(ReportsTest, MigratingFillsTheFactsFromTheHistoriesAndReportsTheSame) {
  dataset_->seed_until(at("2026-07-15T02:00:00Z"));
  const std::string h1 = all_rows(report("2026-H1", "2026-07-15", true));
  const std::string year = all_rows(report("2026", "", true));
  db_->sql().exec("DROP TABLE report_facts; PRAGMA user_version = 13");
  {
    auto older = Database::open({folder_ / "docket.db", false, 5000, true, OlderSchema::refuse});
    ASSERT_FALSE(older.ok());
    EXPECT_EQ(older.error().code, ErrorCode::needs_migration);
    auto migrated = Database::open({folder_ / "docket.db", false, 5000, true, OlderSchema::migrate});
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
    EXPECT_EQ((*migrated)->sql().execAndGet("SELECT COUNT(*) FROM report_facts").getInt(),
              (*migrated)->sql().execAndGet("SELECT COUNT(*) FROM cases").getInt());
  }
  EXPECT_EQ(all_rows(report("2026-H1", "2026-07-15", true)), h1);
  EXPECT_EQ(all_rows(report("2026", "", true)), year);
  dataset_->seed_all();  // B's rec 2 answered in August, F opened, ... on the filled facts
  EXPECT_EQ(row(report("2026-H1", "2026-12-01", true), "ninh-binh", true, kAll, kAll)->figures,
            sum({kA, kBInDecember, kCInDecember, kD}));
}

// Readers see only what they may read, counted from the facts as by folding: the officer
// (a member of both units) every case; the drafting body (an outside party) only the cases
// naming it, each checked on its own.
TEST_F(ReportsTest, AReadersScopeCountsTheSameCasesAsFoldingTheirHistories) {
  dataset_->seed_all();
  Directory directory(*db_, clock_);
  AccessPolicy policy(directory, dataset_->catalog());
  ASSERT_TRUE(directory.add_user("so-tp", "Sở Tư pháp", "gia-vien", {"drafting_body"}).ok());
  dataset_->open_critique('H', "gia-vien", "2026-12-31");  // names bc-co-quan, not so-tp
  for (const char* user : {"bc-can-bo", "bc-co-quan", "so-tp"}) {
    const ReportScope scope = reader_scope(policy, *policy.reader(user));
    ReportRequest request{parse_period("2026").value(), parse_as_of("", dataset_->clock().now()).value(), "gia-vien",
                          false};
    auto facts = read_report(dataset_->store(), directory, dataset_->catalog(), request, scope);
    auto folded = fold_report(dataset_->store(), directory, dataset_->catalog(), request, scope);
    ASSERT_TRUE(facts.ok() && folded.ok()) << user;
    EXPECT_EQ(all_rows(*facts), all_rows(*folded)) << user;
    const int opened = facts->rows.back().figures.opened;
    EXPECT_EQ(opened, std::string(user) == "so-tp" ? 0 : 3) << user;  // C, D and H
  }
}

}  // namespace
}  // namespace docket::reports
