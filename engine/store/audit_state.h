// What `audit verify` checks beyond the hash chains (store/audit.h), so that a change made with
// plain SQL shows: SQLite's own check of the file, each event's payload in canonical form, each
// case's stored state equal to the fold of its events, and each stored document's bytes equal to
// the SHA-256 recorded for them (docs/audit.md, "What verify proves").
// Each function streams over the database (one case, one event, one document at a time).
// A SQLite fault is an error (busy, storage, storage_corrupt), a difference is an answer.
// Thread-safety: as the Database.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/database.h"

namespace docket {

// PRAGMA integrity_check's first `max_messages` complaints about the file; empty when SQLite
// finds it sound. Errors: busy, storage, storage_corrupt (SQLite could not even read the pages
// it checks; the error says so).
Result<std::vector<std::string>> check_file_integrity(Database& database, int max_messages = 10);

struct StateReport {
  bool ok = true;
  std::int64_t cases_checked = 0;
  std::int64_t documents_checked = 0;  // stored files re-hashed
  // The first difference, when !ok: its case (empty for a file no case names), the event whose
  // payload is not canonical (seq 0 otherwise), what differs ("stage", "recommendation 2
  // status", "document bien-ban v1 bytes") and both values.
  std::string case_number;
  std::int64_t seq = 0, case_seq = 0;
  std::string column, stored, folded;
  std::string problem;  // one line naming all of the above
};

// For each case, in the order they were opened: checks its events' payloads are canonical JSON,
// folds them (core/state_machine.h) and compares every column of the state the API shows with the
// stored one; then re-hashes every stored document. Stops at the first difference. REQUIRES: the
// hash chains verified (verify_audit), or a difference may stem from a broken event.
// Errors: busy, storage, storage_corrupt; internal for an event that does not decode.
Result<StateReport> verify_case_state(Database& database);

}  // namespace docket
