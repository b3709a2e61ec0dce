// The WAL-coalescing VFS (store/wal_vfs.h): every connection writes its WAL through it, and what
// a transaction wrote — small, larger than one write of the default VFS (128 KiB), larger than
// what the VFS gathers at once (4 MiB) — is what another connection, a checkpoint and a reopened
// database read back, in both synchronous modes. A write the disk refuses fails its transaction
// and loses nothing committed before.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <csignal>
#include <cstring>
#include <string>

#include "store/database.h"
#include "store_fixture.h"

namespace docket {
namespace {

using testing::fresh_folder;

class WalVfsTest : public ::testing::TestWithParam<bool> {  // the parameter: synchronous=FULL
 protected:
  void SetUp() override { folder_ = fresh_folder("wal-vfs"); }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  std::unique_ptr<Database> open_db() {
    auto db = Database::open({folder_ / "docket.db", true, 5000, GetParam()});
    if (!db) ADD_FAILURE() << db.error().message;
    return db ? std::move(db.value()) : nullptr;
  }

  // A blob whose every byte depends on its row and position: a misplaced or lost part shows.
  static std::string pattern(int row, std::size_t size) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i)
      bytes[i] = static_cast<char>((i * 131 + static_cast<std::size_t>(row) * 7) % 251);
    return bytes;
  }

  static void insert(Database& db, int row, std::size_t size) {
    SQLite::Statement statement(db.sql(), "INSERT INTO wal_probe (id, data) VALUES (?, ?)");
    const std::string bytes = pattern(row, size);
    statement.bind(1, row);
    statement.bind(2, bytes.data(), static_cast<int>(bytes.size()));
    statement.exec();
  }

  // Every row of wal_probe is the pattern it was written with; returns how many there are.
  static int check_rows(Database& db) {
    SQLite::Statement rows(db.sql(), "SELECT id, data FROM wal_probe ORDER BY id");
    int count = 0;
    while (rows.executeStep()) {
      const int row = rows.getColumn(0).getInt();
      const auto& column = rows.getColumn(1);
      const std::string stored(static_cast<const char*>(column.getBlob()), static_cast<std::size_t>(column.getBytes()));
      EXPECT_EQ(stored, pattern(row, stored.size()))
          << "row " << row << " (" << stored.size() << " bytes) read back changed";
      ++count;
    }
    return count;
  }

  std::filesystem::path folder_;
};

TEST_P(WalVfsTest, EveryConnectionWritesItsWalThroughTheVfs) {
  auto db = open_db();
  ASSERT_TRUE(db);
  sqlite3_vfs* vfs = nullptr;
  ASSERT_EQ(sqlite3_file_control(db->sql().getHandle(), "main", SQLITE_FCNTL_VFS_POINTER, &vfs), SQLITE_OK);
  ASSERT_NE(vfs, nullptr);
  EXPECT_STREQ(vfs->zName, "docket-wal");
}

TEST_P(WalVfsTest, TransactionsOfAnySizeReadBackFromAnotherConnectionACheckpointAndAReopenedFile) {
  auto writer = open_db();
  auto reader = open_db();
  ASSERT_TRUE(writer && reader);
  writer->sql().exec("CREATE TABLE wal_probe (id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
  // One small row; one row over the default VFS's largest write; several rows together over
  // what is gathered before a write; then many small rows in one transaction.
  const std::vector<std::vector<std::size_t>> transactions = {
      {100}, {200 * 1024}, {3 * 1024 * 1024, 3 * 1024 * 1024 + 17}, std::vector<std::size_t>(500, 300)};
  int rows = 0;
  for (const auto& sizes : transactions) {
    SQLite::Transaction transaction(writer->sql());
    for (const std::size_t size : sizes) insert(*writer, ++rows, size);
    transaction.commit();
    EXPECT_EQ(check_rows(*reader), rows) << "another connection, right after the commit";
  }
  EXPECT_EQ(check_rows(*writer), rows);
  reader->sql().exec("PRAGMA wal_checkpoint(TRUNCATE)");
  EXPECT_EQ(check_rows(*writer), rows) << "after a checkpoint by the other connection";
  insert(*writer, ++rows, 5000);  // after the WAL was emptied: it starts again from its header
  EXPECT_EQ(check_rows(*reader), rows);
  writer.reset();
  reader.reset();
  auto reopened = open_db();
  ASSERT_TRUE(reopened);
  EXPECT_EQ(check_rows(*reopened), rows) << "after reopening the file";
  EXPECT_EQ(reopened->sql().execAndGet("PRAGMA integrity_check").getString(), "ok");
}

// Limits the size of any file the process writes for as long as it lives (SIGXFSZ ignored:
// the write fails with EFBIG instead), then lifts it.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &before_);
    previous_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = before_;
    limited.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limited);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &before_);
    std::signal(SIGXFSZ, previous_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit before_{};
  void (*previous_)(int) = nullptr;
};

TEST_P(WalVfsTest, AWalWriteTheDiskRefusesFailsItsTransactionAndLosesNothingCommittedBefore) {
  auto db = open_db();
  ASSERT_TRUE(db);
  db->sql().exec("CREATE TABLE wal_probe (id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
  insert(*db, 1, 1000);
  const auto wal = folder_ / "docket.db-wal";
  const auto wal_size = std::filesystem::file_size(wal);
  {
    const FileSizeLimit limit(wal_size + 64 * 1024);
    SQLite::Transaction transaction(db->sql());
    insert(*db, 2, 300);
    insert(*db, 3, 512 * 1024);
    EXPECT_THROW(transaction.commit(), SQLite::Exception);
  }
  auto other = open_db();
  ASSERT_TRUE(other);
  EXPECT_EQ(check_rows(*other), 1) << "only what was committed before";
  insert(*db, 4, 2000);  // the connection goes on
  EXPECT_EQ(check_rows(*other), 2);
  db.reset();
  other.reset();
  auto reopened = open_db();
  ASSERT_TRUE(reopened);
  EXPECT_EQ(check_rows(*reopened), 2);
  EXPECT_EQ(reopened->sql().execAndGet("PRAGMA integrity_check").getString(), "ok");
}

INSTANTIATE_TEST_SUITE_P(SynchronousModes, WalVfsTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& mode) { return mode.param ? "Full" : "Normal"; });

}  // namespace
}  // namespace docket
