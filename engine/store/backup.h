// A consistent copy of a Docket database taken while it is in use (the server and other
// commands go on writing), checked before it gets its name. SQLite's online backup API copies
// the pages in steps, all inside one read transaction on the source: in WAL mode a reader never
// blocks a writer, and every step copies the same snapshot, so writers do not wait for the
// copy and their commits do not make it start over. The copy holds exactly what was committed
// when it began. (docs/operations.md: backup and restore.)
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

}  // namespace docket
