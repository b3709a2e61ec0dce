// The deadlines plugin against a real SQLite file, the shipped calendar and a fake clock.
#include "deadlines/deadlines_plugin.h"

#include "deadlines_fixture.h"

namespace docket {
namespace {

TEST_F(DeadlinesTest, CritiqueIsDueTheWorkingDayBeforeSubmission) {
  const Case opened = open_critique("2026-06-30");  // a Tuesday
  ASSERT_TRUE(opened.deadline.has_value());
  EXPECT_EQ(opened.deadline->due, "2026-06-29");
  EXPECT_EQ(format_timestamp(opened.deadline->due_at), "2026-06-29T17:00:00Z");  // midnight in Vietnam
  // One pending timer, the first reminder, carrying the stage's later moments.
  ASSERT_EQ(store_->pending_timers(opened.number).value().size(), 1u);
  const auto timers = DeadlinesPlugin::planned(store_->pending_timers(opened.number).value());
  ASSERT_EQ(timers.size(), 5u);  // reminders 10, 5, 3 days before; breach; escalation
  EXPECT_EQ(timers[0].kind, "reminder");
  EXPECT_EQ(format_timestamp(timers[0].due_at), "2026-06-19T01:00:00Z");  // 08:00 in Vietnam
  EXPECT_EQ(timers[3].kind, "breach");
  EXPECT_EQ(timers[4].kind, "escalation");
  EXPECT_EQ(history_types(opened.number).back(), "deadline.set@2026-03-02T02:00:00Z");
  // The first reminder fires; the next moment becomes the pending timer and carries the rest.
  clock_.set(timers[0].due_at);
  ASSERT_EQ(store_->fire_due_timers().value(), 1);
  ASSERT_EQ(store_->pending_timers(opened.number).value().size(), 1u);
  const auto rest = DeadlinesPlugin::planned(store_->pending_timers(opened.number).value());
  ASSERT_EQ(rest.size(), 4u);
  for (std::size_t i = 0; i < rest.size(); ++i) {
    EXPECT_EQ(rest[i].kind, timers[i + 1].kind);
    EXPECT_EQ(rest[i].due_at, timers[i + 1].due_at);
    EXPECT_EQ(rest[i].attributes, timers[i + 1].attributes);
  }
}

// A scheduler that fell behind owes every moment that came due, not one per case: the gauge of
// what is due counts the reminders and the breach that the case's one pending timer carries.
TEST_F(DeadlinesTest, MomentsDueCountsEveryDueMomentACaseCarries) {
  const Case opened = open_critique("2026-06-30");
  const auto moments = DeadlinesPlugin::planned(store_->pending_timers(opened.number).value());
  ASSERT_EQ(moments.size(), 5u);  // reminders 10, 5, 3 days before; breach; escalation
  EXPECT_EQ(store_->moments_due().value(), 0);
  clock_.set(moments[0].due_at);
  EXPECT_EQ(store_->moments_due().value(), 1);
  clock_.set(moments[3].due_at - std::chrono::seconds{1});  // the three reminders, none fired
  ASSERT_EQ(store_->pending_timers(opened.number).value().size(), 1u);
  EXPECT_EQ(store_->moments_due().value(), 3);
  clock_.set(moments[4].due_at);  // and the breach and the escalation
  EXPECT_EQ(store_->moments_due().value(), 5);
  ASSERT_EQ(store_->fire_due_timers().value(), 5);
  EXPECT_EQ(store_->moments_due().value(), 0);
}

// A change writes only the case columns whose value moved. Whatever changed — a document, a
// field that moves the deadline, an assignee, a stage, a breach, the end — the row read afresh
// by another connection, and the lists served from the case indexes, agree with the case the
// change returned.
TEST_F(DeadlinesTest, EveryKindOfChangeLeavesTheStoredRowAndItsIndexesAsTheChangeReturnedIt) {
  auto other_db = open_db();
  ASSERT_NE(other_db, nullptr);
  const auto numbers = [](const std::vector<Case>& cases) {
    std::vector<std::string> found;
    for (const Case& c : cases) found.push_back(c.number);
    return found;
  };
  const auto agrees = [&](const Case& returned, const std::string& step) {
    SCOPED_TRACE(step);
    CaseStore other(*other_db, catalog_, clock_);  // no cache: reads the row
    EXPECT_EQ(other.get(returned.number).value(), returned);
    CaseFilter stage;
    stage.workflow = returned.workflow_id;
    stage.stage = returned.stage;
    EXPECT_EQ(numbers(other.list(stage).value()), std::vector<std::string>{returned.number});
    CaseFilter assignee;
    assignee.assignee = "can-bo";
    EXPECT_EQ(numbers(other.list(assignee).value()).size(), returned.assignee == "can-bo" ? 1u : 0u);
    CaseFilter open;
    open.open_only = true;
    open.unit = "gia-vien";
    const bool closed = returned.stage == "withdrawn";
    EXPECT_EQ(numbers(other.list(open).value()).size(), closed ? 0u : 1u);
    const bool overdue = !closed && returned.deadline && returned.deadline->due_at < clock_.now();
    EXPECT_EQ(numbers(other.overdue(open).value()).size(), overdue ? 1u : 0u);
    EXPECT_EQ(numbers(other.due_within(open, std::chrono::hours{24 * 400}).value()).size(),
              !closed && returned.deadline && !overdue ? 1u : 0u);
  };
  const Case opened = open_critique("2026-06-30");
  agrees(opened, "opened");
  const std::string number = opened.number;
  agrees(attach(number, "draft"), "document attached");
  agrees(run(number, {AddComment{"Cần bổ sung số liệu hộ cận nghèo"}}), "comment");
  const Case moved = run(number, {SetFields{{{"submission_date", "2026-03-10"}, {"document_title", "Nghị quyết"}}}});
  EXPECT_EQ(moved.deadline->due, "2026-03-09");  // the anchor moved the deadline
  agrees(moved, "anchor field changed");
  agrees(run(number, {AssignCase{"can-bo"}}), "assigned");
  clock_.set(at("2026-03-12T00:00:00Z"));
  ASSERT_TRUE(store_->fire_due_timers().ok());
  const Case breached = store_->get(number).value();
  ASSERT_TRUE(breached.deadline && breached.deadline->breached);
  agrees(breached, "breached by the scheduler");
  agrees(run(number, {SetFields{{{"received_date", "2026-03-02"}}}, MoveCase{"assign", {}, "Giao ban"}}),
         "stage changed");
  // An outside party cannot hold the case (issue #23 item 4): reassigned to another officer.
  ASSERT_TRUE(Directory(*db_, clock_).add_user("pho-ban", "Lê Thị Hoa", "gia-vien", {"officer"}).ok());
  agrees(run(number, {AssignCase{"pho-ban"}}), "assignee changed");
  agrees(run(number, {MoveCase{"withdraw", {{"end_reason", "Rút dự thảo"}}, ""}}), "closed");
}

TEST_F(DeadlinesTest, SubmissionOnMondayRollsTheCritiqueBackOverTheWeekend) {
  EXPECT_EQ(open_critique("2026-07-06").deadline->due, "2026-07-03");  // Sunday 5th -> Friday 3rd
  EXPECT_EQ(open_critique("2026-04-28").deadline->due, "2026-04-24");  // 27 Apr is the day off for Giỗ Tổ
}

TEST_F(DeadlinesTest, DelegationDeadlinesFollowTheSessionDate) {
  auto opened = store_->open("supervision", "can-bo",
                             OpenCase{"",
                                      "Giám sát bình xét hộ nghèo năm 2026",
                                      "gia-vien",
                                      {{"subject", "Bình xét hộ nghèo"}, {"supervised_body", "UBND xã Gia Viễn"}}});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  const std::string number = opened->number;
  Case state = run(number, {SetFields{{{"supervision_form", "delegation"}}},
                            MoveCase{"start_delegation", {{"session_date", "2026-07-20"}}, ""}});
  EXPECT_EQ(state.deadline->due, "2026-07-03");  // 15 days before Monday 20 July is Sunday 5 July: back to Friday
  attach(number, "plan");
  attach(number, "decision");
  state = run(number, {MoveCase{"establish_delegation", {}, ""}});
  EXPECT_EQ(state.deadline->due, "2026-07-03");
  attach(number, "report_request");
  state = run(number, {MoveCase{"notify_supervised_body", {}, ""}});
  EXPECT_EQ(state.deadline->due, "2026-07-13");  // the body's report: 7 days before the session
  attach(number, "minutes");
  state = run(number, {MoveCase{"hold_session", {}, ""}});
  EXPECT_EQ(state.deadline->due, "2026-08-04");  // the results report: 15 days after the session
  // The session is moved: the deadline moves with it and the history says so.
  state = run(number, {SetFields{{{"session_date", "2026-07-27"}}}});
  EXPECT_EQ(state.deadline->due, "2026-08-11");
  const StoredEvent last = store_->history(number)->back();
  EXPECT_EQ(last.type, "deadline.changed");
  const auto& changed = std::get<DeadlineSet>(last.event.payload);
  EXPECT_EQ(changed.previous_due, "2026-08-04");
  EXPECT_EQ(changed.reason, "field session_date changed");
}

TEST_F(DeadlinesTest, RemindersBreachAndEscalationFireInOrderAtTheirTimes) {
  const Case issued = critique_awaiting_answer();  // issued 2026-03-02: answer due 20 days later
  EXPECT_EQ(issued.deadline->due, "2026-03-23");   // 22 March is a Sunday: rolled to Monday
  // Walk the clock forward a day at a time, as a running server would see it.
  for (Timestamp now = clock_.now(); now < at("2026-03-26T00:00:00Z"); now += std::chrono::hours{24}) {
    clock_.set(now);
    ASSERT_TRUE(store_->fire_due_timers().ok());
  }
  std::vector<std::string> after_issue;
  for (const auto& type : history_types(issued.number)) {
    if (type.find("@2026-03-02") == std::string::npos) after_issue.push_back(type);
  }
  EXPECT_EQ(history_types(issued.number).at(issued.version - 1),
            "deadline.set@2026-03-02T02:00:00Z");  // the answer's due date
  const std::vector<std::string> expected{
      "deadline.reminder@2026-03-18T02:00:00Z",  // 5 days before, fired on the first tick after 08:00 Vietnam time
      "deadline.reminder@2026-03-23T02:00:00Z",  // 1 day before is Sunday 22nd: the next working morning
      "deadline.breached@2026-03-24T02:00:00Z",         "recommendation.unanswered@2026-03-24T02:00:00Z",
      "recommendation.unanswered@2026-03-24T02:00:00Z", "case.escalated@2026-03-24T02:00:00Z",
      "recommendation.escalated@2026-03-24T02:00:00Z",  "recommendation.escalated@2026-03-24T02:00:00Z"};
  EXPECT_EQ(after_issue, expected);
  const Case escalated = store_->get(issued.number).value();
  EXPECT_TRUE(escalated.deadline->breached);
  EXPECT_EQ(escalated.deadline->escalated_to_role, "standing_board");
  EXPECT_EQ(escalated.deadline->escalated_to_unit, "ninh-binh");  // the parent of gia-vien
  EXPECT_EQ(escalated.recommendations[0].status, RecommendationStatus::escalated);
  EXPECT_TRUE(store_->pending_timers(issued.number).value().empty());
  CaseFilter all;
  EXPECT_EQ(store_->overdue(all).value().size(), 1u);
}

TEST_F(DeadlinesTest, AfterDowntimeEveryDueTimerFiresExactlyOnceInDueOrder) {
  const Case issued = critique_awaiting_answer();
  const auto events_before = store_->event_count().value();
  // The process stops; the clock moves past every due time; a new process starts.
  store_.reset();
  clock_.set(at("2026-04-15T00:00:00Z"));
  restart();
  auto fired = store_->fire_due_timers();
  ASSERT_TRUE(fired.ok());
  EXPECT_EQ(fired.value(), 4);  // 2 reminders, breach, escalation
  EXPECT_EQ(store_->fire_due_timers().value(), 0);
  restart();
  EXPECT_EQ(store_->fire_due_timers().value(), 0);
  auto history = store_->history(issued.number).value();
  std::vector<std::string> types;
  for (std::size_t i = static_cast<std::size_t>(history.size() - (store_->event_count().value() - events_before));
       i < history.size(); ++i) {
    types.push_back(history[i].type);
  }
  const std::vector<std::string> expected{"deadline.reminder",         "deadline.reminder",         "deadline.breached",
                                          "recommendation.unanswered", "recommendation.unanswered", "case.escalated",
                                          "recommendation.escalated",  "recommendation.escalated"};
  EXPECT_EQ(types, expected);
  EXPECT_TRUE(verify_audit(*db_).value().ok);
}

TEST_F(DeadlinesTest, LeavingTheStageClearsItsTimers) {
  const Case opened = open_critique("2026-06-30");
  attach(opened.number, "draft");
  run(opened.number, {SetFields{{{"document_title", "x"}, {"received_date", "2026-03-02"}}},
                      MoveCase{"withdraw", {{"end_reason", "Rút dự thảo"}}, ""}});
  EXPECT_TRUE(store_->pending_timers(opened.number).value().empty());
  EXPECT_FALSE(store_->get(opened.number)->deadline.has_value());
  clock_.set(at("2026-12-01T00:00:00Z"));
  EXPECT_EQ(store_->fire_due_timers().value(), 0);
}

TEST_F(DeadlinesTest, AHolidayAddedToTheCalendarMovesAnOpenDeadline) {
  const Case opened = open_critique("2026-06-30");
  EXPECT_EQ(opened.deadline->due, "2026-06-29");
  // A provincial day off on Monday 29 June 2026 is added to the calendar.
  const auto local = folder_ / "local";
  std::filesystem::create_directories(local);
  std::ofstream(local / "vn-ninh-binh-2026.json") << R"({"calendar": "vn-ninh-binh", "year": 2026, "version": 1,
    "effective_from": "2026-03-01", "weekend": ["saturday", "sunday"],
    "holidays": [{"date": "2026-06-29", "name": {"vi": "Nghỉ theo quyết định của tỉnh", "en": "Provincial day off"}}]})";
  ASSERT_EQ(CalendarRegistry(*db_, clock_).install_directory(local).value(), 1);
  calendar_ = CalendarRegistry(*db_, clock_).calendar().value();
  auto moved = store_->run_plugin_action(
      opened.number, plugin_, [&](const WorkflowDefinition& def, const Case& current, PluginContext& context) {
        return plugin_.recompute(def, current, context, "calendar changed");
      });
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->deadline->due, "2026-06-26");  // rolled back over the new day off and the weekend
  const StoredEvent last = store_->history(opened.number)->back();
  EXPECT_EQ(last.type, "deadline.changed");
  EXPECT_EQ(std::get<DeadlineSet>(last.event.payload).previous_due, "2026-06-29");
  EXPECT_EQ(std::get<DeadlineSet>(last.event.payload).due, "2026-06-26");
  EXPECT_EQ(format_timestamp(DeadlinesPlugin::planned(store_->pending_timers(opened.number).value())[3].due_at),
            "2026-06-26T17:00:00Z");
}

}  // namespace
}  // namespace docket
