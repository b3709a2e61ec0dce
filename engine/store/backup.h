// A consistent copy of a Docket database taken while it is in use (the server and other
// commands go on writing), checked before it gets its name. SQLite's online backup API copies
// the pages in steps, all inside one read transaction on the source: in WAL mode a reader never
// blocks a writer, and every step copies the same snapshot, so writers do not wait for the
// copy and their commits do not make it start over. The copy holds exactly what was committed
// when it began. Restoring puts such a copy back in place of a database no one has open, keeping
// what it replaces. (docs/operations.md: backup and restore.)
// Thread-safety: as the Database; the source connection is used by the calling thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>

#include "store/database.h"

namespace docket {

struct BackupOptions {
  int pages_per_step = 1024;  // 4 MiB of 4 KiB pages per step
  // Called after each step with the pages copied so far and the source's page count.
  std::function<void(std::int64_t copied, std::int64_t total)> progress;
};

struct BackupReport {
  std::int64_t pages = 0;
  std::int64_t bytes = 0;
  int steps = 0;
  int schema_version = 0;  // the copy's (the source's) PRAGMA user_version
  std::int64_t events_verified = 0;
  std::int64_t admin_events_verified = 0;
};

// Copies `source` to the new file `target`, then checks the copy (PRAGMA integrity_check, the
// hash chains of the case log and of the administrative log, as `docket audit verify` does)
// and only then links it under `target`. Until then the copy is a temporary file next to
// `target` (`target`.tmp-XXXXXX), removed on any failure: a failed check or a crash leaves
// nothing under `target`. REQUIRES: no transaction open on `source`.
// Errors: already_exists when `target` exists (it is left as it is); integrity naming the check
// the copy failed; storage naming the file, storage_full, busy when it cannot be written or read.
Result<BackupReport> back_up(Database& source, const std::filesystem::path& target, const BackupOptions& options = {});

struct RestoreReport {
  BackupReport restored;  // the backup as checked, then the database as checked once restored
  bool kept = false;      // whether there was a database to keep (under `keep`)
  BackupReport replaced;  // what was kept, as checked
};

// Puts the backup at `backup` in place of the database at `target` (which may not exist yet).
// First checks the backup as back_up() checks a copy (refused before anything changes when it
// fails or is of a newer schema than this build's). Then takes SQLite's exclusive lock on
// `target` (EXCLUSIVE locking mode: only granted when no other connection, in any process, has
// the file open), copies the database it replaces to the new file `keep` and checks that copy,
// copies the backup's pages in, in one transaction, and checks the result. A backup of an older
// schema is restored as it is (the next command asks for `docket migrate`).
// Errors: not_found when there is no `backup`; integrity naming the check the backup failed;
// storage when it is newer; busy when `target` is open elsewhere (a running server: stop it
// first); already_exists when `keep` exists; storage naming the file it cannot read or write.
// On any error `target` holds what it held before.
Result<RestoreReport> restore(const std::filesystem::path& backup, const std::filesystem::path& target,
                              const std::filesystem::path& keep, int busy_timeout_ms);

}  // namespace docket
