// The scripted walk of issue #23 through the real binary: each built-in workflow driven from
// open to its end at a commune, every step by the user holding the role the workflow names for
// it, at the right level (the commune's officer and standing board, the province reviewing from
// above or acting on an escalated case, the outside bodies answering their recommendations). At
// each step a user of the wrong role or level is refused first.
//
// The CLI reads the system clock, so only due dates counted from date fields are fixed here and
// checked against hand counts on the vn calendar; those counted from the day a stage is entered
// are counted in the API walk (tests/server/walk_api_test.cc), whose clock is fixed.
#include "walk_fixture.h"

namespace docket::cli_test {
namespace {

using Steps = std::vector<std::string>;

class WalkCli : public WalkCliFixture {};

TEST_F(WalkCli, ASocialCritiqueAcrossTet2027IsWalkedByEveryRoleOfTheCommune) {
  const std::string number = open("xa-can-bo", "social-critique",
                                  {"drafting_body=phong-kt", "received_date=2027-01-25", "submission_date=2027-02-12",
                                   "document_title=Đề án chợ nông thôn", "issuing_authority=UBND xã Gia Hưng"});
  // 1 day before Fri 12 Feb 2027 is Thu 11 Feb, rolled back over Thu 11 and Wed 10 (days in
  // lieu of mùng 1 and 2 Tết), Tue 9 and Mon 8 (mùng 4 and 3), Sun 7, Sat 6 and Fri 5 (29 Chạp).
  EXPECT_EQ(due_of(number), "2027-02-04");
  attach("phong-kt", number, "draft");  // the drafting body hands in its dossier

  refused("xa-can-bo", number, {"move", number, "assign"});
  step("xa-truong-ban", number, "assign", "assigned");
  ok("xa-truong-ban", {"case", "assign", number, "xa-can-bo"});
  EXPECT_EQ(due_of(number), "2027-02-04");
  refused("tinh-chu-tich", number, {"move", number, "choose_form", "--field", "critique_form=conference"});
  step("xa-chu-tich", number, "choose_form", "form_chosen", {"critique_form=conference"});
  refused("xa-chu-tich", number, {"move", number, "hold_meeting", "--field", "event_time=2027-01-28T08:00+07:00"});
  step("xa-can-bo", number, "hold_meeting", "in_progress", {"event_time=2027-01-28T08:00+07:00"});
  attach("xa-can-bo", number, "critique");
  refused("phong-kt", number, {"move", number, "submit_critique_draft"});
  step("xa-can-bo", number, "submit_critique_draft", "drafted");
  refused("xa-truong-ban", number, {"move", number, "approve"});
  step("xa-chu-tich", number, "approve", "approved");
  EXPECT_EQ(due_of(number), "2027-02-04");

  ok("xa-can-bo", {"case", "recommend", number, "--to", "phong-kt", "Đánh giá tác động đến hộ kinh doanh"});
  ok("xa-can-bo", {"case", "recommend", number, "--to", "UBND xã Gia Hưng", "Bố trí kinh phí di dời"});
  refused("phong-kt", number, {"move", number, "issue"});
  step("xa-truong-ban", number, "issue", "awaiting_answer");
  EXPECT_NE(due_of(number), "");  // 20 days from today

  refused("phong-kt", number, {"answer", number, "2", "--status", "accepted"});  // not addressed to it
  ok("phong-kt", {"case", "answer", number, "1", "--status", "accepted"});
  ok("xa-can-bo", {"case", "answer", number, "2", "--status", "partly_accepted", "--text", "Bố trí một phần"});
  attach("phong-kt", number, "reply");
  refused("xa-chu-tich", number, {"move", number, "record_answer"});
  step("xa-can-bo", number, "record_answer", "answered");
  refused("xa-can-bo", number, {"move", number, "close"});
  step("xa-chu-tich", number, "close", "closed");
  EXPECT_EQ(due_of(number), "");

  EXPECT_TRUE(contains(ok("kiem-tra", {"case", "history", number}), "(recorded for UBND xã Gia Hưng)"));
  EXPECT_EQ(history_of(number),
            (Steps{"case.opened by xa-can-bo", "document.attached by phong-kt", "stage.changed by xa-truong-ban",
                   "case.assigned by xa-truong-ban", "stage.changed by xa-chu-tich", "stage.changed by xa-can-bo",
                   "document.attached by xa-can-bo", "stage.changed by xa-can-bo", "stage.changed by xa-chu-tich",
                   "recommendation.added by xa-can-bo", "recommendation.added by xa-can-bo",
                   "stage.changed by xa-truong-ban", "recommendations.issued by xa-truong-ban",
                   "recommendation.answered by phong-kt", "recommendation.answered by xa-can-bo",
                   "document.attached by phong-kt", "stage.changed by xa-can-bo", "stage.changed by xa-chu-tich"}));
}

TEST_F(WalkCli, ASupervisionByDelegationIsWalkedByTheCommuneAndTheProvinceItEscalatesTo) {
  const std::string number =
      open("xa-can-bo", "supervision",
           {"subject=Bình xét hộ nghèo năm 2026", "supervised_body=ubnd-xa", "supervision_form=delegation"});
  EXPECT_NE(due_of(number), "");  // 10 working days from today
  refused("xa-truong-ban", number, {"move", number, "start_delegation", "--field", "session_date=2026-05-12"});
  step("xa-chu-tich", number, "start_delegation", "delegation_planning", {"session_date=2026-05-12"});
  // 15 days before Tue 12 May 2026 is Mon 27 Apr (the day in lieu of Giỗ Tổ), rolled back over
  // Mon 27, Sun 26 (Giỗ Tổ) and Sat 25 Apr.
  EXPECT_EQ(due_of(number), "2026-04-24");
  attach("xa-can-bo", number, "plan");
  attach("xa-can-bo", number, "decision");
  refused("xa-truong-doan", number, {"move", number, "establish_delegation"});
  step("xa-chu-tich", number, "establish_delegation", "delegation_established");
  EXPECT_EQ(due_of(number), "2026-04-24");
  attach("xa-can-bo", number, "report_request");

  // Long past its due date, the stage escalates to the province's standing board at the tick.
  refused("tinh-chu-tich", number, {"move", number, "notify_supervised_body"});
  ok("", {"tick"});
  EXPECT_TRUE(contains(ok("kiem-tra", {"case", "history", number}), "escalated to standing_board @ ninh-binh"));
  step("tinh-chu-tich", number, "notify_supervised_body", "awaiting_body_report");
  EXPECT_EQ(due_of(number), "2026-05-05");  // 7 days before Tue 12 May: Tue 5 May, a working day

  attach("ubnd-xa", number, "report");
  refused("tinh-chu-tich", number, {"move", number, "receive_body_report"});  // the escalation ended
  step("ubnd-xa", number, "receive_body_report", "session_pending");
  EXPECT_EQ(due_of(number), "2026-05-12");  // on the session date
  attach("xa-truong-doan", number, "minutes");
  refused("xa-chu-tich", number, {"move", number, "hold_session"});
  step("xa-truong-doan", number, "hold_session", "results_reporting");
  EXPECT_EQ(due_of(number), "2026-05-27");  // 15 days after Tue 12 May, no end date yet: Wed 27 May
  ok("xa-truong-doan", {"case", "set", number, "--field", "session_end_date=2026-05-15"});
  // 15 days after Fri 15 May is Sat 30 May, rolled forward over Sat 30 and Sun 31.
  EXPECT_EQ(due_of(number), "2026-06-01");
  attach("xa-truong-doan", number, "results_report");
  refused("xa-can-bo", number, {"move", number, "submit_results_report"});
  step("xa-truong-doan", number, "submit_results_report", "concluding");
  EXPECT_NE(due_of(number), "");  // 15 days from today

  ok("xa-truong-doan", {"case", "recommend", number, "--to", "ubnd-xa", "Công khai danh sách hộ nghèo tại thôn"});
  ok("xa-can-bo", {"case", "recommend", number, "--to", "UBND tỉnh Ninh Bình", "Bổ sung kinh phí rà soát"});
  ok("xa-can-bo", {"case", "set", number, "--field", "competent_authority=UBND tỉnh Ninh Bình"});
  attach("xa-can-bo", number, "recommendation_letter");
  refused("xa-truong-doan", number, {"move", number, "issue_recommendations"});
  step("xa-truong-ban", number, "issue_recommendations", "follow_up");
  EXPECT_NE(due_of(number), "");  // 30 days after the letter was sent, today

  refused("ubnd-xa", number, {"answer", number, "2", "--status", "accepted"});
  ok("ubnd-xa", {"case", "answer", number, "1", "--status", "partly_accepted", "--text", "Công khai từ quý III"});
  ok("xa-can-bo", {"case", "answer", number, "2", "--status", "accepted"});
  refused("xa-can-bo", number, {"move", number, "close"});
  step("xa-chu-tich", number, "close", "closed");

  EXPECT_TRUE(contains(ok("kiem-tra", {"case", "history", number}), "(recorded for UBND tỉnh Ninh Bình)"));
  EXPECT_EQ(history_of(number), (Steps{"case.opened by xa-can-bo",
                                       "stage.changed by xa-chu-tich",
                                       "document.attached by xa-can-bo",
                                       "document.attached by xa-can-bo",
                                       "stage.changed by xa-chu-tich",
                                       "document.attached by xa-can-bo",
                                       "case.escalated by system",
                                       "stage.changed by tinh-chu-tich",
                                       "document.attached by ubnd-xa",
                                       "stage.changed by ubnd-xa",
                                       "document.attached by xa-truong-doan",
                                       "stage.changed by xa-truong-doan",
                                       "fields.set by xa-truong-doan",
                                       "document.attached by xa-truong-doan",
                                       "stage.changed by xa-truong-doan",
                                       "recommendation.added by xa-truong-doan",
                                       "recommendation.added by xa-can-bo",
                                       "fields.set by xa-can-bo",
                                       "document.attached by xa-can-bo",
                                       "stage.changed by xa-truong-ban",
                                       "recommendations.issued by xa-truong-ban",
                                       "recommendation.answered by ubnd-xa",
                                       "recommendation.answered by xa-can-bo",
                                       "stage.changed by xa-chu-tich"}));
}

TEST_F(WalkCli, AYearlyReportOfTheCommuneIsReturnedReviewedAndAcceptedByTheProvince) {
  const std::string number =
      open("xa-can-bo", "periodic-report", {"period=year", "year=2026", "period_end=2026-12-31"});
  // 15 calendar days after Thu 31 Dec 2026 (1 January counts): Fri 15 Jan 2027, a working day.
  EXPECT_EQ(due_of(number), "2027-01-15");
  attach("xa-can-bo", number, "report");
  refused("xa-can-bo", number, {"move", number, "submit"});
  step("xa-chu-tich", number, "submit", "submitted");
  EXPECT_NE(due_of(number), "");  // 5 working days from today

  ok("tinh-tra", {"case", "comment", number, "Đã nhận báo cáo"});
  refused("xa-tra", number, {"move", number, "review"});  // the commune's own reviewer
  step("tinh-tra", number, "return_for_revision", "drafting", {"revision_notes=Bổ sung số liệu hộ nghèo"});
  EXPECT_EQ(due_of(number), "2027-01-15");  // still counted from period_end
  attach("xa-can-bo", number, "report");
  refused("tinh-tra", number, {"move", number, "submit"});
  step("xa-chu-tich", number, "submit", "submitted");
  refused("tinh-tra", number, {"assign", number, "xa-can-bo"});  // a reviewer above does not assign
  ok("tinh-thu", {"case", "assign", number, "xa-can-bo"});
  refused("tinh-can-bo", number, {"move", number, "review"});  // an officer above is no reviewer
  step("tinh-tra", number, "review", "reviewed");
  refused("tinh-tra", number, {"move", number, "accept"});
  step("tinh-thu", number, "accept", "accepted");
  EXPECT_EQ(due_of(number), "");

  EXPECT_EQ(history_of(number),
            (Steps{"case.opened by xa-can-bo", "document.attached by xa-can-bo", "stage.changed by xa-chu-tich",
                   "comment.added by tinh-tra", "stage.changed by tinh-tra", "document.attached by xa-can-bo",
                   "stage.changed by xa-chu-tich", "case.assigned by tinh-thu", "stage.changed by tinh-tra",
                   "stage.changed by tinh-thu"}));
}

}  // namespace
}  // namespace docket::cli_test
