#include "store/backup.h"

#include <SQLiteCpp/Backup.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
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

// Copies every page of `source` into the empty file at `copy`, in steps, from one snapshot.
Status copy_pages(Database& source, const std::string& copy, const BackupOptions& options, BackupReport& report) {
  SQLite::Database destination(copy, SQLite::OPEN_READWRITE, source.busy_timeout_ms());
  destination.exec("PRAGMA synchronous=FULL");  // the copy is on disk when the last step returns
  // The snapshot's read transaction begins with its first read; every step then reads within it
  // (sqlite3_backup_step opens a transaction of its own only when none is open), so no other
  // connection's commit restarts the copy.
  const Database::ReadSnapshot snapshot(source);
  (void)source.sql().execAndGet("SELECT COUNT(*) FROM sqlite_master");
  SQLite::Backup backup(destination, "main", source.sql(), "main");
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

Error failed_check(const std::filesystem::path& target, const std::string& what) {
  return make_error(ErrorCode::integrity, "the copy for " + whole_in_quotes(target) + " failed its check, so " +
                                              "it was not kept: " + what +
                                              ". Run `docket audit verify` on the database itself");
}

bool has_table(Database& database, const std::string& name) {
  SQLite::Statement query(database.sql(), "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
  query.bind(1, name);
  return query.executeStep() && query.getColumn(0).getInt() > 0;
}

// The checks of `docket audit verify` that need no workflows: the file, then both hash chains.
Status verify_copy(const std::string& copy, const std::filesystem::path& target, int busy_timeout_ms,
                   BackupReport& report) {
  DOCKET_TRY(opened, Database::open({copy, false, busy_timeout_ms, true, OlderSchema::as_is}));
  Database& database = **opened;
  return catch_storage_errors(database, [&]() -> Status {
    report.schema_version = database.sql().execAndGet("PRAGMA user_version").getInt();
    report.bytes = report.pages * database.sql().execAndGet("PRAGMA page_size").getInt64();
    DOCKET_TRY(complaints, check_file_integrity(database));
    if (!complaints->empty()) return failed_check(target, "SQLite's integrity_check says " + complaints->front());
    DOCKET_TRY(events, verify_audit(database));
    if (!events->ok) {
      return failed_check(target, "the case history is broken at event " + std::to_string(events->seq) + " (case " +
                                      events->case_number + "): " + events->problem);
    }
    report.events_verified = events->events_checked;
    if (!has_table(database, "admin_events")) return Ok{};  // a file older than the administrative log
    DOCKET_TRY(admin, verify_admin_log(database));
    if (!admin->ok) return failed_check(target, "the administrative log is broken: " + admin->problem);
    report.admin_events_verified = admin->events_checked;
    return Ok{};
  });
}

}  // namespace

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
  const Status copied = catch_storage_errors(source, [&] { return copy_pages(source, copy.path(), options, report); });
  if (!copied) return copied.error();
  if (const Status verified = verify_copy(copy.path(), target, source.busy_timeout_ms(), report); !verified)
    return verified.error();
  if (const Status linked = link_new_file(copy.path(), target); !linked) return linked.error();
  return report;
}

}  // namespace docket
