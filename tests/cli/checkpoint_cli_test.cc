// Signed checkpoints through the real docket binary and real SQLite files: a checkpoint made by
// `audit checkpoint` (or by `serve` on its schedule) is extended by later events, and catches
// what `audit verify` alone cannot see — the newest events of a case deleted with its case row
// fixed up, the chains recomputed after an edit, the newest case deleted whole — as well as a
// checkpoint file edited by hand and a public key that is not the signer's.
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include "case_fixture.h"
#include "store/audit.h"

namespace docket::cli_test {
namespace {

class CheckpointCli : public CaseCliFixture {
 protected:
  void SetUp() override {
    CaseCliFixture::SetUp();
    set_up_directory();
    ok("", {"audit", "keygen", "--out", (dir_ / "keys").string(), "--name", "ninh-binh"});
    number_ = open_critique();
    ok("lan", {"case", "comment", number_, "Ý kiến thứ nhất"});
  }

  std::string key() const { return (dir_ / "keys" / "ninh-binh.key").string(); }
  std::string public_key() const { return (dir_ / "keys" / "ninh-binh.pub").string(); }
  std::string checkpoints() const { return (dir_ / "checkpoints").string(); }

  void make_checkpoint() {
    ok("", {"audit", "checkpoint", "--key", key(), "--out", checkpoints(), "--unit", "ninh-binh"});
  }
  Outcome verify_checkpoints(const std::string& with_key) {
    return docket({"audit", "verify", "--checkpoints", checkpoints(), "--public-key", with_key});
  }
  // Fails the test unless verification is refused with exit 1 and `problem` in its message.
  void expect_broken(const Outcome& run, const std::string& problem) {
    EXPECT_EQ(run.exit_code, 1) << run;
    EXPECT_EQ(run.err.rfind("docket: audit_broken: checkpoint " + checkpoints() + "/checkpoint-", 0), 0u) << run;
    EXPECT_TRUE(contains(run.err, problem)) << "expected: " << problem << "\n" << run;
  }
  fs::path only_checkpoint_file() {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(checkpoints())) files.push_back(entry.path());
    EXPECT_EQ(files.size(), 1u);
    return files.empty() ? fs::path() : files.front();
  }

  std::string number_;
};

// Writes the hashes both chains would have over the events as they now stand, and each case
// row's newest hash: what someone with the file and a SQLite shell does to hide an edit.
// REQUIRES: the trigger events_no_update dropped.
void rehash_everything(SQLite::Database& db) {
  std::map<std::int64_t, ChainHash> case_heads;
  ChainHash log_head{};
  SQLite::Statement events(db,
                           "SELECT e.seq, c.number, e.case_seq, e.type, e.at, e.actor, e.payload, e.case_id "
                           "FROM events e JOIN cases c ON c.id = e.case_id ORDER BY e.seq");
  std::vector<std::tuple<std::int64_t, std::int64_t, ChainHash, ChainHash>> rewritten;
  while (events.executeStep()) {
    const EventEnvelope envelope{events.getColumn(0).getInt64(),  events.getColumn(1).getString(),
                                 events.getColumn(2).getInt64(),  events.getColumn(3).getString(),
                                 events.getColumn(4).getString(), events.getColumn(5).getString(),
                                 events.getColumn(6).getString()};
    const std::int64_t case_id = events.getColumn(7).getInt64();
    const std::string bytes = canonical_event_bytes(envelope);
    log_head = next_chain_hash(log_head, bytes);
    case_heads[case_id] = next_chain_hash(case_heads[case_id], bytes);
    rewritten.emplace_back(envelope.seq, case_id, log_head, case_heads[case_id]);
  }
  for (const auto& [seq, case_id, hash, case_hash] : rewritten) {
    SQLite::Statement update(db, "UPDATE events SET hash = ?, case_hash = ? WHERE seq = ?");
    update.bind(1, hash.data(), static_cast<int>(hash.size()));
    update.bind(2, case_hash.data(), static_cast<int>(case_hash.size()));
    update.bind(3, static_cast<int64_t>(seq));
    update.exec();
    SQLite::Statement head(db, "UPDATE cases SET last_hash = ? WHERE id = ?");
    head.bind(1, case_hash.data(), static_cast<int>(case_hash.size()));
    head.bind(2, static_cast<int64_t>(case_id));
    head.exec();
  }
}

TEST_F(CheckpointCli, KeygenWritesAPrivateKeyOnlyItsOwnerReadsAndNeverOverwritesOne) {
  struct stat status {};
  ASSERT_EQ(::stat(key().c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(public_key().c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0644u);
  const std::string before = read_file(key());
  const Outcome again = docket({"audit", "keygen", "--out", (dir_ / "keys").string(), "--name", "ninh-binh"});
  EXPECT_EQ(again.exit_code, 1) << again;
  EXPECT_EQ(again.err.rfind("docket: already_exists: ", 0), 0u) << again;
  EXPECT_EQ(read_file(key()), before);
}

TEST_F(CheckpointCli, APrivateKeyOthersMayReadIsRefusedAndNoCheckpointIsWritten) {
  ASSERT_EQ(::chmod(key().c_str(), 0644), 0);
  const Outcome run = docket({"audit", "checkpoint", "--key", key(), "--out", checkpoints(), "--unit", "ninh-binh"});
  EXPECT_EQ(run.exit_code, 1) << run;
  EXPECT_TRUE(contains(run.err, "chmod 600")) << run;
  EXPECT_FALSE(fs::exists(checkpoints()));
}

TEST_F(CheckpointCli, TheLogStillExtendsACheckpointAfterMoreEvents) {
  make_checkpoint();
  const std::string text = read_file(only_checkpoint_file());
  EXPECT_TRUE(contains(text, "\"case\":\"" + number_ + "\",\"case_hash\":\"")) << text;
  EXPECT_TRUE(contains(text, "\"unit\":\"ninh-binh\"")) << text;
  EXPECT_TRUE(contains(text, "\"log\":{\"hash\":\"")) << text;
  ok("lan", {"case", "comment", number_, "Ý kiến thứ hai"});
  open_critique("Một dự thảo khác");
  make_checkpoint();
  const Outcome run = verify_checkpoints(public_key());
  EXPECT_EQ(run.exit_code, 0) << run;
  EXPECT_TRUE(contains(run.out, "2 checkpoints verified\n")) << run;
}

TEST_F(CheckpointCli, NewestEventsDeletedWithTheCaseRowFixedUpAreCaughtNamingTheCase) {
  ok("lan", {"case", "comment", number_, "Ý kiến thứ hai"});
  make_checkpoint();  // the case holds 4 events: opened, its due date, two comments
  {
    SQLite::Database db(db_, SQLite::OPEN_READWRITE);
    db.exec("DROP TRIGGER events_no_delete");
    ASSERT_EQ(db.exec("DELETE FROM events WHERE case_seq > 2"), 2);
    db.exec(
        "UPDATE cases SET version = 2, last_hash = (SELECT case_hash FROM events WHERE case_seq = 2), "
        "updated_at = (SELECT at FROM events WHERE case_seq = 2)");
  }
  EXPECT_EQ(ok("", {"audit", "verify"}), "2 events verified\n");  // invisible from inside the file
  expect_broken(verify_checkpoints(public_key()),
                ": case " + number_ + ": event 4 is missing: the case now holds 2 events");
}

TEST_F(CheckpointCli, AnEditHiddenByRecomputingEveryChainIsCaught) {
  make_checkpoint();
  {
    SQLite::Database db(db_, SQLite::OPEN_READWRITE);
    db.exec("DROP TRIGGER events_no_update");
    ASSERT_EQ(db.exec("UPDATE events SET payload = replace(payload, 'thứ nhất', 'đã sửa') WHERE case_seq = 3"), 1);
    rehash_everything(db);
  }
  EXPECT_EQ(ok("", {"audit", "verify"}), "3 events verified\n");
  expect_broken(verify_checkpoints(public_key()),
                ": case " + number_ + ": event 3 has another hash than the checkpoint's");
}

TEST_F(CheckpointCli, TheNewestCaseDeletedWholeIsCaught) {
  const std::string newest = open_critique("Dự thảo bị xóa");
  make_checkpoint();
  {
    SQLite::Database db(db_, SQLite::OPEN_READWRITE);
    db.exec("DROP TRIGGER events_no_delete");
    SQLite::Statement events(db, "DELETE FROM events WHERE case_id = (SELECT id FROM cases WHERE number = ?)");
    events.bind(1, newest);
    ASSERT_EQ(events.exec(), 2);
    SQLite::Statement row(db, "DELETE FROM cases WHERE number = ?");
    row.bind(1, newest);
    ASSERT_EQ(row.exec(), 1);
  }
  EXPECT_EQ(ok("", {"audit", "verify"}), "3 events verified\n");
  expect_broken(verify_checkpoints(public_key()), ": case " + newest + ": the case is gone (it held 2 events)");
}

TEST_F(CheckpointCli, ACheckpointEditedByHandFailsItsSignature) {
  make_checkpoint();
  const fs::path file = only_checkpoint_file();
  std::string text = read_file(file);
  const auto at = text.find("\"at\":\"2");
  ASSERT_NE(at, std::string::npos) << text;
  text[at + 6] = '1';  // the year 2xxx becomes 1xxx: still valid JSON, still a checkpoint
  write_file(file, text);
  expect_broken(verify_checkpoints(public_key()), "its signature does not verify with the public key");
}

TEST_F(CheckpointCli, AnotherUnitsPublicKeyFailsTheSignature) {
  make_checkpoint();
  ok("", {"audit", "keygen", "--out", (dir_ / "keys").string(), "--name", "other"});
  const Outcome run = verify_checkpoints((dir_ / "keys" / "other.pub").string());
  expect_broken(run, "its signature does not verify with the public key");
  EXPECT_TRUE(contains(run.err, "it names another key")) << run;
}

TEST_F(CheckpointCli, TheServerWritesCheckpointsOnItsSchedule) {
  Running server = start({"serve", "--listen", "127.0.0.1:0", "--checkpoint-dir", checkpoints(), "--checkpoint-key",
                          key(), "--checkpoint-every", "1s", "--checkpoint-unit", "ninh-binh"},
                         "serve");
  ASSERT_GT(server.pid, 0);
  std::size_t written = 0;
  for (int waited = 0; waited < 100 && written < 2; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
    written = 0;
    if (fs::exists(checkpoints()))
      for (const auto& entry : fs::directory_iterator(checkpoints())) written += entry.path().extension() == ".json";
  }
  ::kill(server.pid, SIGTERM);
  const Outcome served = finish(server);
  EXPECT_EQ(served.exit_code, 0) << served;
  EXPECT_GE(written, 2u) << served;
  const Outcome run = verify_checkpoints(public_key());
  EXPECT_EQ(run.exit_code, 0) << run;
}

}  // namespace
}  // namespace docket::cli_test
