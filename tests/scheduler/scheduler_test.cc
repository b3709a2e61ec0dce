// The deadline scheduler over a real SQLite file with the shipped workflows and calendars, a
// fake clock moved by hand, and an executor the test drains on its own thread: nothing sleeps.
#include "scheduler/scheduler.h"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>

#include "store/calendar_registry.h"
#include "store/directory.h"
#include "store/search_index.h"
#include "store/workflow_registry.h"

namespace docket {
namespace {

using std::chrono::seconds;

Timestamp at(const char* text) { return *parse_datetime(text); }

// An executor whose jobs wait until the test runs them (run_next), on the test's connection.
class ManualExecutor {
 public:
  Scheduler::Executor executor() {
    return [this](std::function<void(Workspace&)> job) {
      {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
      }
      posted_.notify_all();
      return true;
    };
  }
  // Runs the oldest job on `workspace`; false when none came within a minute.
  bool run_next(Workspace& workspace) {
    std::function<void(Workspace&)> job;
    {
      std::unique_lock lock(mutex_);
      if (!posted_.wait_for(lock, std::chrono::minutes{1}, [this] { return !jobs_.empty(); })) return false;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job(workspace);
    return true;
  }
  std::size_t waiting() const {
    std::lock_guard lock(mutex_);
    return jobs_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable posted_;
  std::deque<std::function<void(Workspace&)>> jobs_;
};

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "docket-scheduler-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    folder_ = pattern;
    const DatabaseOptions options{folder_ / "docket.db", true, 5000, true};
    {
      auto db = Database::open(options);
      ASSERT_TRUE(db.ok()) << db.error().message;
      ASSERT_TRUE(WorkflowRegistry(**db, clock_).install_directory(DOCKET_WORKFLOWS_DIR).ok());
      ASSERT_TRUE(CalendarRegistry(**db, clock_)
                      .install_directory(std::filesystem::path(DOCKET_WORKFLOWS_DIR) / "calendars")
                      .ok());
      Directory directory(**db, clock_);
      ASSERT_TRUE(directory.add_unit({"gia-vien", "Ủy ban MTTQ xã Gia Viễn", "commune", ""}).ok());
      ASSERT_TRUE(directory
                      .add_user("can-bo", "Trần Văn Bình", "gia-vien",
                                {"standing_board", "department_head", "officer", "delegation_head"})
                      .ok());
    }
    auto workspace = Workspace::open(options, clock_);
    ASSERT_TRUE(workspace.ok()) << workspace.error().message;
    workspace_ = std::move(workspace.value());
  }
  void TearDown() override {
    workspace_.reset();
    std::filesystem::remove_all(folder_);
  }

  // A critique case submitted on `submission_date`: its first reminder is due ten working days
  // before, at 08:00 in Vietnam (tests/plugins/deadlines_test.cc).
  std::string open_critique(const char* submission_date) {
    auto opened = workspace_->cases().open(
        "social-critique", "can-bo",
        OpenCase{
            "", "Dự thảo Nghị quyết", "gia-vien", {{"submission_date", submission_date}, {"drafting_body", "UBND"}}});
    EXPECT_TRUE(opened.ok()) << opened.error().message;
    return opened ? opened->number : "";
  }
  // How many events of `type` the case's history holds.
  int recorded(const std::string& number, const std::string& type) {
    int count = 0;
    for (const auto& stored : workspace_->cases().history(number).value()) count += stored.type == type;
    return count;
  }
  int reminders_recorded(const std::string& number) { return recorded(number, "deadline.reminder"); }

  std::filesystem::path folder_;
  FixedClock clock_{at("2026-03-02T02:00:00Z")};
  std::unique_ptr<Workspace> workspace_;
};

TEST_F(SchedulerTest, ARoundFiresWhatIsDueOnceAndReadsWhenTheNextIsDue) {
  const std::string number = open_critique("2026-06-30");
  auto early = fire_due_timers_once(*workspace_);
  ASSERT_TRUE(early.ok()) << early.error().message;
  EXPECT_EQ(early->fired, 0);
  ASSERT_TRUE(early->next_due.has_value());
  EXPECT_EQ(format_timestamp(*early->next_due), "2026-06-19T01:00:00Z");

  clock_.set(*early->next_due);
  auto due = fire_due_timers_once(*workspace_);
  ASSERT_TRUE(due.ok()) << due.error().message;
  EXPECT_EQ(due->fired, 1);
  EXPECT_EQ(reminders_recorded(number), 1);
  ASSERT_TRUE(due->next_due.has_value());
  EXPECT_GT(*due->next_due, clock_.now()) << "the next reminder is later";

  auto again = fire_due_timers_once(*workspace_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->fired, 0) << "a timer fires once";
  EXPECT_EQ(again->next_due, due->next_due);
  EXPECT_EQ(reminders_recorded(number), 1);
}

TEST_F(SchedulerTest, ItSleepsUntilTheNextDueMomentAndAtMostAMinute) {
  const Timestamp now = clock_.now();
  EXPECT_EQ(Scheduler::sleep_until(now + seconds{30}, now), seconds{30});
  EXPECT_EQ(Scheduler::sleep_until(now, now), seconds{0});
  EXPECT_EQ(Scheduler::sleep_until(now - seconds{5}, now), seconds{0}) << "overdue: at once";
  EXPECT_EQ(Scheduler::sleep_until(now + std::chrono::hours{24}, now), Scheduler::kMaxSleep);
  EXPECT_EQ(Scheduler::sleep_until(std::nullopt, now), Scheduler::kMaxSleep);
}

// The scheduler's thread hands each round to the executor, sleeps for what the round read, and
// reads again when a write wakes it.
TEST_F(SchedulerTest, ItsThreadFiresOnTheExecutorAndReadsAgainAfterAWrite) {
  ManualExecutor writer;
  Scheduler scheduler(clock_, writer.executor());
  scheduler.start();
  ASSERT_TRUE(writer.run_next(*workspace_));  // the first round, at once
  EXPECT_EQ(scheduler.state().rounds, 1);
  EXPECT_FALSE(scheduler.state().next_due.has_value());
  EXPECT_EQ(scheduler.state().sleep, Scheduler::kMaxSleep);

  // A write sets a timer: the writer calls after_write, and the next round reads it.
  const std::string number = open_critique("2026-06-30");
  scheduler.after_write(*workspace_);
  scheduler.wake();  // wakes that come while a round is queued make one round, not one each
  ASSERT_TRUE(writer.run_next(*workspace_));
  EXPECT_EQ(writer.waiting(), 0u);
  ASSERT_TRUE(scheduler.state().next_due.has_value());
  const Timestamp reminder = *scheduler.state().next_due;
  EXPECT_EQ(format_timestamp(reminder), "2026-06-19T01:00:00Z");

  // Ten seconds before it is due, a round sleeps ten seconds.
  clock_.set(reminder - seconds{10});
  scheduler.wake();
  ASSERT_TRUE(writer.run_next(*workspace_));
  EXPECT_EQ(scheduler.state().sleep, seconds{10});
  EXPECT_EQ(reminders_recorded(number), 0);

  clock_.set(reminder);
  scheduler.wake();
  ASSERT_TRUE(writer.run_next(*workspace_));
  EXPECT_EQ(reminders_recorded(number), 1);
  EXPECT_GT(*scheduler.state().next_due, reminder);
  scheduler.stop();
  EXPECT_EQ(scheduler.state().rounds, 4);
}

// A scheduler that was not running (a restart) fires on its first round every timer that fell
// due meanwhile: they are in the database.
TEST_F(SchedulerTest, AfterARestartTheFirstRoundFiresWhatFellDueMeanwhile) {
  const std::string first = open_critique("2026-06-30");
  const std::string second = open_critique("2026-07-31");
  workspace_.reset();
  clock_.set(at("2026-08-01T02:00:00Z"));
  auto reopened = Workspace::open(DatabaseOptions{folder_ / "docket.db", false, 5000, true}, clock_);
  ASSERT_TRUE(reopened.ok());
  workspace_ = std::move(reopened.value());
  ManualExecutor writer;
  Scheduler scheduler(clock_, writer.executor());
  scheduler.start();
  ASSERT_TRUE(writer.run_next(*workspace_));
  scheduler.stop();
  for (const std::string& number : {first, second}) {
    EXPECT_EQ(reminders_recorded(number), 3) << number;
    EXPECT_EQ(recorded(number, "deadline.breached"), 1) << number;
  }
  EXPECT_EQ(workspace_->cases().moments_due().value(), 0);
}

TEST_F(SchedulerTest, WritesBringTheSearchIndexUpToDateAtMostOncePerInterval) {
  Scheduler scheduler(
      clock_, [](const std::function<void(Workspace&)>&) { return false; }, std::chrono::hours{1});
  SearchIndex index(workspace_->database());
  open_critique("2026-06-30");
  ASSERT_TRUE(index.behind().value());
  scheduler.after_write(*workspace_);
  EXPECT_FALSE(index.behind().value());
  open_critique("2026-07-31");
  scheduler.after_write(*workspace_);
  EXPECT_TRUE(index.behind().value()) << "within the interval the index waits for the next write or a search";
}

// A periodic duty (the server's signed checkpoints) rides on the same rounds: it runs in the
// first round, then in the first round after each period, and a round sleeps no longer than
// until it is due again.
TEST_F(SchedulerTest, ADutyRunsInTheFirstRoundThenOncePerPeriodOnTheExecutor) {
  ManualExecutor writer;
  Scheduler scheduler(clock_, writer.executor());
  int ran = 0;
  scheduler.every(seconds{40}, [&ran](Workspace&) { ++ran; });
  scheduler.start();
  ASSERT_TRUE(writer.run_next(*workspace_));
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(scheduler.state().sleep, seconds{40}) << "no timer waits: until the duty is due, under a minute";

  clock_.set(clock_.now() + seconds{30});
  scheduler.wake();
  ASSERT_TRUE(writer.run_next(*workspace_));
  EXPECT_EQ(ran, 1) << "not due yet";
  EXPECT_EQ(scheduler.state().sleep, seconds{10});

  clock_.set(clock_.now() + seconds{10});
  scheduler.wake();
  ASSERT_TRUE(writer.run_next(*workspace_));
  EXPECT_EQ(ran, 2);
  scheduler.stop();
}

}  // namespace
}  // namespace docket
