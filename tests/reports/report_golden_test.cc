// The golden test of the report's figures: 14 cases at three units (the province ninh-binh and
// its communes gia-vien and hoa-lu), written through the real CaseStore into a real SQLite file
// at dates set by hand, the due dates and breaches recorded as the deadlines plugin records them
// (by the system actor, at moments chosen here). Every expected figure below was counted by hand
// from the timeline; the comments say how. Report: 2026-H1 (1 January - 30 June, Vietnam dates),
// as of 10 July 2026, rolled up from the province.
#include <gtest/gtest.h>

#include "reports/report_reader.h"
#include "store_fixture.h"

namespace docket::reports {
namespace {

Timestamp utc(const char* text) { return *parse_datetime(text); }
// 09:00 in Vietnam on `day`.
Timestamp morning(const char* day) { return utc((std::string(day) + "T02:00:00Z").c_str()); }
// The moment a due date is breached: the end of the due day in Vietnam.
std::string breached_from(const std::string& due) {
  return format_timestamp(std::chrono::sys_days{*parse_date(due)} + std::chrono::hours{24} - kVietnamOffset);
}

class ReportGoldenTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    Directory directory(*db_, clock_);
    ASSERT_TRUE(directory.add_unit({"hoa-lu", "Ủy ban MTTQ xã Hoa Lư", "commune", "ninh-binh"}).ok());
    for (const char* unit : {"ninh-binh", "gia-vien", "hoa-lu"}) {
      ASSERT_TRUE(
          directory.add_user("can-bo", "Trần Văn Bình", unit, {"standing_board", "department_head", "officer"}).ok());
      ASSERT_TRUE(directory.add_user("co-quan", "Sở Tư pháp", unit, {"drafting_body"}).ok());
    }
    golden_ = std::make_unique<CaseStore>(*db_, catalog_, when_);
  }

  // --- the steps, each at the clock's moment

  std::string critique(const char* day, const std::string& unit, const std::string& submission_date) {
    when_.set(morning(day));
    return critique_at(unit, submission_date);
  }
  std::string critique_at(const std::string& unit, const std::string& submission_date) {
    auto opened = golden_->open(
        "social-critique", "can-bo",
        OpenCase{"", "Dự thảo", unit, {{"submission_date", submission_date}, {"drafting_body", "co-quan"}}});
    EXPECT_TRUE(opened.ok()) << opened.error().message;
    return opened.ok() ? opened->number : "";
  }
  void run(const std::string& number, const std::vector<Command>& commands, const std::vector<Upload>& uploads = {}) {
    auto done = golden_->execute(number, "can-bo", commands, std::nullopt, uploads);
    EXPECT_TRUE(done.ok()) << number << ": " << done.error().message;
  }
  void system(const std::string& number, const Command& command) {
    auto done = golden_->execute_as_system(number, {command});
    EXPECT_TRUE(done.ok()) << number << ": " << done.error().message;
  }
  void attach(const std::string& number, const std::string& kind) {
    const Upload upload{kind + ".pdf", "application/pdf", "%PDF " + kind + " " + number};
    run(number,
        {AttachDocument{kind, upload.file_name, upload.sha256(), static_cast<std::int64_t>(upload.content.size()),
                        upload.media_type}},
        {upload});
  }
  // received -> assigned -> form_chosen, and on to in_progress (sending it for opinions, or
  // holding the meeting of a conference or dialogue).
  void start(const char* day, const std::string& number, const std::string& received, const std::string& form) {
    when_.set(morning(day));
    attach(number, "draft");
    run(number, {SetFields{{{"document_title", "Dự thảo"}, {"received_date", received}, {"issuing_authority", "HĐND"}}},
                 MoveCase{"assign", {}, ""}, MoveCase{"choose_form", {{"critique_form", form}}, ""}});
    if (form == "written_consultation") {
      run(number, {MoveCase{"send_for_opinions", {}, ""}});
    } else {
      run(number, {MoveCase{"hold_meeting", {{"event_time", std::string(day) + "T09:00"}}, ""}});
    }
  }
  // The due date of the stage the case is in, recorded that day.
  void due(const char* day, const std::string& number, const std::string& stage, const std::string& due_day) {
    when_.set(morning(day) + std::chrono::minutes(5));
    system(number, RecordDeadline{stage, due_day, breached_from(due_day), "stage entered"});
  }
  // in_progress -> drafted -> approved -> awaiting_answer with `count` recommendations.
  void issue(const char* day, const std::string& number, int count) {
    when_.set(morning(day) + std::chrono::minutes(2));
    attach(number, "critique");
    run(number, {MoveCase{"submit_critique_draft", {}, ""}, MoveCase{"approve", {}, ""}});
    for (int i = 1; i <= count; ++i) run(number, {AddRecommendation{"HĐND", "Kiến nghị " + std::to_string(i)}});
    run(number, {MoveCase{"issue", {}, ""}});
  }
  void answer(const char* day, const std::string& number, int recommendation, const std::string& status) {
    when_.set(morning(day) + std::chrono::minutes(3));
    run(number, {AnswerRecommendation{recommendation, status, status == "not_accepted" ? "Chưa phù hợp" : "", ""}});
  }
  // awaiting_answer -> answered -> closed.
  void close(const char* day, const std::string& number) {
    when_.set(morning(day) + std::chrono::minutes(4));
    attach(number, "reply");
    run(number, {MoveCase{"record_answer", {}, ""}, MoveCase{"close", {}, ""}});
  }
  void end(const char* day, const std::string& number, const std::string& transition) {
    when_.set(morning(day) + std::chrono::minutes(6));
    run(number, {MoveCase{transition, {{"end_reason", "Cơ quan soạn thảo rút dự thảo"}}, ""}});
  }

  Result<Report> report(const std::string& period, const std::string& as_of, const std::string& unit, bool rollup,
                        bool folding = false) {
    ReportRequest request{parse_period(period).value(), parse_as_of(as_of, when_.now()).value(), unit, rollup};
    Directory directory(*db_, clock_);
    return folding ? fold_report(*golden_, directory, catalog_, request)
                   : read_report(*golden_, directory, catalog_, request);
  }

  static Figures row(const Report& report, const std::string& unit, bool total, const std::string& workflow,
                     const std::string& form) {
    for (const ReportRow& candidate : report.rows) {
      if (candidate.unit == unit && candidate.total == total && candidate.workflow == workflow &&
          candidate.form == form)
        return candidate.figures;
    }
    ADD_FAILURE() << "no row " << unit << (total ? " (total) " : " ") << workflow << " " << form;
    return {};
  }

  // The timeline (days in Vietnam; every step in the morning).
  void seed() {
    // ninh-binh
    // P1: opened 2025-11-10, written consultation; in_progress due 2026-01-15; 2 recommendations
    //     issued 2026-01-10; answered 01-20 (accepted) and 02-09 (not accepted); closed 02-15.
    p1_ = critique("2025-11-10", "ninh-binh", "2026-01-30");
    start("2025-11-12", p1_, "2025-11-10", "written_consultation");
    due("2025-11-12", p1_, "in_progress", "2026-01-15");
    issue("2026-01-10", p1_, 2);
    answer("2026-01-20", p1_, 1, "accepted");
    answer("2026-02-09", p1_, 2, "not_accepted");
    close("2026-02-15", p1_);
    // P2: opened 2026-02-02, received that day, to be submitted 2026-02-10 (8 days: a late
    //     dossier); a conference held 02-05; in_progress due 02-20, breached (recorded 02-21);
    //     3 recommendations issued 03-01, answer due 03-31; rec 1 partly accepted 03-11, rec 2
    //     marked unanswered and escalated 04-01, rec 3 never answered.
    p2_ = critique("2026-02-02", "ninh-binh", "2026-02-10");
    start("2026-02-05", p2_, "2026-02-02", "conference");
    due("2026-02-05", p2_, "in_progress", "2026-02-20");
    when_.set(morning("2026-02-21"));
    system(p2_, RecordBreach{"in_progress", "2026-02-20"});
    issue("2026-03-01", p2_, 3);
    due("2026-03-01", p2_, "awaiting_answer", "2026-03-31");
    answer("2026-03-11", p2_, 1, "partly_accepted");
    when_.set(morning("2026-04-01"));
    system(p2_, MarkRecommendationUnanswered{2});
    system(p2_, EscalateRecommendation{2});
    // P3: opened 2026-06-20, only received.
    p3_ = critique("2026-06-20", "ninh-binh", "2026-09-30");
    // P4: opened 2026-07-05: after the period.
    critique("2026-07-05", "ninh-binh", "2026-09-30");
    // P5: opened 2025-06-01, withdrawn 2025-12-20: closed before the period.
    end("2025-12-20", critique("2025-06-01", "ninh-binh", "2025-12-31"), "withdraw");
    // P6: a periodic report opened in March: not work, in no figure.
    when_.set(morning("2026-03-01"));
    auto sent = golden_->open(
        "periodic-report", "can-bo",
        OpenCase{
            "", "Báo cáo sơ kết", "ninh-binh", {{"period", "h1"}, {"year", "2026"}, {"period_end", "2026-06-30"}}});
    EXPECT_TRUE(sent.ok()) << sent.error().message;

    // gia-vien
    // A1: opened 2026-01-05; dialogue held 01-08; in_progress due 02-28; withdrawn 03-03 (late).
    a1_ = critique("2026-01-05", "gia-vien", "2026-03-01");
    start("2026-01-08", a1_, "2026-01-05", "dialogue");
    due("2026-01-08", a1_, "in_progress", "2026-02-28");
    end("2026-03-03", a1_, "withdraw");
    // A2: opened 2026-04-10, received that day, to be submitted 04-20 (10 days: late dossier);
    //     sent for opinions 04-12, in_progress due 05-12; 2 recommendations issued 05-05 (on
    //     time), answer due 07-20; both accepted, 05-15 and 06-04; not closed.
    a2_ = critique("2026-04-10", "gia-vien", "2026-04-20");
    start("2026-04-12", a2_, "2026-04-10", "written_consultation");
    due("2026-04-12", a2_, "in_progress", "2026-05-12");
    issue("2026-05-05", a2_, 2);
    due("2026-05-05", a2_, "awaiting_answer", "2026-07-20");
    answer("2026-05-15", a2_, 1, "accepted");
    answer("2026-06-04", a2_, 2, "accepted");
    // A3: opened 2026-05-20, declined 05-22.
    a3_ = critique("2026-05-20", "gia-vien", "2026-08-30");
    end("2026-05-22", a3_, "decline");
    // A4: opened 2026-03-10, written consultation; 1 recommendation issued 06-25, accepted
    //     07-15: after the as-of moment.
    a4_ = critique("2026-03-10", "gia-vien", "2026-06-30");
    start("2026-03-12", a4_, "2026-03-10", "written_consultation");
    issue("2026-06-25", a4_, 1);

    // hoa-lu
    // B1: opened 2025-12-01; a conference held 2025-12-05 (before the period); in_progress due
    //     2026-01-10; 1 recommendation issued 01-09 (on time), not accepted 01-19; closed 01-25.
    b1_ = critique("2025-12-01", "hoa-lu", "2026-02-28");
    start("2025-12-05", b1_, "2025-12-01", "conference");
    due("2025-12-05", b1_, "in_progress", "2026-01-10");
    issue("2026-01-09", b1_, 1);
    answer("2026-01-19", b1_, 1, "not_accepted");
    close("2026-01-25", b1_);
    // B2: opened 2026-06-30 at 23:30 in Vietnam (16:30 UTC): in the period.
    when_.set(utc("2026-06-30T16:30:00Z"));
    b2_ = critique_at("hoa-lu", "2026-09-30");
    // B3: opened 2026-07-01 at 00:30 in Vietnam (still 30 June in UTC): after the period.
    when_.set(utc("2026-06-30T17:30:00Z"));
    critique_at("hoa-lu", "2026-09-30");
    // B4: a supervision opened 2026-02-02 by document review; a review conference 03-02.
    when_.set(morning("2026-02-02"));
    auto supervision = golden_->open(
        "supervision", "can-bo",
        OpenCase{"", "Giám sát chi trả", "hoa-lu", {{"subject", "Chi trả trợ cấp"}, {"supervised_body", "co-quan"}}});
    EXPECT_TRUE(supervision.ok()) << supervision.error().message;
    b4_ = supervision.ok() ? supervision->number : "";
    run(b4_, {SetFields{{{"supervision_form", "document_review"}}},
              MoveCase{"start_document_review", {{"due_date", "2026-05-29"}}, ""}});
    when_.set(morning("2026-03-02"));
    run(b4_, {MoveCase{"convene_review_conference", {}, ""}});

    // After the as-of moment.
    answer("2026-07-15", a4_, 1, "accepted");
    when_.set(morning("2026-07-20"));
  }

  FixedClock when_{morning("2025-06-01")};
  std::unique_ptr<CaseStore> golden_;
  std::string p1_, p2_, p3_, a1_, a2_, a3_, a4_, b1_, b2_, b4_;
};

TEST_F(ReportGoldenTest, HandCountedFiguresOfFourteenCasesAtThreeUnits) {
  seed();
  auto h1 = report("2026-H1", "2026-07-10", "ninh-binh", true);
  ASSERT_TRUE(h1.ok()) << h1.error().message;
  const std::string pb = "social-critique";

  // ninh-binh's own cases in the report: P1, P2, P3 (P4 opened after, P5 closed before, P6 is
  // not work).
  //   P1 written consultation: closed 02-15 -> closed 1. Left in_progress 01-10 before its due
  //      date 01-15 -> on time 1 (drafted, approved, awaiting_answer had no due date recorded).
  //      2 recommendations made 01-10, both answered: accepted 1 (10 days), not accepted 1
  //      (30 days) -> 40 days.
  const Figures p1{.closed = 1,
                   .stages_on_time = 1,
                   .recommendations_made = 2,
                   .answered = 2,
                   .accepted = 1,
                   .not_accepted = 1,
                   .answer_days = 40};
  EXPECT_EQ(row(*h1, "ninh-binh", false, pb, "written_consultation"), p1);
  //   P2 conference: opened 1, in progress 1. Left in_progress 03-01 after its breach -> late 1.
  //      awaiting_answer due 03-31, passed by 07-10 (no breach recorded) -> overdue 1. 3 made,
  //      rec 1 partly accepted 03-11 (10 days), recs 2, 3 unanswered, rec 2 escalated. Conference
  //      held 02-05 -> 1. Received 02-02, submission 02-10: 8 < 15 days -> late dossier 1.
  const Figures p2{.opened = 1,
                   .in_progress = 1,
                   .stages_late = 1,
                   .overdue_now = 1,
                   .recommendations_made = 3,
                   .answered = 1,
                   .partly_accepted = 1,
                   .unanswered = 2,
                   .escalated = 1,
                   .answer_days = 10,
                   .conferences_held = 1,
                   .late_dossiers = 1};
  EXPECT_EQ(row(*h1, "ninh-binh", false, pb, "conference"), p2);
  //   P3 no form yet: opened 1, in progress 1.
  const Figures p3{.opened = 1, .in_progress = 1};
  EXPECT_EQ(row(*h1, "ninh-binh", false, pb, kNoForm), p3);
  // P1 + P2 + P3.
  const Figures ninh_binh{.opened = 2,
                          .closed = 1,
                          .in_progress = 2,
                          .stages_on_time = 1,
                          .stages_late = 1,
                          .overdue_now = 1,
                          .recommendations_made = 5,
                          .answered = 3,
                          .accepted = 1,
                          .partly_accepted = 1,
                          .not_accepted = 1,
                          .unanswered = 2,
                          .escalated = 1,
                          .answer_days = 50,
                          .conferences_held = 1,
                          .late_dossiers = 1};
  EXPECT_EQ(row(*h1, "ninh-binh", false, kAll, kAll), ninh_binh);

  // gia-vien: A1..A4, all critiques.
  //   A1 dialogue: opened 1, closed 1 (withdrawn 03-03); left in_progress 03-03 after its due
  //      date 02-28 -> late 1; dialogue held 01-08 -> 1.
  const Figures a1{.opened = 1, .closed = 1, .stages_late = 1, .dialogues_held = 1};
  EXPECT_EQ(row(*h1, "gia-vien", false, pb, "dialogue"), a1);
  //   A2 + A4 written consultation: opened 2, in progress 2. A2 left in_progress 05-05, due
  //      05-12 -> on time 1; awaiting_answer due 07-20: not overdue on 07-10. Recommendations:
  //      A2's 2, both accepted (10 + 30 = 40 days); A4's 1, answered only on 07-15 ->
  //      unanswered 1. Late dossier: A2 (10 < 15 days); A4 received 03-10 for 06-30, not late.
  const Figures a2_a4{.opened = 2,
                      .in_progress = 2,
                      .stages_on_time = 1,
                      .recommendations_made = 3,
                      .answered = 2,
                      .accepted = 2,
                      .unanswered = 1,
                      .answer_days = 40,
                      .late_dossiers = 1};
  EXPECT_EQ(row(*h1, "gia-vien", false, pb, "written_consultation"), a2_a4);
  //   A3 no form: opened 1, closed 1 (declined 05-22).
  EXPECT_EQ(row(*h1, "gia-vien", false, pb, kNoForm), (Figures{.opened = 1, .closed = 1}));
  Figures gia_vien = a1;
  gia_vien += a2_a4;
  gia_vien += Figures{.opened = 1, .closed = 1};
  EXPECT_EQ(row(*h1, "gia-vien", false, kAll, kAll), gia_vien);
  EXPECT_EQ(gia_vien.opened, 4);

  // hoa-lu: B1, B2 (B3 opened on 1 July in Vietnam), B4.
  //   B1 conference: closed 1 (01-25); left in_progress 01-09, due 01-10 -> on time 1; 1 made,
  //      not accepted 01-19 (10 days); its conference was held in 2025 -> 0.
  const Figures b1{
      .closed = 1, .stages_on_time = 1, .recommendations_made = 1, .answered = 1, .not_accepted = 1, .answer_days = 10};
  EXPECT_EQ(row(*h1, "hoa-lu", false, pb, "conference"), b1);
  //   B2 no form: opened 1 (30 June, 23:30 in Vietnam), in progress 1.
  EXPECT_EQ(row(*h1, "hoa-lu", false, pb, kNoForm), (Figures{.opened = 1, .in_progress = 1}));
  //   B4 supervision by document review: opened 1, in progress 1, a review conference 03-02.
  const Figures b4{.opened = 1, .in_progress = 1, .conferences_held = 1};
  EXPECT_EQ(row(*h1, "hoa-lu", false, "supervision", "document_review"), b4);

  // The province's total: the ten cases counted.
  //   opened 2 + 4 + 2 = 8; closed 1 + 2 + 1 = 4; in progress 2 + 2 + 2 = 6 (8 + 2 carried in
  //   = 10 = closed + in progress); on time 1 + 1 + 1 = 3; late 1 + 1 = 2; overdue 1;
  //   recommendations 5 + 3 + 1 = 9, answered 3 + 2 + 1 = 6 (accepted 1 + 2 = 3, partly 1, not
  //   1 + 1 = 2), unanswered 2 + 1 = 3, escalated 1; days 50 + 40 + 10 = 100 (average 16.7);
  //   dialogues 1; conferences 1 + 1 = 2; late dossiers 1 + 1 = 2.
  const Figures total{.opened = 8,
                      .closed = 4,
                      .in_progress = 6,
                      .stages_on_time = 3,
                      .stages_late = 2,
                      .overdue_now = 1,
                      .recommendations_made = 9,
                      .answered = 6,
                      .accepted = 3,
                      .partly_accepted = 1,
                      .not_accepted = 2,
                      .unanswered = 3,
                      .escalated = 1,
                      .answer_days = 100,
                      .dialogues_held = 1,
                      .conferences_held = 2,
                      .late_dossiers = 2};
  EXPECT_EQ(row(*h1, "ninh-binh", true, kAll, kAll), total);
  EXPECT_EQ(total.average_days_to_answer(), 16.7);
  EXPECT_EQ(row(*h1, "ninh-binh", true, "supervision", kAll), b4);

  // The reference fold of every history gives the same rows.
  auto folded = report("2026-H1", "2026-07-10", "ninh-binh", true, true);
  ASSERT_TRUE(folded.ok());
  ASSERT_EQ(folded->rows.size(), h1->rows.size());
  for (std::size_t i = 0; i < h1->rows.size(); ++i) {
    EXPECT_EQ(folded->rows[i].unit, h1->rows[i].unit);
    EXPECT_EQ(folded->rows[i].form, h1->rows[i].form);
    EXPECT_EQ(folded->rows[i].figures, h1->rows[i].figures) << h1->rows[i].unit << " " << h1->rows[i].form;
  }

  // As of 20 July, A4's recommendation is answered (07-15, 20 days after 06-25) and A2's
  // answer is due 07-20, not breached until its end: the rest as before.
  auto later = report("2026-H1", "2026-07-20", "ninh-binh", true);
  ASSERT_TRUE(later.ok());
  Figures total_later = total;
  total_later.answered += 1;
  total_later.accepted += 1;
  total_later.unanswered -= 1;
  total_later.answer_days += 20;
  EXPECT_EQ(row(*later, "ninh-binh", true, kAll, kAll), total_later);
}

}  // namespace
}  // namespace docket::reports
