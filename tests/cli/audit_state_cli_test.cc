// What `docket audit verify` catches beyond a changed event, through the real binary on a real
// SQLite file changed with plain SQL or raw bytes: a case's state changed without an event, a
// stored document's bytes replaced, a payload not in canonical form (on which the exported log's
// Python verifier agrees), and a file SQLite calls malformed, into which no write then goes.
#include <cstdio>
#include <cstring>

#include "case_fixture.h"
#include "store/audit.h"

namespace docket::cli_test {
namespace {

class AuditStateCli : public CaseCliFixture {
 protected:
  void SetUp() override {
    CaseCliFixture::SetUp();
    set_up_directory();
    number_ = open_critique();
    ok("lan", {"case", "attach", number_, write("draft.pdf", "%PDF-1.4 bản dự thảo").string(), "--kind", "draft"});
    ok("lan", {"case", "recommend", number_, "--to", "tu-phap", "Đề nghị rà soát hộ nghèo"});
    ok("lan", {"case", "comment", number_, "Ý kiến cuối"});
  }
  // Runs `sql` on the database file as someone with a SQLite shell would.
  void forge(const std::string& sql) {
    SQLite::Database db(db_, SQLite::OPEN_READWRITE);
    ASSERT_GE(db.exec(sql), 1) << sql;
  }
  // Runs `audit verify`, which must fail naming the case and `what` (the column and values).
  void expect_named(const std::vector<std::string>& what) {
    const Outcome run = docket({"audit", "verify"});
    EXPECT_EQ(run.exit_code, 1) << run;
    EXPECT_EQ(run.err.rfind("docket: audit_broken: case " + number_ + ": its stored ", 0), 0u) << run;
    for (const std::string& part : what) EXPECT_TRUE(contains(run.err, part)) << part << "\n" << run;
  }
  std::string number_;
};

TEST_F(AuditStateCli, AnUntouchedDatabaseVerifiesItsStateAndDocuments) {
  const Outcome run = docket({"--format", "json", "audit", "verify"});
  EXPECT_EQ(run.exit_code, 0) << run;
  EXPECT_TRUE(contains(run.out, R"("cases_verified":"1")") || contains(run.out, R"("cases_verified":1)")) << run;
  EXPECT_TRUE(contains(run.out, R"("documents_verified":"1")") || contains(run.out, R"("documents_verified":1)"))
      << run;
}

TEST_F(AuditStateCli, AStageChangedWithoutAnEventIsNamed) {
  forge("UPDATE cases SET stage = 'closed' WHERE number = '" + number_ + "'");
  expect_named({"stage", "\"closed\"", "\"received\""});
}

TEST_F(AuditStateCli, ATitleChangedWithoutAnEventIsNamed) {
  forge("UPDATE cases SET title = 'Tiêu đề giả' WHERE number = '" + number_ + "'");
  expect_named({"title", "Tiêu đề giả", "Dự thảo Kế hoạch giảm nghèo bền vững 2026-2030"});
}

TEST_F(AuditStateCli, ARecommendationsStatusChangedWithoutAnEventIsNamed) {
  forge("UPDATE recommendations SET status = 'accepted' WHERE number = 1");
  expect_named({"recommendation 1 status", "\"accepted\"", "\"draft\""});
}

TEST_F(AuditStateCli, ADocumentsBytesReplacedAreNamed) {
  forge("UPDATE blobs SET content = CAST('%PDF-1.4 bản giả mạo' AS BLOB)");
  const Outcome run = docket({"audit", "verify"});
  EXPECT_EQ(run.exit_code, 1) << run;
  EXPECT_TRUE(contains(run.err, "docket: audit_broken: document ")) << run;
  EXPECT_TRUE(contains(run.err, "of case " + number_ + " (draft v1)")) << run;
  EXPECT_TRUE(contains(run.err, "changed outside Docket")) << run;
}

// The newest event of the log, its payload given extra whitespace. With `rehash`, its hashes (and
// the case's newest hash) are recomputed over the bytes as stored, as Docket's chains hash them;
// without, they are left as they were, which re-serialising the payload reproduces.
class NonCanonicalPayload : public AuditStateCli, public ::testing::WithParamInterface<bool> {};

TEST_P(NonCanonicalPayload, BothVerifiersRefuseItNamingThePayload) {
  {
    SQLite::Database db(db_, SQLite::OPEN_READWRITE);
    db.exec("DROP TRIGGER events_no_update");
    SQLite::Statement newest(db,
                             "SELECT e.seq, c.number, e.case_seq, e.type, e.at, e.actor, e.payload, "
                             "(SELECT hash FROM events WHERE seq = e.seq - 1), "
                             "(SELECT case_hash FROM events WHERE case_id = e.case_id AND case_seq = e.case_seq - 1) "
                             "FROM events e JOIN cases c ON c.id = e.case_id ORDER BY e.seq DESC LIMIT 1");
    ASSERT_TRUE(newest.executeStep());
    EventEnvelope envelope{newest.getColumn(0).getInt64(),  newest.getColumn(1).getString(),
                           newest.getColumn(2).getInt64(),  newest.getColumn(3).getString(),
                           newest.getColumn(4).getString(), newest.getColumn(5).getString(),
                           newest.getColumn(6).getString()};
    ASSERT_EQ(envelope.payload_json.rfind("{\"", 0), 0u) << envelope.payload_json;
    envelope.payload_json.insert(1, " ");
    const auto chain = [&](int column) {
      ChainHash previous{};
      std::memcpy(previous.data(), newest.getColumn(column).getBlob(), previous.size());
      return next_chain_hash(previous, canonical_event_bytes(envelope));
    };
    const ChainHash hash = chain(7), case_hash = chain(8);
    SQLite::Statement edit(db, GetParam() ? "UPDATE events SET payload = ?, hash = ?, case_hash = ? WHERE seq = ?"
                                          : "UPDATE events SET payload = ? WHERE seq = ?");
    edit.bind(1, envelope.payload_json);
    if (GetParam()) {
      edit.bind(2, hash.data(), static_cast<int>(hash.size()));
      edit.bind(3, case_hash.data(), static_cast<int>(case_hash.size()));
      edit.bind(4, envelope.seq);
    } else {
      edit.bind(2, envelope.seq);
    }
    ASSERT_EQ(edit.exec(), 1);
    if (GetParam()) {
      SQLite::Statement tip(db, "UPDATE cases SET last_hash = ? WHERE number = ?");
      tip.bind(1, case_hash.data(), static_cast<int>(case_hash.size()));
      tip.bind(2, number_);
      ASSERT_EQ(tip.exec(), 1);
    }
  }
  const Outcome verified = docket({"audit", "verify"});
  EXPECT_EQ(verified.exit_code, 1) << verified;
  EXPECT_TRUE(contains(verified.err, "payload is not in canonical form")) << verified;

  if (std::system("python3 --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "python3 is not installed";
  const fs::path exported = write("log.jsonl", ok("", {"audit", "export"}));
  const fs::path said = dir_ / "python.err";
  const std::string verifier = std::string(DOCKET_SOURCE_DIR) + "/scripts/verify-audit-export.py";
  EXPECT_NE(std::system(("python3 " + verifier + " < " + exported.string() + " >/dev/null 2>" + said.string()).c_str()),
            0);
  EXPECT_TRUE(contains(read_file(said), "payload is not in canonical form")) << read_file(said);
}

INSTANTIATE_TEST_SUITE_P(HashedAsStoredOrAsReserialised, NonCanonicalPayload, ::testing::Bool());

// Overwrites the header of `table`'s root page (a table of one page: its only page) with bytes
// no b-tree page starts with, as a failing disk or a stray write would.
void damage_root_page(const fs::path& db_path, const std::string& table) {
  std::int64_t page = 0, page_size = 0;
  {
    SQLite::Database db(db_path, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");  // every page in the main file
    page = db.execAndGet("SELECT rootpage FROM sqlite_schema WHERE name = '" + table + "'").getInt64();
    page_size = db.execAndGet("PRAGMA page_size").getInt64();
  }
  ASSERT_GT(page, 1);
  std::FILE* file = std::fopen(db_path.c_str(), "r+b");
  ASSERT_NE(file, nullptr);
  ASSERT_EQ(std::fseek(file, static_cast<long>((page - 1) * page_size), SEEK_SET), 0);
  const std::string garbage(16, '\xff');
  ASSERT_EQ(std::fwrite(garbage.data(), 1, garbage.size(), file), garbage.size());
  ASSERT_EQ(std::fclose(file), 0);
}

TEST_F(AuditStateCli, AMalformedFileFailsVerifyAndNoWriteGoesIntoIt) {
  // search_pending: a table every comment writes and that neither the chains nor the state read.
  damage_root_page(db_, "search_pending");
  const Outcome verified = docket({"audit", "verify"});
  EXPECT_EQ(verified.exit_code, 5) << verified;
  // SQLite's check either lists the damage or cannot read past it: both say so, and what to do.
  EXPECT_EQ(verified.err.rfind("docket: storage_corrupt: the database file is damaged", 0), 0u) << verified;
  EXPECT_TRUE(contains(verified.err, "restore the latest backup")) << verified;

  const std::string before = read_file(db_);
  const std::int64_t events_before = event_count();
  const Outcome written = as("lan", {"case", "comment", number_, "Ghi vào tệp hỏng"});
  EXPECT_EQ(written.exit_code, 5) << written;
  EXPECT_EQ(written.err.rfind("docket: storage_corrupt: ", 0), 0u) << written;
  EXPECT_TRUE(contains(written.err, "nothing was written")) << written;
  EXPECT_TRUE(contains(written.err, "restore the latest backup")) << written;
  EXPECT_EQ(read_file(db_), before) << "the refused write changed the file";
  const fs::path wal = fs::path(db_.string() + "-wal");
  std::error_code no_wal;
  EXPECT_EQ(fs::exists(wal, no_wal) ? fs::file_size(wal) : 0u, 0u) << "the refused write left frames in the WAL";
  EXPECT_EQ(event_count(), events_before);
}

}  // namespace
}  // namespace docket::cli_test
