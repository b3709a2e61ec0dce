// Reading and writing the rows behind a case: the current state (cases, recommendations,
// documents) and its events with their hash chains. Internal to the store; every function
// runs on the caller's connection, inside the caller's transaction when it writes. Given the
// Database (not just its SQLite connection) they reuse its prepared statements.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/case.h"
#include "core/event.h"
#include "store/case_store.h"
#include "store/hash.h"

namespace docket::rows {

struct LoadedCase {
  std::int64_t id = 0;
  Case state;
  Digest last_hash{};  // case_hash of the case's newest event
};

// The case numbered `number`, or nullopt.
std::optional<LoadedCase> load_case(StatementSource db, const std::string& number);

struct Saved {
  std::int64_t case_id = 0;
  std::int64_t newest_seq = 0;  // log sequence of the last event written
};

// Writes `events` (already applied to `before` to give `after`) and the new state of the case,
// and has the case's search index row brought up to date (SearchIndex::changed).
// `id` 0 inserts a new case row; `before` is null for a new case.
Saved save(StatementSource db, std::int64_t id, const Digest& case_last_hash, const Case* before, const Case& after,
           bool closed, const std::vector<Event>& events);

// Stores `content` under its SHA-256 (once).
void store_blob(StatementSource db, const Upload& upload);

// Allocates the next number for prefix and year: "PB-2026-0007".
std::string next_case_number(StatementSource db, const std::string& prefix, int year);

Case read_case_row(SQLite::Statement& row);  // columns as in kCaseColumns
extern const char* const kCaseColumns;

}  // namespace docket::rows
