// The deadlines plugin and the calendar's edges: reminders on days off, a scheduler that was
// down, and due dates counted through a year the calendar has no file for.
#include "deadlines_fixture.h"

namespace docket {
namespace {

class DeadlineCalendarTest : public DeadlinesTest {
 protected:
  // The deadline.reminder events of the case, oldest first.
  std::vector<DeadlineReminded> reminders(const std::string& number) {
    std::vector<DeadlineReminded> found;
    for (const auto& stored : store_->history(number).value()) {
      if (const auto* reminded = std::get_if<DeadlineReminded>(&stored.event.payload)) found.push_back(*reminded);
    }
    return found;
  }
  // Installs a calendar file for 2029 with `holidays` (JSON list) and recomputes the case.
  Case load_2029(const std::string& number, const std::string& holidays) {
    const auto folder = folder_ / "calendar-2029";
    std::filesystem::create_directories(folder);
    std::ofstream(folder / "vn-2029.json") << R"({"calendar": "vn", "year": 2029, "version": 1,
      "effective_from": "2028-11-01", "weekend": ["saturday", "sunday"], "holidays": )"
                                           << holidays << "}";
    EXPECT_EQ(CalendarRegistry(*db_, clock_).install_directory(folder).value(), 1);
    calendar_ = CalendarRegistry(*db_, clock_).calendar().value();
    auto after = store_->run_plugin_action(
        number, plugin_, [&](const WorkflowDefinition& def, const Case& current, PluginContext& context) {
          return plugin_.recompute(def, current, context, "calendar changed");
        });
    EXPECT_TRUE(after.ok()) << after.error().message;
    return after ? *after : Case{};
  }
};

// The answer is due Monday 23 March 2026; its 1-day reminder would be Sunday 22 March.
TEST_F(DeadlineCalendarTest, AReminderDueOnASundayComesOnTheNextWorkingMorning) {
  const Case issued = critique_awaiting_answer();
  ASSERT_EQ(issued.deadline->due, "2026-03-23");
  const auto planned = DeadlinesPlugin::planned(store_->pending_timers(issued.number).value());
  ASSERT_EQ(planned.at(1).kind, "reminder");
  EXPECT_EQ(format_timestamp(planned.at(1).due_at), "2026-03-23T01:00:00Z");  // Monday 08:00 in Vietnam
  clock_.set(planned.at(1).due_at);
  ASSERT_TRUE(store_->fire_due_timers().ok());
  const auto recorded = reminders(issued.number);
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[1].days_before, 1);
  EXPECT_EQ(recorded[1].days_left, 0) << "it comes on the due day: due today, not in 1 day";
  EXPECT_TRUE(recorded[1].skipped.empty());
}

// A scheduler that was down catches up in due order, but a reminder whose deadline has passed
// has nothing left to remind of: it is recorded as skipped, not as "due in 5 days".
TEST_F(DeadlineCalendarTest, RemindersCaughtUpAfterTheBreachAreRecordedAsSkipped) {
  const Case issued = critique_awaiting_answer();  // due 2026-03-23, breached 2026-03-23T17:00:00Z
  store_.reset();
  clock_.set(at("2026-04-15T00:00:00Z"));
  restart();
  ASSERT_EQ(store_->fire_due_timers().value(), 4);
  const auto recorded = reminders(issued.number);
  ASSERT_EQ(recorded.size(), 2u);
  for (const auto& reminder : recorded) {
    EXPECT_NE(reminder.skipped.find("the deadline passed at 2026-03-23T17:00:00Z"), std::string::npos)
        << reminder.skipped;
    EXPECT_FALSE(reminder.days_left.has_value());
  }
  const StoredEvent first = store_->history(issued.number)->at(issued.version);
  EXPECT_EQ(first.type, "deadline.reminder");
  EXPECT_NE(first.payload_json.find("\"skipped\""), std::string::npos) << first.payload_json;
}

// Late but before the breach: the reminder says what is actually left.
TEST_F(DeadlineCalendarTest, ALateReminderSaysTheDaysActuallyLeft) {
  const Case issued = critique_awaiting_answer();  // the 5-day reminder is due 2026-03-18 08:00
  store_.reset();
  clock_.set(at("2026-03-20T02:00:00Z"));
  restart();
  ASSERT_EQ(store_->fire_due_timers().value(), 1);
  const auto recorded = reminders(issued.number);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].days_before, 5);
  EXPECT_EQ(recorded[0].days_left, 3);  // Friday 20 to Monday 23 March
  EXPECT_TRUE(recorded[0].skipped.empty());
}

TEST_F(DeadlineCalendarTest, ADueDateInAYearWithoutACalendarIsProvisionalUntilItsFileIsLoaded) {
  const Case opened = open_critique("2029-03-15");  // a Thursday
  ASSERT_TRUE(opened.deadline.has_value());
  EXPECT_EQ(opened.deadline->due, "2029-03-14");
  EXPECT_EQ(opened.deadline->provisional, "no working-day calendar for 2029");
  const StoredEvent set = store_->history(opened.number)->back();
  EXPECT_EQ(set.type, "deadline.set");
  EXPECT_EQ(std::get<DeadlineSet>(set.event.payload).provisional, "no working-day calendar for 2029");
  EXPECT_EQ(store_->get(opened.number)->deadline, opened.deadline) << "the flag is stored with the case";
  // The 2029 file makes Wednesday 14 March a day off: the due date moves and is final.
  const Case moved = load_2029(opened.number, R"([{"date": "2029-03-14", "name": {"vi": "Nghỉ", "en": "Off"}}])");
  EXPECT_EQ(moved.deadline->due, "2029-03-13");
  EXPECT_TRUE(moved.deadline->provisional.empty());
  const StoredEvent changed = store_->history(opened.number)->back();
  EXPECT_EQ(changed.type, "deadline.changed");
  EXPECT_TRUE(std::get<DeadlineSet>(changed.event.payload).provisional.empty());
}

TEST_F(DeadlineCalendarTest, AProvisionalDueDateThatDoesNotMoveStillLosesItsFlag) {
  const Case opened = open_critique("2029-03-15");
  const std::int64_t version = opened.version;
  const Case reloaded = load_2029(opened.number, "[]");
  EXPECT_EQ(reloaded.deadline->due, "2029-03-14");
  EXPECT_TRUE(reloaded.deadline->provisional.empty());
  EXPECT_EQ(reloaded.version, version + 1);
  EXPECT_EQ(store_->history(opened.number)->back().type, "deadline.changed");
}

// 2028 ships: a deadline counted across Tết Mậu Thân is final and skips it.
TEST_F(DeadlineCalendarTest, ADueDateIn2028IsFinalAndKnowsTet) {
  const Case opened = open_critique("2028-01-31");  // Monday after Tết: the day before is a Sunday
  EXPECT_EQ(opened.deadline->due, "2028-01-21");    // back over the weekend and Mon 24 - Fri 28 January
  EXPECT_TRUE(opened.deadline->provisional.empty());
}

}  // namespace
}  // namespace docket
