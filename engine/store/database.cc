#include "store/database.h"

#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <mutex>

#include "store/internal/report_fact_rows.h"
#include "store/internal/schema.h"
#include "store/internal/search_tokenizer.h"
#include "store/internal/wal_vfs.h"
#include "store/search_index.h"

namespace docket {
namespace {

bool has_column(SQLite::Database& db, const char* table, const char* column) {
  SQLite::Statement query(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?");
  query.bind(1, table);
  query.bind(2, column);
  return query.executeStep();
}

}  // namespace

Error storage_error(const SQLite::Exception& problem, int busy_timeout_ms) {
  const int code = problem.getErrorCode() & 0xFF;  // the primary code, without the extended bits
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
    return make_error(ErrorCode::busy,
                      "the database is locked by another writer and stayed locked past the busy timeout (" +
                          std::to_string(busy_timeout_ms) + " ms); nothing was changed, try again");
  }
  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
    // Whatever the transaction had written is rolled back with it; writing on could spread the
    // damage (a page freed or split on the strength of a broken one), so the answer is a refusal.
    return make_error(ErrorCode::storage_corrupt,
                      std::string("the database file is damaged (SQLite: ") + problem.what() +
                          "); nothing was written. Stop using it: restore the latest backup, then run `docket "
                          "audit verify` on the restored copy");
  }
  if (code == SQLITE_FULL) {
    return make_error(ErrorCode::storage_full,
                      "the disk holding the database is full: nothing of this change was stored; free space "
                      "and try again");
  }
  return make_error(ErrorCode::storage, std::string("database error: ") + problem.what());
}

Database::Database(SQLite::Database db, std::filesystem::path path, int busy_timeout_ms)
    : db_(std::move(db)), path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms) {}

Result<std::unique_ptr<Database>> Database::open(const DatabaseOptions& options) {
  std::error_code fs_problem;
  // An empty file is no database either: SQLite would quietly make it an empty one.
  if (!options.create && std::filesystem::is_regular_file(options.path, fs_problem) &&
      std::filesystem::file_size(options.path, fs_problem) == 0) {
    return make_error(ErrorCode::not_found, options.path.string() +
                                                " is empty (0 bytes), not a Docket database (restore it from a "
                                                "backup, or remove it and run `docket init`)");
  }
  if (!std::filesystem::exists(options.path, fs_problem)) {
    if (!options.create) {
      return make_error(ErrorCode::not_found, "no database at " + options.path.string() + " (run `docket init` first)");
    }
    if (options.path.has_parent_path()) std::filesystem::create_directories(options.path.parent_path(), fs_problem);
  }
  // SQLite's memory statistics take a process-wide mutex on every allocation (hundreds per
  // command) and Docket never reads them. Only settable before SQLite initializes: when
  // something opened a connection first, the call is refused and nothing changes.
  static std::once_flag no_memory_statistics;
  std::call_once(no_memory_statistics, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  try {
    // NOMUTEX: a connection is only ever used by one thread at a time (see database.h), so
    // SQLite's per-call connection mutex is pure cost (about 6% of audit verify).
    const int flags = SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX | (options.create ? SQLite::OPEN_CREATE : 0);
    const char* vfs = wal_coalescing_vfs();
    SQLite::Database db(options.path, flags, options.busy_timeout_ms, vfs ? vfs : "");
    db.exec("PRAGMA journal_mode=WAL");
    db.exec(options.synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    db.exec("PRAGMA foreign_keys=ON");
    // A savepoint's journal (one per command in a group commit) and temporary tables stay in
    // memory: past 64 KiB SQLite spilled them to a new file in /var/tmp, created and unlinked
    // each time (about one batch in twenty of 8 commands).
    db.exec("PRAGMA temp_store=MEMORY");
    register_search_tokenizer(db);  // before migrating: the search index needs it
    std::unique_ptr<Database> database(new Database(std::move(db), options.path, options.busy_timeout_ms));
    if (const Status migrated = database->migrate(options.older_schema); !migrated) return migrated.error();
    return database;
  } catch (const SQLite::Exception& problem) {
    Error error = storage_error(problem, options.busy_timeout_ms);
    if (error.code == ErrorCode::storage) error.message = options.path.string() + ": " + problem.what();
    if (error.code == ErrorCode::storage_corrupt) error.message = options.path.string() + ": " + error.message;
    return error;
  }
}

Result<std::optional<int>> Database::schema_version_on_disk(const std::filesystem::path& path) {
  std::error_code ignored;
  if (!std::filesystem::exists(path, ignored)) return std::optional<int>{};
  return catch_storage_errors(0, [&]() -> Result<std::optional<int>> {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    return std::optional<int>(db.execAndGet("PRAGMA user_version").getInt());
  });
}

int schema_version() { return static_cast<int>(kMigrations.size()); }

Status Database::migrate(OlderSchema older_schema) {
  const int version = db_.execAndGet("PRAGMA user_version").getInt();
  if (version > schema_version()) {
    return make_error(ErrorCode::storage, path_.string() + " has schema version " + std::to_string(version) +
                                              ", newer than this docket understands (" +
                                              std::to_string(schema_version()) + "); use a newer docket");
  }
  if (version == schema_version()) return Ok{};
  // A file with no tables is new: giving it the schema changes nothing anyone stored.
  const bool is_new = version == 0 && db_.execAndGet("SELECT COUNT(*) FROM sqlite_master").getInt() == 0;
  if (!is_new && older_schema == OlderSchema::as_is) return Ok{};
  if (!is_new && older_schema == OlderSchema::refuse) {
    return make_error(ErrorCode::needs_migration, path_.string() + " has schema version " + std::to_string(version) +
                                                      ", this docket needs " + std::to_string(schema_version()) +
                                                      ": run \"docket migrate\" (it takes a backup first)");
  }
  return write([&]() -> Status {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    int current = db_.execAndGet("PRAGMA user_version").getInt();
    const int before = current;
    for (; current < schema_version(); ++current) {
      if (current == 12 && has_column(db_, "outbox", "topic")) continue;         // 12 -> 13 ran already
      if (current == 14 && has_column(db_, "documents", "reference")) continue;  // 14 -> 15 ran already
      try {
        db_.exec(kMigrations[current]);
      } catch (const SQLite::Exception& problem) {
        const std::string what = problem.what();
        if (what.find("already exists") == std::string::npos && what.find("duplicate column") == std::string::npos)
          throw;
        // The tables are newer than the version the file states: someone lowered it.
        return make_error(ErrorCode::storage,
                          path_.string() + " says it has schema version " + std::to_string(before) +
                              " (PRAGMA user_version) but holds the tables of a later one: migrating it to version " +
                              std::to_string(current + 1) + " failed (" + what +
                              "). Its user_version was changed; restore the file from a backup");
      }
    }
    // Migration 4 -> 5 created the search index and 9 -> 10 changed what its rows hold: fill it
    // again for the cases already stored.
    if (before < 10) SearchIndex(*this).rebuild();
    // Migration 13 -> 14 created the report facts: fold them from the stored histories.
    if (before < 14) rows::rebuild_report_facts(*this);
    db_.exec("PRAGMA user_version=" + std::to_string(schema_version()));
    return Ok{};
  });
}

Status Database::write(const std::function<Status()>& work) {
  if (write_depth_ > 0) return write_nested(work);
  struct Depth {
    int& depth;
    explicit Depth(int& d) : depth(d) { ++depth; }
    ~Depth() { --depth; }
  } depth(write_depth_);
  write_data_version_.reset();  // asked again in this transaction
  bool committed = false;
  struct Forget {  // the writer's cache hears how the transaction ended
    std::vector<std::unique_ptr<WriterCache>>& parts;
    const bool& committed;
    ~Forget() {
      for (const auto& work : parts) {
        if (!committed) work->rolled_back();
        work->transaction_ended();
      }
    }
  } forget{writer_cache_, committed};
  try {
    SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
    Status result = work();
    if (!result) return result;  // the transaction's destructor rolls back
    transaction.commit();
    committed = true;
    return result;
  } catch (const SQLite::Exception& problem) {
    return storage_error(problem, busy_timeout_ms_);
  } catch (const std::exception& problem) {
    return make_error(ErrorCode::internal, problem.what());
  }
}

std::vector<Status> Database::write_batch(const std::vector<std::function<Status()>>& works) {
  std::vector<Status> results;
  results.reserve(works.size());
  const Status committed = write([&]() -> Status {
    // A lone work needs no savepoint of its own: the transaction is already only its.
    if (works.size() == 1 && write_depth_ == 1) {
      results.push_back(works.front()());
      return results.back();
    }
    for (const auto& work : works) {
      results.push_back(write_nested(work));
      // SQLite found the file damaged: the batch's other writes are not committed into it either.
      if (!results.back() && results.back().error().code == ErrorCode::storage_corrupt) return results.back();
    }
    return Ok{};
  });
  if (committed) return results;
  // Either a lone work's own error (nothing else to keep) or a failed BEGIN/COMMIT: the batch
  // stored nothing, so no work may report success.
  results.resize(works.size(), committed);
  for (Status& result : results) {
    if (result) result = committed;
  }
  return results;
}

CachedStatement CachedStatement::one_off(SQLite::Database& db, const std::string& sql) {
  auto statement = std::make_unique<SQLite::Statement>(db, sql);
  SQLite::Statement* raw = statement.get();
  return CachedStatement(raw, nullptr, std::move(statement));
}

CachedStatement::CachedStatement(CachedStatement&& other) noexcept
    : statement_(other.statement_), in_use_(other.in_use_), owned_(std::move(other.owned_)) {
  other.statement_ = nullptr;
  other.in_use_ = nullptr;
}

CachedStatement::~CachedStatement() {
  if (statement_ == nullptr || owned_) return;
  statement_->tryReset();
  try {
    statement_->clearBindings();
  } catch (const SQLite::Exception&) {
    // sqlite3_clear_bindings() only fails on a misuse; the next bind() overwrites them anyway.
  }
  *in_use_ = false;
}

std::int64_t Database::data_version_in_write() {
  // Inside a write transaction nobody else can commit: the first answer holds until it ends.
  if (write_depth_ > 0 && write_data_version_) return *write_data_version_;
  CachedStatement version = prepare("PRAGMA data_version");
  const std::int64_t now = version->executeStep() ? version->getColumn(0).getInt64() : -1;
  if (write_depth_ > 0) write_data_version_ = now;
  return now;
}

bool Database::WriterCache::unchanged_by_others(Database& db) {
  if (checked_) return true;  // asked already in this transaction; what was kept since is its own
  const std::int64_t now = db.data_version_in_write();
  const bool unchanged = now == data_version_ && now >= 0;
  data_version_ = now;
  checked_ = true;
  return unchanged;
}

CachedStatement Database::prepare(const std::string& sql) { return use(prepared_[sql], sql); }

CachedStatement Database::use(Prepared& entry, const std::string& sql) {
  if (entry.in_use) return CachedStatement::one_off(db_, sql);
  if (!entry.statement) entry.statement = std::make_unique<SQLite::Statement>(db_, sql);
  entry.in_use = true;
  return CachedStatement(entry.statement.get(), &entry.in_use, nullptr);
}

std::optional<Database::WalHeader> Database::wal_header() {
  if (wal_index_ == nullptr) {
    // Only in WAL mode (checked once): a connection in another journal mode has no shared
    // memory, and none is made here. Until the first read made it, there is nothing to map.
    if (!wal_mode_) {
      if (wal_mode_checked_) return std::nullopt;
      wal_mode_checked_ = true;
      SQLite::Statement mode(db_, "PRAGMA journal_mode");
      wal_mode_ = mode.executeStep() && mode.getColumn(0).getString() == "wal";
      if (!wal_mode_) return std::nullopt;
    }
    sqlite3_file* file = nullptr;
    if (sqlite3_file_control(db_.getHandle(), "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
        file == nullptr || file->pMethods == nullptr || file->pMethods->iVersion < 2 ||
        file->pMethods->xShmMap == nullptr) {
      return std::nullopt;
    }
    volatile void* region = nullptr;
    if (file->pMethods->xShmMap(file, 0, 32 * 1024, 0, &region) != SQLITE_OK || region == nullptr) return std::nullopt;
    wal_index_ = static_cast<const volatile unsigned char*>(region);
  }
  // As SQLite's readers do: the first copy, a barrier, the second; a writer writes them in the
  // other order, so equal copies are a whole header.
  WalHeader first{}, second{};
  for (std::size_t i = 0; i < first.size(); ++i) first[i] = wal_index_[i];
  std::atomic_thread_fence(std::memory_order_seq_cst);
  for (std::size_t i = 0; i < second.size(); ++i) second[i] = wal_index_[second.size() + i];
  if (first != second) return std::nullopt;
  return first;
}

// A shortcut on SQLite's internals, kept because bench/run measured it (docs/benchmarks.md,
// "Speed tricks kept and why"): when the WAL index in shared memory (its header, as
// https://www.sqlite.org/walformat.html documents it) has not changed since this connection last
// read data_version, no commit was made by anyone since, and that generation is answered again
// without a read transaction, whose locks were a third of a server's case read. A SELECT that
// follows in the same ReadSnapshot may then see a later commit than the generation says; what is
// kept under it is only re-checked sooner, never kept past a commit.
std::optional<Database::Generation> Database::generation() {
  // Only outside any transaction or inside a ReadSnapshot (reads only, by contract).
  if (write_depth_ > 0 || (!in_snapshot_ && sqlite3_get_autocommit(db_.getHandle()) == 0)) return std::nullopt;
  if (in_snapshot_ && snapshot_generation_) return snapshot_generation_;
  const std::int64_t own_changes = sqlite3_total_changes64(db_.getHandle());
  // Read before data_version: a commit in between moves the header away from what is pinned.
  const std::optional<WalHeader> header = wal_header();
  if (header && pinned_ && pinned_->header == *header && pinned_->generation.own_changes == own_changes) {
    if (in_snapshot_) snapshot_generation_ = pinned_->generation;
    return pinned_->generation;
  }
  CachedStatement version = prepare("PRAGMA data_version");
  if (!version->executeStep()) return std::nullopt;
  const Generation now{version->getColumn(0).getInt64(), own_changes};
  if (header) {
    pinned_ = Pinned{*header, now};
  } else {
    pinned_.reset();
  }
  if (in_snapshot_) snapshot_generation_ = now;
  return now;
}

Database::ReadSnapshot::ReadSnapshot(Database& db) {
  if (sqlite3_get_autocommit(db.db_.getHandle()) == 0) return;
  try {
    db.prepare("BEGIN")->exec();
    db_ = &db;
    db.in_snapshot_ = true;
    db.snapshot_generation_.reset();
  } catch (const SQLite::Exception&) {
    // BEGIN (deferred) takes no lock; should it fail anyway, each read runs on its own.
  }
}

Database::ReadSnapshot::~ReadSnapshot() {
  if (db_ == nullptr) return;
  db_->in_snapshot_ = false;
  db_->snapshot_generation_.reset();
  // Ending a read transaction only releases its lock; should COMMIT fail, ROLLBACK does the same.
  try {
    db_->prepare("COMMIT")->exec();
  } catch (const SQLite::Exception&) {
    sqlite3_exec(db_->db_.getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

Status Database::write_nested(const std::function<Status()>& work) {
  const std::int64_t changes = sqlite3_total_changes64(db_.getHandle());
  // A write that begins where the savepoint around it began (no savepoint opened and no row
  // changed since) runs in that one: rolling it back undoes exactly this write. Group commit's
  // work is such a write, a command (CaseStore) inside its savepoint.
  std::string name;
  const bool own = !(fresh_ && fresh_->depth == write_depth_ && fresh_->changes == changes);
  if (own) {
    name = "docket_" + std::to_string(write_depth_);
    prepare("SAVEPOINT " + name)->exec();
  } else {
    name = std::move(fresh_->name);
  }
  fresh_.reset();
  ++write_depth_;
  if (own) fresh_ = Fresh{write_depth_, changes, name};
  Status result = make_error(ErrorCode::internal, "nested write did not finish");
  try {
    result = work();
  } catch (const SQLite::Exception& problem) {
    result = storage_error(problem, busy_timeout_ms_);
  } catch (const std::exception& problem) {
    result = make_error(ErrorCode::internal, problem.what());
  }
  fresh_.reset();
  --write_depth_;
  if (!result) {
    prepare("ROLLBACK TO " + name)->exec();
    for (const auto& part : writer_cache_) part->rolled_back();
  }
  if (own) prepare("RELEASE " + name)->exec();
  return result;
}

}  // namespace docket
