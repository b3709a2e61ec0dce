// `docket backup` and `docket migrate` through the real binary: a backup taken while other
// docket processes open cases holds every case they acknowledged before it began and passes
// `audit verify`; a file of an older schema is refused by every command (and by `serve`) until
// `docket migrate` (or `docket init`) has backed it up and upgraded it.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "case_fixture.h"
#include "store/database.h"

namespace docket::cli_test {
namespace {

class BackupCli : public CaseCliFixture {
 protected:
  void SetUp() override {
    CaseCliFixture::SetUp();
    set_up_directory();
  }
  int version_of(const fs::path& path) {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    return db.execAndGet("PRAGMA user_version").getInt();
  }
  bool holds_case(const fs::path& path, const std::string& number) {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    SQLite::Statement query(db, "SELECT COUNT(*) FROM cases WHERE number = ?");
    query.bind(1, number);
    return query.executeStep() && query.getColumn(0).getInt() == 1;
  }
  // The backups `docket migrate` left in the database's folder: DB.schema-N.TIME.bak (reading
  // one here leaves its -wal and -shm beside it, which are not counted).
  std::vector<fs::path> migration_backups() {
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(db_.parent_path())) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("docket.db.schema-", 0) == 0 && entry.path().extension() == ".bak") found.push_back(entry.path());
    }
    return found;
  }
  // Takes the file back one schema version: migrations since 8 run again on a file that has
  // them, so the file is what the last migration upgrades.
  int lower_schema_version() {
    const int older = schema_version() - 1;
    SQLite::Database db(db_, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = " + std::to_string(older));
    return older;
  }
};

TEST_F(BackupCli, ABackupTakenWhileOtherProcessesOpenCasesHoldsEveryCaseTheyAcknowledgedBeforeIt) {
  std::mutex mutex;
  std::vector<std::string> acknowledged;  // guarded by mutex
  std::string failure;                    // guarded by mutex
  std::atomic<bool> stopping{false};
  std::thread writer([&] {
    for (int i = 0; !stopping; ++i) {
      const Outcome run = finish(start({"--as", "lan", "case", "open", "social-critique", "--unit", "ninh-binh",
                                        "--title", "Dự thảo " + std::to_string(i), "--field",
                                        "drafting_body=Sở Tư pháp", "--field", "submission_date=2026-12-31"},
                                       "writer"));
      const std::lock_guard lock(mutex);
      if (run.exit_code != 0) {
        std::ostringstream said;
        said << run;
        failure = said.str();
        return;
      }
      acknowledged.push_back(run.out.substr(0, run.out.find('\n')));
    }
  });
  const auto count = [&] {
    const std::lock_guard lock(mutex);
    return acknowledged.size() + (failure.empty() ? 0 : 1000000);
  };
  while (count() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::vector<std::string> before;
  {
    const std::lock_guard lock(mutex);
    before = acknowledged;
  }
  const fs::path copy = dir_ / "docket-copy.db";
  const Outcome backup = docket({"backup", copy.string()});
  stopping = true;
  writer.join();
  ASSERT_TRUE(failure.empty()) << failure;
  ASSERT_EQ(backup.exit_code, 0) << backup;
  EXPECT_TRUE(contains(backup.out, "backed up " + db_.string() + " to " + copy.string())) << backup;
  EXPECT_TRUE(contains(backup.out, "verified the copy: integrity_check ok")) << backup;
  EXPECT_EQ(backup.out.substr(backup.out.size() - 5), "done\n") << backup;

  const Outcome verified = finish(start({"--db", copy.string(), "audit", "verify"}, "verify", /*pass_db=*/false));
  EXPECT_EQ(verified.exit_code, 0) << verified;
  for (const std::string& number : before) EXPECT_TRUE(holds_case(copy, number)) << number << " is not in the copy";
}

TEST_F(BackupCli, ABackupRefusesToReplaceAFileAndLeavesItAsItWas) {
  const fs::path copy = write("monday.db", "Monday's copy");
  const Outcome run = docket({"backup", copy.string()});
  EXPECT_EQ(run.exit_code, 1) << run;
  EXPECT_EQ(run.err.rfind("docket: already_exists: \"" + copy.string() + "\" already exists", 0), 0u) << run;
  EXPECT_EQ(read_file(copy), "Monday's copy");
  EXPECT_TRUE(run.out.empty()) << run;
}

TEST_F(BackupCli, AnOlderDatabaseIsRefusedUntilMigrateBacksItUpAndUpgradesIt) {
  const std::string number = open_critique();
  const int older = lower_schema_version();
  const std::string needs_migration = "docket: needs_migration: " + db_.string() + " has schema version " +
                                      std::to_string(older) + ", this docket needs " +
                                      std::to_string(schema_version()) +
                                      ": run \"docket migrate\" (it takes a backup first)\n";
  const Outcome show = as("lan", {"case", "show", number});
  EXPECT_EQ(show.exit_code, 1) << show;
  EXPECT_EQ(show.err, needs_migration) << show;
  EXPECT_EQ(version_of(db_), older) << "a refused command leaves the file as it was";

  const Outcome migrate = docket({"migrate"});
  ASSERT_EQ(migrate.exit_code, 0) << migrate;
  const std::vector<fs::path> backups = migration_backups();
  ASSERT_EQ(backups.size(), 1u) << migrate;
  EXPECT_EQ(backups.front().filename().string().rfind("docket.db.schema-" + std::to_string(older) + ".", 0), 0u);
  EXPECT_TRUE(contains(migrate.out, "backed up " + db_.string() + " to " + backups.front().string())) << migrate;
  EXPECT_TRUE(contains(migrate.out, "migrated database " + db_.string() + " from schema version " +
                                        std::to_string(older) + " to " + std::to_string(schema_version())))
      << migrate;
  EXPECT_EQ(version_of(backups.front()), older) << "the backup is the file as it was";
  EXPECT_TRUE(holds_case(backups.front(), number));
  EXPECT_EQ(version_of(db_), schema_version());
  EXPECT_TRUE(contains(ok("lan", {"case", "show", number}), number));

  const Outcome again = docket({"migrate"});
  EXPECT_EQ(again.exit_code, 0) << again;
  EXPECT_EQ(again.out,
            "database " + db_.string() + " is up to date (schema version " + std::to_string(schema_version()) + ")\n");
  EXPECT_EQ(migration_backups().size(), 1u) << "no backup when there is nothing to migrate";
}

TEST_F(BackupCli, InitOnAnOlderDatabaseBacksItUpBeforeUpgradingIt) {
  const std::string number = open_critique();
  const int older = lower_schema_version();
  const Outcome init = docket({"init"});
  ASSERT_EQ(init.exit_code, 0) << init;
  const std::vector<fs::path> backups = migration_backups();
  ASSERT_EQ(backups.size(), 1u) << init;
  EXPECT_TRUE(contains(init.out, "backed up " + db_.string() + " to " + backups.front().string())) << init;
  EXPECT_EQ(version_of(backups.front()), older) << "the backup is the file as it was";
  EXPECT_TRUE(holds_case(backups.front(), number));
  EXPECT_EQ(version_of(db_), schema_version());

  ASSERT_EQ(docket({"init"}).exit_code, 0);
  EXPECT_EQ(migration_backups().size(), 1u) << "no backup when there is nothing to migrate";
}

TEST_F(BackupCli, RestoreWaitsForTheServerToStopThenPutsTheBackupBackKeepingWhatItReplaced) {
  const std::string before = open_critique();
  const fs::path copy = dir_ / "monday.db";
  ASSERT_EQ(docket({"backup", copy.string()}).exit_code, 0);
  const std::string after = open_critique();

  Running serve = start({"serve", "--listen", "127.0.0.1:0"}, "serve");
  ASSERT_GT(serve.pid, 0);
  for (int waited = 0; waited < 500 && !contains(read_file(serve.out), "serving"); ++waited)
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  const Outcome refused = docket({"restore", copy.string()});
  ::kill(serve.pid, SIGTERM);
  ASSERT_EQ(finish(serve).exit_code, 0);
  EXPECT_EQ(refused.exit_code, 4) << refused;
  EXPECT_TRUE(contains(refused.err, "docket: busy: \"" + db_.string() + "\" is open in another program")) << refused;
  EXPECT_TRUE(holds_case(db_, after)) << "a refused restore changes nothing";

  const Outcome restored = docket({"restore", copy.string()});
  ASSERT_EQ(restored.exit_code, 0) << restored;
  EXPECT_TRUE(holds_case(db_, before));
  EXPECT_FALSE(holds_case(db_, after)) << "opened after the backup";
  std::vector<fs::path> kept;
  for (const auto& entry : fs::directory_iterator(db_.parent_path())) {
    if (entry.path().filename().string().rfind("docket.db.before-restore.", 0) == 0) kept.push_back(entry.path());
  }
  ASSERT_EQ(kept.size(), 1u) << restored;
  EXPECT_TRUE(contains(restored.out, "kept the database it replaced as " + kept.front().string())) << restored;
  EXPECT_TRUE(contains(restored.out, "restored " + db_.string() + " from " + copy.string())) << restored;
  EXPECT_TRUE(holds_case(kept.front(), after)) << "what the restore replaced is kept";
  const Outcome verified = docket({"audit", "verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified;
  EXPECT_TRUE(contains(ok("lan", {"case", "show", before}), before));
}

TEST_F(BackupCli, RestoreRefusesABackupThatFailsItsCheckAndChangesNothing) {
  const std::string number = open_critique();
  const fs::path damaged = write("damaged.db", std::string(8192, 'x'));
  const Outcome run = docket({"restore", damaged.string()});
  EXPECT_NE(run.exit_code, 0) << run;
  EXPECT_TRUE(contains(run.err, damaged.string())) << run;
  EXPECT_TRUE(holds_case(db_, number));
  const Outcome missing = docket({"restore", (dir_ / "no-such.db").string()});
  EXPECT_EQ(missing.exit_code, 1) << missing;
  EXPECT_TRUE(contains(missing.err, "docket: not_found: no backup at")) << missing;
  for (const auto& entry : fs::directory_iterator(db_.parent_path()))
    EXPECT_NE(entry.path().filename().string().rfind("docket.db.before-restore.", 0), 0u) << entry.path();
}

TEST_F(BackupCli, TheServerRefusesAnOlderDatabaseInsteadOfMigratingIt) {
  const int older = lower_schema_version();
  const Running serve = start({"serve", "--listen", "127.0.0.1:0"}, "serve");
  int status = 0;
  pid_t ended = 0;
  for (int waited = 0; waited < 1000 && ended == 0; ++waited) {
    ended = ::waitpid(serve.pid, &status, WNOHANG);
    if (ended == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (ended == 0) {
    ::kill(serve.pid, SIGKILL);
    ::waitpid(serve.pid, &status, 0);
    FAIL() << "docket serve ran on a database of schema version " << older;
  }
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << read_file(serve.err);
  EXPECT_TRUE(contains(read_file(serve.err), "docket: needs_migration: ")) << read_file(serve.err);
  EXPECT_EQ(version_of(db_), older);
}

}  // namespace
}  // namespace docket::cli_test
