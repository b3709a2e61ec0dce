// store/backup.h over a real SQLite file: a copy taken while another connection keeps opening
// cases holds every case acknowledged before it began, and a copy is never put where a file is,
// nor kept when it fails its check.
#include "store/backup.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "store/audit.h"
#include "store_fixture.h"

namespace docket {
namespace {

using testing::StoreTest;

class BackupTest : public StoreTest {
 protected:
  // The files in the test's folder other than the database and its companions.
  std::vector<std::string> other_files() {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(folder_)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("docket.db", 0) != 0) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
  }
};

// Opens cases on its own connection, as the server's writer would, until stopped; keeps the
// number of each case whose commit returned.
class CaseWriter {
 public:
  CaseWriter(std::unique_ptr<Database> db, const WorkflowCatalog& catalog, const Clock& clock)
      : db_(std::move(db)), store_(*db_, catalog, clock), thread_([this] { run(); }) {}
  ~CaseWriter() { stop(); }
  void stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::vector<std::string> acknowledged() {
    const std::lock_guard lock(mutex_);
    return acknowledged_;
  }
  void wait_for(std::size_t count) {
    while (acknowledged().size() < count && failure().empty())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::string failure() {
    const std::lock_guard lock(mutex_);
    return failure_;
  }
  std::chrono::microseconds longest_write() const { return std::chrono::microseconds(longest_write_us_.load()); }
  void reset_longest_write() { longest_write_us_ = 0; }

 private:
  void run() {
    while (!stopping_) {
      const auto began = std::chrono::steady_clock::now();
      auto opened = store_.open("social-critique", "lan",
                                OpenCase{"",
                                         "Dự thảo số " + std::to_string(acknowledged().size()),
                                         "ninh-binh",
                                         {{"submission_date", "2026-06-30"}, {"drafting_body", "Sở LĐ-TB&XH"}}});
      const auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - began);
      longest_write_us_ = std::max<std::int64_t>(longest_write_us_.load(), took.count());
      const std::lock_guard lock(mutex_);
      if (!opened) {
        failure_ = opened.error().message;
        return;
      }
      acknowledged_.push_back(opened.value().number);
    }
  }

  std::unique_ptr<Database> db_;
  CaseStore store_;
  std::mutex mutex_;
  std::vector<std::string> acknowledged_;  // guarded by mutex_
  std::string failure_;                    // guarded by mutex_
  std::atomic<bool> stopping_{false};
  std::atomic<std::int64_t> longest_write_us_{0};
  std::thread thread_;  // last: starts once the rest is made
};

TEST_F(BackupTest, ACopyTakenWhileCasesAreOpenedHoldsEveryCaseAcknowledgedBeforeIt) {
  for (int i = 0; i < 200; ++i) open_critique("Dự thảo trước sao lưu " + std::to_string(i));
  CaseWriter writer(open_db(), catalog_, clock_);
  writer.wait_for(20);
  const std::vector<std::string> before = writer.acknowledged();
  writer.reset_longest_write();
  // Small steps: the copy takes many, and the writer commits between them.
  auto copied = back_up(*db_, folder_ / "copy.db", BackupOptions{8, {}});
  const std::size_t during = writer.acknowledged().size() - before.size();
  const auto longest = writer.longest_write();
  writer.stop();
  ASSERT_TRUE(writer.failure().empty()) << writer.failure();
  ASSERT_TRUE(copied.ok()) << copied.error().message;
  EXPECT_GT(copied->steps, 1);
  EXPECT_EQ(copied->schema_version, schema_version());
  std::cout << "copied " << copied->pages << " pages in " << copied->steps << " steps while the writer committed "
            << during << " cases; its longest write took " << longest.count() << " us\n";

  auto copy = Database::open({folder_ / "copy.db", false, 1000, true});
  ASSERT_TRUE(copy.ok()) << copy.error().message;
  CaseStore copied_cases(**copy, catalog_, clock_);
  for (const std::string& number : before) EXPECT_TRUE(copied_cases.get(number).ok()) << number << " is missing";
  EXPECT_GE((*copy)->sql().execAndGet("SELECT COUNT(*) FROM cases").getInt64(),
            static_cast<std::int64_t>(200 + before.size()));
  auto chains = verify_audit(**copy);
  ASSERT_TRUE(chains.ok()) << chains.error().message;
  EXPECT_TRUE(chains->ok) << chains->problem;
  EXPECT_EQ(copied->events_verified, chains->events_checked);
  copy.value().reset();
  EXPECT_EQ(other_files(), std::vector<std::string>{"copy.db"}) << "no temporary file is left";
}

TEST_F(BackupTest, ACopyIsNeverWrittenOverAFileAlreadyThere) {
  std::ofstream(folder_ / "copy.db") << "yesterday's copy";
  auto copied = back_up(*db_, folder_ / "copy.db");
  ASSERT_FALSE(copied.ok());
  EXPECT_EQ(copied.error().code, ErrorCode::already_exists);
  EXPECT_NE(copied.error().message.find("copy.db"), std::string::npos) << copied.error().message;
  std::ifstream kept(folder_ / "copy.db");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(kept), {}), "yesterday's copy");
  EXPECT_EQ(other_files(), std::vector<std::string>{"copy.db"});
}

TEST_F(BackupTest, ACopyWhoseHistoryFailsTheCheckIsNotKept) {
  const Case opened = open_critique();
  db_->sql().exec("DROP TRIGGER events_no_update");
  db_->sql().exec("UPDATE events SET payload = replace(payload, '2026-06-30', '2026-07-30') WHERE case_seq = 1");
  auto copied = back_up(*db_, folder_ / "copy.db");
  ASSERT_FALSE(copied.ok());
  EXPECT_EQ(copied.error().code, ErrorCode::integrity);
  EXPECT_NE(copied.error().message.find("case history is broken"), std::string::npos) << copied.error().message;
  EXPECT_NE(copied.error().message.find(opened.number), std::string::npos) << copied.error().message;
  EXPECT_TRUE(other_files().empty()) << "neither the copy nor its temporary file is left";
}

}  // namespace
}  // namespace docket
