// One SQLite database file holding everything Docket stores, and its schema migrations.
// Opens in WAL mode with synchronous=FULL (an acknowledged command survives power loss) and a
// busy timeout. The schema version lives in PRAGMA user_version: an older file is migrated
// on open, a newer one is refused.
//
// Thread-safety: a Database is one connection; use it from one thread at a time. Open one
// Database per thread; SQLite lets readers run beside the single writer.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "core/result.h"

namespace docket {

inline constexpr int kSchemaVersion = 4;

struct DatabaseOptions {
  std::filesystem::path path = "var/docket.db";
  bool create = false;              // create the file (and its folder) when missing
  int busy_timeout_ms = 5000;       // how long a writer waits for another writer
  bool synchronous_full = true;     // false: synchronous=NORMAL (benchmarks only)
};

class Database {
 public:
  // Opens (and migrates) the database. Fails with not_found when the file is missing and
  // !options.create, with storage when it cannot be opened or its schema is newer than
  // kSchemaVersion (the message says which version it has and which this build knows).
  static Result<std::unique_ptr<Database>> open(const DatabaseOptions& options);

  SQLite::Database& sql() { return db_; }
  const std::filesystem::path& path() const { return path_; }
  int busy_timeout_ms() const { return busy_timeout_ms_; }

  // Runs `work` inside BEGIN IMMEDIATE ... COMMIT: everything it writes commits together or
  // not at all. `work` returns an error to roll back. SQLite and other exceptions are turned
  // into errors (busy when the lock was not obtained within the busy timeout). Called inside
  // another write(), it runs in a SAVEPOINT: its error undoes only its own writes, and nothing
  // commits before the outermost write() does.
  Status write(const std::function<Status()>& work);

 private:
  Database(SQLite::Database db, std::filesystem::path path, int busy_timeout_ms);
  Status migrate();

  Status write_nested(const std::function<Status()>& work);

  SQLite::Database db_;
  std::filesystem::path path_;
  int busy_timeout_ms_;
  int write_depth_ = 0;  // how many write() calls are running on this connection
};

// Turns a caught SQLite exception into an Error (busy for SQLITE_BUSY/LOCKED, storage otherwise).
Error storage_error(const SQLite::Exception& problem, int busy_timeout_ms);

}  // namespace docket
