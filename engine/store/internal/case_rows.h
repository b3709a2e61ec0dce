// Reading and writing the rows behind a case: the current state (cases, recommendations,
// documents) and its events with their hash chains. Internal to the store; every function
// runs on the caller's connection, inside the caller's transaction when it writes. Given the
// Database (not just its SQLite connection) they reuse its prepared statements.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/case.h"
#include "core/event.h"
#include "core/workflow.h"
#include "store/case_store.h"
#include "store/database.h"
#include "store/internal/hash.h"

namespace docket::rows {

struct LoadedCase {
  std::int64_t id = 0;
  Case state;
  Digest last_hash{};  // case_hash of the case's newest event
};

// The case numbered `number`, or nullopt.
std::optional<LoadedCase> load_case(StatementSource db, const std::string& number);

// Puts the case's documents in the order load_case reads them (by time attached, then kind and
// version), so a state just changed reads the same as one read back.
void order_as_stored(Case& state);

// The cases this connection saved lately, as saved, so a writer changing a case again does not
// read it back (three queries and its JSON, a fifth of a command). An entry is trusted only
// while nothing else can have changed the case: the cache is emptied when another connection
// has committed since (PRAGMA data_version, checked once per transaction) and when a savepoint
// or transaction of this one is rolled back. save() keeps it up to date; every write of a
// case's rows goes through save().
class CaseCache : public Database::WriterCache {
 public:
  // The case as last saved on this connection, taken out of the cache (the change that takes it
  // saves it again with remember()), or nullopt. Call inside a write transaction.
  std::optional<LoadedCase> take(Database& db, const std::string& number);
  // The same, left in the cache, or null; valid until the cache is next used.
  const LoadedCase* find(Database& db, const std::string& number);
  void remember(LoadedCase loaded);

  void rolled_back() override { cases_.clear(); }

 private:
  static constexpr std::size_t kMaxCases = 4096;
  std::unordered_map<std::string, LoadedCase> cases_;
};

// The newest event in the log (its sequence number and chain hash), which the next event's
// hash continues from: kept by the writer across its transactions like CaseCache, read again
// after a rollback or another connection's commit.
class LogTip : public Database::WriterCache {
 public:
  struct Tip {
    std::int64_t seq = 0;  // 0 and a zero hash while the log is empty
    Digest hash{};
  };
  static Tip read(StatementSource db);
  Tip get(Database& db);  // inside a write transaction
  void set(const Tip& tip) { tip_ = tip; }

  void rolled_back() override { tip_.reset(); }

 private:
  std::optional<Tip> tip_;
};

// Whether `stage` ends cases of `definition` (a case there is closed).
bool is_terminal(const WorkflowDefinition& definition, const std::string& stage);

struct Saved {
  std::int64_t case_id = 0;
  std::int64_t newest_seq = 0;  // log sequence of the last event written
};

// Writes `events` (already applied to `before` to give `after`) and the new state of the case,
// and marks the case for the search index when its text changed (SearchIndex::changed). The
// case is closed while it is in a terminal stage of `definition`, the workflow it follows.
// `id` 0 inserts a new case row; `before` is null for a new case.
Saved save(StatementSource db, const WorkflowDefinition& definition, std::int64_t id, const Digest& case_last_hash,
           const Case* before, const Case& after, const std::vector<Event>& events);

// Stores `content` under its SHA-256 (once).
void store_blob(StatementSource db, const Upload& upload);

// The next number of `unit`'s outgoing register for `register_kind` ("CV") and `year`: one more
// than the last issued, so that numbers are gap-free when taken in the issuing transaction.
int next_register_number(StatementSource db, const std::string& unit, const std::string& register_kind, int year);

// Allocates the next number for prefix and year: "PB-2026-0007".
std::string next_case_number(StatementSource db, const std::string& prefix, int year);

Case read_case_row(SQLite::Statement& row);  // columns as in kCaseColumns
extern const char* const kCaseColumns;

}  // namespace docket::rows
