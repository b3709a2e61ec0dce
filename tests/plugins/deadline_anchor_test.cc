// What deadlines count from: the end of a multi-day working session (JR 403 Art. 9.1), and the
// day recommendations were issued, however often a dialogue sends the case back to follow-up.
#include "deadlines_fixture.h"

namespace docket {
namespace {

class DeadlineAnchorTest : public DeadlinesTest {
 protected:
  std::string open_supervision(const std::string& form) {
    auto opened = store_->open(
        "supervision", "can-bo",
        OpenCase{"",
                 "Giám sát bình xét hộ nghèo năm 2026",
                 "gia-vien",
                 {{"subject", "Bình xét hộ nghèo"}, {"supervised_body", "ubnd-xa"}, {"supervision_form", form}}});
    if (!opened) ADD_FAILURE() << opened.error().message;
    return opened ? opened->number : "";
  }
  // A document review concluded and its recommendations issued now: the case is in follow_up.
  Case issued_recommendations() {
    const std::string number = open_supervision("document_review");
    run(number, {MoveCase{"start_document_review", {{"due_date", "2026-04-30"}}, ""}});
    attach(number, "results_report");
    run(number, {MoveCase{"finish_review", {}, ""}, SetFields{{{"competent_authority", "UBND tỉnh Ninh Bình"}}}});
    attach(number, "recommendation_letter");
    return run(number, {MoveCase{"issue_recommendations", {}, ""}});
  }
};

TEST_F(DeadlineAnchorTest, FollowUpCountsFromTheIssueOfRecommendationsNotFromEachDialogue) {
  const Case issued = issued_recommendations();  // 2026-03-02
  ASSERT_EQ(issued.stage, "follow_up");
  EXPECT_EQ(issued.fields.at("recommendations_issued_date"), "2026-03-02");
  EXPECT_EQ(issued.deadline->due, "2026-04-01");  // 30 days after
  clock_.set(at("2026-03-20T02:00:00Z"));
  run(issued.number, {MoveCase{"hold_dialogue", {}, ""}});
  clock_.set(at("2026-03-27T02:00:00Z"));
  attach(issued.number, "minutes");
  const Case back = run(issued.number, {MoveCase{"end_dialogue", {}, ""}});
  ASSERT_EQ(back.stage, "follow_up");
  EXPECT_EQ(back.deadline->due, "2026-04-01") << "a dialogue does not extend the time to answer";
  EXPECT_EQ(back.fields.at("recommendations_issued_date"), "2026-03-02");
}

TEST_F(DeadlineAnchorTest, TheResultsReportCountsFromTheLastDayOfTheSession) {
  const std::string number = open_supervision("delegation");
  run(number, {MoveCase{"start_delegation", {{"session_date", "2026-07-20"}}, ""}});
  for (const char* kind : {"plan", "decision", "report_request", "minutes"}) attach(number, kind);
  run(number, {MoveCase{"establish_delegation", {}, ""}, MoveCase{"notify_supervised_body", {}, ""}});
  Case state = run(number, {MoveCase{"hold_session", {}, ""}});
  EXPECT_EQ(state.deadline->due, "2026-08-04");  // a one-day session: 15 days after session_date
  // The session lasted three days: the 15 days count from Wednesday 22 July.
  state = run(number, {SetFields{{{"session_end_date", "2026-07-22"}}}});
  EXPECT_EQ(state.deadline->due, "2026-08-06");
  const DeadlineSet changed = std::get<DeadlineSet>(store_->history(number)->back().event.payload);
  EXPECT_EQ(changed.reason, "field session_end_date changed");
  EXPECT_EQ(changed.previous_due, "2026-08-04");
  // Cleared again, the deadline falls back to the first day.
  state = run(number, {SetFields{{{"session_end_date", ""}}}});
  EXPECT_EQ(state.deadline->due, "2026-08-04");
}

}  // namespace
}  // namespace docket
