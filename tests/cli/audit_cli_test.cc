// The audit history and faults through the real docket binary: a tampered event is named by
// `audit verify`, docket processes killed with SIGKILL lose nothing they acknowledged, and
// two writers racing on one case give one success and one conflict.
#include <signal.h>

#include <chrono>
#include <set>
#include <thread>

#include "case_fixture.h"

namespace docket::cli_test {
namespace {

class AuditCli : public CaseCliFixture {
 protected:
  void SetUp() override {
    CaseCliFixture::SetUp();
    set_up_directory();
    number_ = open_critique();
  }
  std::string number_;
};

TEST_F(AuditCli, VerifyPassesThenNamesTheOneEventChangedBehindDocketsBack) {
  ok("lan", {"case", "comment", number_, "Lần một"});
  ok("lan", {"case", "comment", number_, "Lần hai"});
  ok("lan", {"case", "comment", number_, "Lần ba"});
  EXPECT_EQ(ok("", {"audit", "verify"}), "5 events verified\n");  // opened, its due date, 3 comments
  {
    SQLite::Database db(db_, SQLite::OPEN_READWRITE);
    db.exec("DROP TRIGGER events_no_update");
    SQLite::Statement edit(db, "UPDATE events SET payload = replace(payload, 'Lần hai', 'Lần bốn') WHERE case_seq = 4");
    ASSERT_EQ(edit.exec(), 1);
  }
  const Outcome run = docket({"audit", "verify"});
  EXPECT_EQ(run.exit_code, 1) << run;
  EXPECT_EQ(run.err.rfind("docket: audit_broken: event 4 (case " + number_ + ", sequence 4) is broken", 0), 0u) << run;
  EXPECT_TRUE(run.out.empty()) << run;
}

TEST_F(AuditCli, AHistoryThatCannotBeReadIsAStorageFaultNotABrokenChain) {
  {
    SQLite::Database db(db_, SQLite::OPEN_READWRITE);
    db.exec("ALTER TABLE events RENAME TO gone_events");
  }
  const Outcome run = docket({"audit", "verify"});
  EXPECT_EQ(run.exit_code, 5) << run;
  EXPECT_EQ(run.err.rfind("docket: storage: ", 0), 0u) << run;
  EXPECT_TRUE(contains(run.err, "no such table")) << run;
  EXPECT_TRUE(run.out.empty()) << run;
}

TEST_F(AuditCli, ExportWritesOneLinePerEventWithChainedHashes) {
  ok("lan", {"case", "comment", number_, "Ý kiến"});
  const std::string other = open_critique("Dự thảo khác");
  std::istringstream lines(ok("", {"audit", "export"}));
  std::vector<std::string> all;
  for (std::string line; std::getline(lines, line);) all.push_back(line);
  ASSERT_EQ(all.size(), 5u);  // each case: opened and its due date; one comment
  EXPECT_TRUE(contains(all[3], "\"case\":\"" + other + "\"")) << all[3];
  const std::string only = ok("", {"audit", "export", "--case", other});
  EXPECT_EQ(only, all[3] + "\n" + all[4] + "\n");
}

TEST_F(AuditCli, TwoWritersRacingOnOneCaseOneWinsOneConflicts) {
  const std::int64_t before = event_count();
  for (int round = 0; round < 3; ++round) {
    const std::string version = std::to_string(before + round);
    Running first =
        start({"--as", "lan", "case", "comment", number_, "Người thứ nhất", "--expect-version", version}, "first");
    Running second =
        start({"--as", "lan", "case", "comment", number_, "Người thứ hai", "--expect-version", version}, "second");
    const Outcome a = finish(first);
    const Outcome b = finish(second);
    EXPECT_EQ(std::multiset<int>({a.exit_code, b.exit_code}), std::multiset<int>({0, 3})) << a << b;
    const Outcome& loser = a.exit_code == 3 ? a : b;
    EXPECT_EQ(loser.err.rfind("docket: conflict: ", 0), 0u) << loser;
  }
  EXPECT_EQ(event_count(), before + 3);
  EXPECT_EQ(ok("", {"audit", "verify"}), std::to_string(before + 3) + " events verified\n");
}

std::size_t line_count(const fs::path& file) {
  const std::string text = read_file(file);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST_F(AuditCli, SigkillMidLoopLosesNothingAcknowledged) {
  // A shell runs docket in a loop and records each comment once docket has acknowledged it
  // (exit 0). The whole process group is killed while commands are in flight.
  const fs::path acked = dir_ / "acked.txt";
  write_file(acked, "");
  const std::string loop =
      "i=0; while true; do i=$((i+1)); "
      "\"$0\" --db \"$1\" --as lan case comment \"$2\" \"Ý kiến số $i\" >/dev/null 2>&1 && echo \"Ý kiến số $i\" >> "
      "\"$3\"; "
      "done";
  std::vector<std::string> words{"/bin/sh", "-c", loop, DOCKET_BINARY, db_.string(), number_, acked.string()};
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  pid_t shell = -1;
  ASSERT_EQ(posix_spawn(&shell, "/bin/sh", nullptr, &attributes, argv.data(), environ), 0);
  posix_spawnattr_destroy(&attributes);

  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (line_count(acked) < 10 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(7));  // land somewhere inside a command
  ASSERT_EQ(::kill(-shell, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(shell, &status, 0), shell);
  ASSERT_GE(line_count(acked), 10u) << "the loop acknowledged too few commands";

  const Outcome verified = docket({"audit", "verify"});
  EXPECT_EQ(verified.exit_code, 0) << verified;
  const std::string history = ok("lan", {"--format", "json", "case", "history", number_});
  std::istringstream acknowledged(read_file(acked));
  for (std::string comment; std::getline(acknowledged, comment);) {
    EXPECT_TRUE(contains(history, "\"text\":\"" + comment + "\"")) << comment << " was acknowledged but is missing";
  }
  ok("lan", {"case", "comment", number_, "Sau khi khởi động lại"});
}

}  // namespace
}  // namespace docket::cli_test
