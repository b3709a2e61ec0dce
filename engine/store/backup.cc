#include "store/backup.h"

#include <SQLiteCpp/Backup.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>

#include "store/admin_log.h"
#include "store/audit.h"
#include "store/audit_state.h"
#include "store/internal/new_file.h"

namespace docket {
namespace {

// A path in quotes, whole (an administrator's backup folder may be long).
std::string whole_in_quotes(const std::filesystem::path& path) { return "\"" + path.string() + "\""; }

// The copy under its temporary name, with SQLite's companions: removed when it goes away
// (once published, the copy lives on under its final name, a second link).
class TemporaryCopy {
 public:
  TemporaryCopy() = default;
  TemporaryCopy(const TemporaryCopy&) = delete;
  TemporaryCopy& operator=(const TemporaryCopy&) = delete;
  ~TemporaryCopy() {
    if (path_.empty()) return;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) ::unlink((path_ + suffix).c_str());
  }
  // Creates the empty file next to `target`. Errors: storage naming `target`.
  Status create(const std::filesystem::path& target) {
    std::string pattern = target.string() + ".tmp-XXXXXX";
    const int descriptor = ::mkstemp(pattern.data());
    if (descriptor < 0) {
      return make_error(ErrorCode::storage, "cannot write " + whole_in_quotes(target) + ": " + std::strerror(errno));
    }
    ::close(descriptor);
    path_ = pattern;
    return Ok{};
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Copies every page of `source` into the empty file at `copy`, in steps. A caller that needs
// them all from one snapshot holds a read transaction open on `source` (sqlite3_backup_step
// opens a transaction of its own only when none is open, so no other connection's commit
// restarts the copy).
Status copy_pages(SQLite::Database& source, const std::string& copy, int busy_timeout_ms, const BackupOptions& options,
                  BackupReport& report) {
  SQLite::Database destination(copy, SQLite::OPEN_READWRITE, busy_timeout_ms);
  destination.exec("PRAGMA synchronous=FULL");  // the copy is on disk when the last step returns
  SQLite::Backup backup(destination, "main", source, "main");
  for (;;) {
    const int step = backup.executeStep(options.pages_per_step);
    ++report.steps;
    const std::int64_t total = backup.getTotalPageCount();
    if (options.progress) options.progress(total - backup.getRemainingPageCount(), total);
    if (step == SQLITE_DONE) break;
    // Only the destination, which no one else knows of, could be locked: a reader in WAL mode
    // waits for no one.
    if (step != SQLITE_OK) {
      return make_error(ErrorCode::busy, "the copy " + whole_in_quotes(copy) + " was locked by another program");
    }
  }
  report.pages = backup.getTotalPageCount();
  return Ok{};
}

// How a failed check is refused: given what failed, the error to return.
using CheckFailure = std::function<Error(const std::string& what)>;

CheckFailure copy_not_kept(const std::filesystem::path& target) {
  return [target](const std::string& what) {
    return make_error(ErrorCode::integrity, "the copy for " + whole_in_quotes(target) + " failed its check, so " +
                                                "it was not kept: " + what +
                                                ". Run `docket audit verify` on the database itself");
  };
}

bool has_table(Database& database, const std::string& name) {
  SQLite::Statement query(database.sql(), "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
  query.bind(1, name);
  return query.executeStep() && query.getColumn(0).getInt() > 0;
}

// The checks of `docket audit verify` that need no workflows: the file, then both hash chains.
Status verify_copy(const std::string& copy, const CheckFailure& failed_check, int busy_timeout_ms,
                   BackupReport& report) {
  DOCKET_TRY(opened, Database::open({copy, false, busy_timeout_ms, true, OlderSchema::as_is}));
  Database& database = **opened;
  return catch_storage_errors(database, [&]() -> Status {
    report.schema_version = database.sql().execAndGet("PRAGMA user_version").getInt();
    report.pages = database.sql().execAndGet("PRAGMA page_count").getInt64();
    report.bytes = report.pages * database.sql().execAndGet("PRAGMA page_size").getInt64();
    DOCKET_TRY(complaints, check_file_integrity(database));
    if (!complaints->empty()) return failed_check("SQLite's integrity_check says " + complaints->front());
    DOCKET_TRY(events, verify_audit(database));
    if (!events->ok) {
      return failed_check("the case history is broken at event " + std::to_string(events->seq) + " (case " +
                          events->case_number + "): " + events->problem);
    }
    report.events_verified = events->events_checked;
    if (!has_table(database, "admin_events")) return Ok{};  // a file older than the administrative log
    DOCKET_TRY(admin, verify_admin_log(database));
    if (!admin->ok) return failed_check("the administrative log is broken: " + admin->problem);
    report.admin_events_verified = admin->events_checked;
    return Ok{};
  });
}

// Holds SQLite's exclusive lock on the database at `path`: EXCLUSIVE locking mode, set before the
// connection's first access, makes that access wait for no one and fail when any other
// connection has the file open (in WAL mode every open connection holds a shared lock on it).
Status lock_out_everyone(SQLite::Database& live, const std::filesystem::path& path) {
  live.exec("PRAGMA locking_mode=EXCLUSIVE");
  try {
    live.exec("BEGIN EXCLUSIVE");
    live.exec("COMMIT");  // the lock stays until the connection closes
  } catch (const SQLite::Exception& problem) {
    if (problem.getErrorCode() != SQLITE_BUSY && problem.getErrorCode() != SQLITE_LOCKED) throw;
    return make_error(ErrorCode::busy, whole_in_quotes(path) +
                                           " is open in another program (a running `docket serve`, or another "
                                           "docket command): stop it, then restore");
  }
  return Ok{};
}

// Copies the database open on `live` to the new file `keep`, checked, as back_up() does.
Result<BackupReport> keep_replaced(SQLite::Database& live, const std::filesystem::path& keep, int busy_timeout_ms) {
  TemporaryCopy copy;
  if (const Status created = copy.create(keep); !created) return created.error();
  BackupReport report;
  if (const Status copied = copy_pages(live, copy.path(), busy_timeout_ms, {}, report); !copied) return copied.error();
  if (const Status verified = verify_copy(copy.path(), copy_not_kept(keep), busy_timeout_ms, report); !verified)
    return verified.error();
  if (const Status linked = link_new_file(copy.path(), keep); !linked) return linked.error();
  return report;
}

// Copies every page of the backup into the database open (exclusively) on `live`, in one step:
// one transaction, so a crash leaves the database as it was or as the backup is.
Status copy_in(SQLite::Database& live, const std::filesystem::path& backup, int busy_timeout_ms) {
  SQLite::Database source(backup.string(), SQLite::OPEN_READWRITE, busy_timeout_ms);
  live.exec("PRAGMA synchronous=FULL");
  SQLite::Backup in(live, "main", source, "main");
  if (in.executeStep(-1) != SQLITE_DONE) {
    return make_error(ErrorCode::busy, "the backup " + whole_in_quotes(backup) + " was locked by another program");
  }
  return Ok{};
}

Status restore_into(const std::filesystem::path& backup, const std::filesystem::path& target,
                    const std::filesystem::path& keep, int busy_timeout_ms, RestoreReport& report) {
  SQLite::Database live(target.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 0);
  if (const Status alone = lock_out_everyone(live, target); !alone) return alone;
  if (report.kept) {
    DOCKET_TRY(replaced, keep_replaced(live, keep, busy_timeout_ms));
    report.replaced = *replaced;
  }
  return copy_in(live, backup, busy_timeout_ms);
}  // closing `live` checkpoints what was copied in and releases the lock

}  // namespace

Result<RestoreReport> restore(const std::filesystem::path& backup, const std::filesystem::path& target,
                              const std::filesystem::path& keep, int busy_timeout_ms) {
  std::error_code ignored;
  if (!std::filesystem::is_regular_file(backup, ignored))
    return make_error(ErrorCode::not_found, "no backup at " + whole_in_quotes(backup));
  RestoreReport report;
  const CheckFailure not_restored = [&](const std::string& what) {
    return make_error(ErrorCode::integrity,
                      "the backup " + whole_in_quotes(backup) + " failed its check, so nothing was restored: " + what);
  };
  if (const Status sound = verify_copy(backup.string(), not_restored, busy_timeout_ms, report.restored); !sound)
    return sound.error();
  if (report.restored.schema_version > schema_version()) {
    return make_error(ErrorCode::storage, "the backup " + whole_in_quotes(backup) + " has schema version " +
                                              std::to_string(report.restored.schema_version) + ", this docket knows " +
                                              std::to_string(schema_version()) + ": restore it with a newer docket");
  }
  report.kept = std::filesystem::exists(target, ignored);
  if (report.kept && std::filesystem::exists(keep, ignored)) {
    return make_error(ErrorCode::already_exists,
                      whole_in_quotes(keep) + " already exists; restoring never replaces a kept file: name a new one");
  }
  const Status restored = catch_storage_errors(
      busy_timeout_ms, [&] { return restore_into(backup, target, keep, busy_timeout_ms, report); });
  if (!restored) {
    if (!report.kept) {  // the empty file opening it created
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) ::unlink((target.string() + suffix).c_str());
    }
    return restored.error();
  }
  const CheckFailure damaged = [&](const std::string& what) {
    return make_error(ErrorCode::integrity,
                      "the restored " + whole_in_quotes(target) + " failed its check: " + what +
                          (report.kept ? "; what it replaced is in " + whole_in_quotes(keep) : ""));
  };
  BackupReport checked;
  if (const Status sound = verify_copy(target.string(), damaged, busy_timeout_ms, checked); !sound)
    return sound.error();
  report.restored = checked;
  return report;
}

Result<BackupReport> back_up(Database& source, const std::filesystem::path& target, const BackupOptions& options) {
  std::error_code ignored;
  if (std::filesystem::exists(target, ignored)) {
    return make_error(ErrorCode::already_exists, whole_in_quotes(target) +
                                                     " already exists; a backup never replaces a file: "
                                                     "name a new one");
  }
  TemporaryCopy copy;
  if (const Status created = copy.create(target); !created) return created.error();
  BackupReport report;
  const Status copied = catch_storage_errors(source, [&] {
    const Database::ReadSnapshot snapshot(source);
    (void)source.sql().execAndGet("SELECT COUNT(*) FROM sqlite_master");  // the snapshot begins with a read
    return copy_pages(source.sql(), copy.path(), source.busy_timeout_ms(), options, report);
  });
  if (!copied) return copied.error();
  if (const Status verified = verify_copy(copy.path(), copy_not_kept(target), source.busy_timeout_ms(), report);
      !verified)
    return verified.error();
  if (const Status linked = link_new_file(copy.path(), target); !linked) return linked.error();
  return report;
}

}  // namespace docket
