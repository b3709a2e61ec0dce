// One SQLite database file holding everything Docket stores, and its schema migrations.
// Opens in WAL mode with synchronous=FULL (an acknowledged command survives power loss) and a
// busy timeout. The schema version lives in PRAGMA user_version: an older file is migrated on
// open only when the options ask for it (never silently), a newer one is refused.
//
// Thread-safety: a Database is one connection; use it from one thread at a time. Open one
// Database per thread; SQLite lets readers run beside the single writer.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <array>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/result.h"

namespace docket {

// The schema version this build writes: the number of migrations it knows
// (store/internal/schema.h), counted in database.cc: adding a migration rebuilds one file.
int schema_version();

// What Database::open does with a file of an older schema version. A file without tables yet
// (just created) is given the current schema whatever this says: that is no migration.
enum class OlderSchema {
  refuse,   // fail with needs_migration naming both versions (`docket migrate` upgrades it)
  migrate,  // migrate it to schema_version() (`docket init`, `docket migrate`)
  as_is,    // open it unchanged, to read it (checking a backup); writes may find tables missing
};

struct DatabaseOptions {
  std::filesystem::path path = "var/docket.db";
  bool create = false;           // create the file (and its folder) when missing
  int busy_timeout_ms = 5000;    // how long a writer waits for another writer
  bool synchronous_full = true;  // false: synchronous=NORMAL (benchmarks only)
  OlderSchema older_schema = OlderSchema::refuse;
};

// A prepared statement borrowed from a connection's cache (Database::prepare), or a one-off.
// When the handle goes away the statement is reset, its bindings cleared, and it goes back to
// the cache: a SELECT left stepping would otherwise hold its read transaction open.
class CachedStatement {
 public:
  // A one-off statement, prepared now and finalized with the handle.
  static CachedStatement one_off(SQLite::Database& db, const std::string& sql);
  CachedStatement(CachedStatement&& other) noexcept;
  CachedStatement& operator=(CachedStatement&&) = delete;
  ~CachedStatement();

  SQLite::Statement& operator*() const { return *statement_; }
  SQLite::Statement* operator->() const { return statement_; }

 private:
  friend class Database;
  CachedStatement(SQLite::Statement* statement, bool* in_use, std::unique_ptr<SQLite::Statement> owned)
      : statement_(statement), in_use_(in_use), owned_(std::move(owned)) {}
  SQLite::Statement* statement_;
  bool* in_use_;                              // the cache entry's flag; null for a one-off
  std::unique_ptr<SQLite::Statement> owned_;  // set for a one-off
};

class Database {
 public:
  // Opens the database (migrating an older one only as options.older_schema says). Fails with
  // not_found when the file is missing and !options.create, with needs_migration when its schema
  // is older and options.older_schema is refuse, with storage when it cannot be opened or its
  // schema is newer than schema_version() (each message says which version it has and which
  // this build knows).
  static Result<std::unique_ptr<Database>> open(const DatabaseOptions& options);
  // The schema version of the database file at `path`, read without migrating it: 0 for a
  // file without a schema yet, nullopt when there is no file. Errors: storage when the file
  // cannot be opened or read as a database (open() says the same, with the path).
  static Result<std::optional<int>> schema_version_on_disk(const std::filesystem::path& path);

  SQLite::Database& sql() { return db_; }
  const std::filesystem::path& path() const { return path_; }
  int busy_timeout_ms() const { return busy_timeout_ms_; }

  // Runs `work` inside BEGIN IMMEDIATE ... COMMIT: everything it writes commits together or
  // not at all. `work` returns an error to roll back. SQLite and other exceptions are turned
  // into errors (busy when the lock was not obtained within the busy timeout). Called inside
  // another write(), it runs in a SAVEPOINT: its error undoes only its own writes, and nothing
  // commits before the outermost write() does. (When nothing was written since the enclosing
  // savepoint began, as for a command in a group commit, it runs in that one: rolling it back
  // then undoes the same writes, and a command saves opening a second.)
  Status write(const std::function<Status()>& work);

  // Group commit: runs every one of `works`, in order, each in its own SAVEPOINT inside one
  // BEGIN IMMEDIATE ... COMMIT. A work that returns an error (or throws) has only its own writes
  // undone and gets its own error; the others commit together. Returns one status per work, in
  // order, once COMMIT has returned: when BEGIN or COMMIT fails, every work gets that error and
  // nothing of the batch is stored. A work that finds the file damaged (storage_corrupt) aborts
  // the whole batch: every work gets that error and nothing is stored. Called inside write(),
  // the batch joins that transaction.
  std::vector<Status> write_batch(const std::vector<std::function<Status()>>& works);

  // The statement for `sql`, prepared on first use and kept for the connection's lifetime:
  // preparing costs more than running most of Docket's statements. While the cached one is in
  // use (the same SQL nested), a one-off is prepared instead. Throws SQLite::Exception as
  // SQLite::Statement does.
  CachedStatement prepare(const std::string& sql);

  // The writer's cache: what this connection keeps across its own write transactions, in parts
  // (the cases it saved, rows::CaseCache; the log's newest event, rows::LogTip; the roles it
  // read, in Directory). One invalidation rule for every part: it is trusted only while no other
  // connection has committed since this connection's last write transaction, and never past a
  // rollback. So a part empties itself when unchanged_by_others() is false (asked at its first use
  // in each write transaction: PRAGMA data_version, once per transaction for all parts) and in
  // rolled_back() (a SAVEPOINT rolled back, or a transaction that did not commit).
  class WriterCache {
   public:
    virtual ~WriterCache() = default;
    virtual void rolled_back() = 0;
    void transaction_ended() { checked_ = false; }  // the next transaction asks again

   protected:
    bool unchanged_by_others(Database& db);

   private:
    std::int64_t data_version_ = -1;
    bool checked_ = false;
  };
  // This connection's writer-cache part of type T (default-constructible), made on first use.
  template <typename T>
  T& writer_cache() {
    for (const auto& part : writer_cache_) {
      if (auto* found = dynamic_cast<T*>(part.get())) return *found;
    }
    writer_cache_.push_back(std::make_unique<T>());
    return static_cast<T&>(*writer_cache_.back());
  }
  bool in_write() const { return write_depth_ > 0; }

  // The reader's cache: what this connection keeps from what it read, in parts (the directory's
  // tokens, roles and units, Directory::Memo; the cases it read, CaseStore::Readings). One
  // invalidation rule for every part: an entry is answered without asking
  // the database only while generation() is still the one it was read or last checked at.
  // When the generation has moved, a part drops the entry (ReadMemo) or checks it against the
  // database with a query of its own before answering it again (CaseStore: the case's
  // version); inside a write transaction (no generation) nothing is kept or answered.
  class ReaderCache {
   public:
    virtual ~ReaderCache() = default;
  };
  // This connection's reader-cache part of type T (default-constructible), made on first use.
  // Parts live as long as the connection, whoever asks for them.
  template <typename T>
  T& reader_cache() {
    for (const auto& part : reader_cache_) {
      if (auto* found = dynamic_cast<T*>(part.get())) return *found;
    }
    reader_cache_.push_back(std::make_unique<T>());
    return static_cast<T&>(*reader_cache_.back());
  }

  // Where the database stands as this connection sees it: a value that moves whenever anything
  // was committed since it was taken, by another connection (PRAGMA data_version) or by this
  // one (sqlite3_total_changes64, which also counts changes rolled back: a needless move only).
  // What a reader read and kept is still what the database holds while it has not moved
  // (ReaderCache). Take it before reading what is to be kept. Inside a ReadSnapshot it is taken
  // once and stays; nullopt while a transaction that may write is open on this connection,
  // whose changes may still be rolled back.
  struct Generation {
    std::int64_t data_version = 0;
    std::int64_t own_changes = 0;
    bool operator==(const Generation&) const = default;
  };
  std::optional<Generation> generation();

  // One snapshot for several reads: BEGIN when made, COMMIT when destroyed. Every SELECT in
  // between sees the database as of the first one (a case row and its documents from the same
  // commit), and the WAL read lock is taken once instead of once per statement. Does nothing
  // when a transaction is already open on this connection. Only reads may run inside: a write
  // could fail with SQLITE_BUSY_SNAPSHOT when the writer committed after the snapshot began.
  class ReadSnapshot {
   public:
    explicit ReadSnapshot(Database& db);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

   private:
    Database* db_ = nullptr;  // null when the snapshot was already open
  };

 private:
  Database(SQLite::Database db, std::filesystem::path path, int busy_timeout_ms);
  Status migrate(OlderSchema older_schema);

  Status write_nested(const std::function<Status()>& work);

  SQLite::Database db_;
  struct Prepared {
    std::unique_ptr<SQLite::Statement> statement;
    bool in_use = false;
  };
  std::unordered_map<std::string, Prepared> prepared_;  // after db_: finalized before it closes
  CachedStatement use(Prepared& entry, const std::string& sql);
  std::vector<std::unique_ptr<WriterCache>> writer_cache_;
  std::vector<std::unique_ptr<ReaderCache>> reader_cache_;
  std::filesystem::path path_;
  int busy_timeout_ms_;
  int write_depth_ = 0;  // how many write() calls are running on this connection
  // The innermost savepoint while nothing was written in it yet: a write() at that depth that
  // finds the connection's change count unchanged runs in it instead of opening its own.
  struct Fresh {
    int depth = 0;             // write_depth_ inside the savepoint
    std::int64_t changes = 0;  // sqlite3_total_changes64 when it was opened
    std::string name;
  };
  std::optional<Fresh> fresh_;
  // PRAGMA data_version as the current write transaction first asked it (WriterCache).
  std::optional<std::int64_t> write_data_version_;
  std::int64_t data_version_in_write();
  bool in_snapshot_ = false;                       // a ReadSnapshot began its transaction
  std::optional<Generation> snapshot_generation_;  // taken once per ReadSnapshot
  // The WAL index's header (both of its copies, equal when no writer is updating them), or
  // nullopt when it cannot be read; wal_index_ is its shared memory once mapped.
  using WalHeader = std::array<unsigned char, 48>;
  std::optional<WalHeader> wal_header();
  const volatile unsigned char* wal_index_ = nullptr;
  bool wal_mode_checked_ = false, wal_mode_ = false;
  struct Pinned {
    WalHeader header;       // read before data_version was
    Generation generation;  // what data_version gave then
  };
  std::optional<Pinned> pinned_;
};

// A reader-cache map (Database::ReaderCache): answers read from the database, kept while the
// database has not moved (Database::generation); the first lookup after any commit drops them all. Nothing is
// kept or answered inside a transaction that may write. Bounded: past `max_entries` it starts
// afresh.
template <typename Value>
class ReadMemo {
 public:
  explicit ReadMemo(std::size_t max_entries = 4096) : max_entries_(max_entries) {}

  // The value kept for `key`, or null. Also notes the database's generation for keep().
  const Value* find(Database& db, const std::string& key) {
    taken_ = db.generation();
    if (!taken_) return nullptr;
    if (!(*taken_ == kept_at_)) {
      values_.clear();
      kept_at_ = *taken_;
    }
    const auto found = values_.find(key);
    return found == values_.end() ? nullptr : &found->second;
  }
  // Keeps `value`, read after the find() just before it, when that find() could note a generation.
  void keep(const std::string& key, Value value) {
    if (!taken_ || !(*taken_ == kept_at_)) return;
    if (values_.size() >= max_entries_) values_.clear();
    values_.insert_or_assign(key, std::move(value));
  }

 private:
  std::size_t max_entries_;
  std::unordered_map<std::string, Value> values_;
  Database::Generation kept_at_{-1, -1};
  std::optional<Database::Generation> taken_;
};

// Where the store's row functions get their statements: the connection's cache when they are
// given the Database, a one-off statement when given only the SQLite connection.
class StatementSource {
 public:
  StatementSource(Database& database) : database_(&database), db_(database.sql()) {}  // NOLINT: implicit by design
  StatementSource(SQLite::Database& db) : db_(db) {}                                  // NOLINT: implicit by design
  CachedStatement prepare(const std::string& sql) {
    return database_ != nullptr ? database_->prepare(sql) : CachedStatement::one_off(db_, sql);
  }
  Database* database() { return database_; }  // null when given only the SQLite connection
  SQLite::Database& sql() { return db_; }

 private:
  Database* database_ = nullptr;
  SQLite::Database& db_;
};

// Turns a caught SQLite exception into an Error (busy for SQLITE_BUSY/LOCKED, storage otherwise).
Error storage_error(const SQLite::Exception& problem, int busy_timeout_ms);

// Runs `read`, which returns a Result or Status, and answers a SQLite::Exception it throws
// with that exception's storage_error: how the store's reads keep SQLite's exceptions inside
// the store (writes get the same from Database::write).
template <typename Read>
auto catch_storage_errors(int busy_timeout_ms, Read&& read) -> decltype(read()) {
  try {
    return read();
  } catch (const SQLite::Exception& problem) {
    return storage_error(problem, busy_timeout_ms);
  }
}
template <typename Read>
auto catch_storage_errors(Database& database, Read&& read) -> decltype(read()) {
  return catch_storage_errors(database.busy_timeout_ms(), std::forward<Read>(read));
}
// What `read()` returns (as a Result, unless it is one already), or the error a SQLite
// exception it throws stands for (storage_error): how the store keeps SQLite::Exception inside.
template <typename T>
struct AsResult {
  using type = Result<T>;
};
template <typename T>
struct AsResult<Result<T>> {
  using type = Result<T>;
};
template <typename Read>
auto catch_storage(Database& db, Read read) -> typename AsResult<decltype(read())>::type {
  return catch_storage_errors(db, [&]() -> typename AsResult<decltype(read())>::type { return read(); });
}

}  // namespace docket
