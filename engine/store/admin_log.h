// The administrative log: every change to the organisation tree, users, roles, administrators,
// API tokens (never a token itself), calendars and workflows, as an append-only, hash-chained
// list of events of its own (table admin_events), each written in the transaction that makes
// the change. Chained as the case log is (docs/audit.md):
//   hash = SHA-256(previous event's hash ‖ canonical event bytes), 32 zero bytes before the first
// and the newest event's seq and hash are kept apart (admin_log_tip), so that cutting the log
// short is caught as well. A SQLite fault is a busy or storage error, never an exception.
// Thread-safety: as the Database.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/time.h"
#include "store/database.h"

namespace docket {

// The actor of a change no person asked for by name (Docket itself, or a caller that names no
// one). The CLI names the --as user or the OS account ("os:root"), the API the token's user.
inline constexpr const char* kSystemActor = "system";

// One member of an event's payload: text or an integer.
using AdminValue = std::variant<std::string, std::int64_t>;
using AdminPayload = std::map<std::string, AdminValue>;

struct AdminEvent {
  std::int64_t seq = 0;  // from 1, without gaps
  std::string type;      // "unit.added", "role.granted", ... (docs/audit.md)
  std::string at;        // UTC, "2026-04-30T08:30:00Z"
  std::string actor;
  std::string payload_json;  // canonical JSON
};

// {"actor":…,"at":…,"payload":{…},"seq":…,"type":…} (RFC 8785): the bytes hashed.
std::string canonical_admin_event_bytes(const AdminEvent& event);

// Appends an event of `type` by `actor` at `at` to the log and moves its tip. REQUIRES: called
// inside database.write(), so that the change and its event commit together or not at all.
// Errors: busy, storage (the caller's write then rolls back).
Status record_admin_event(Database& database, std::string_view type, const std::string& actor, Timestamp at,
                          const AdminPayload& payload);

struct AdminLogReport {
  bool ok = true;
  std::int64_t events_checked = 0;
  // The first broken event, when !ok (0 when the log ends early).
  std::int64_t seq = 0;
  std::string problem;
};

// Recomputes the chain over every event in seq order and checks it against the tip; stops at
// the first broken event (a broken chain is an answer, not an error). Errors: busy, storage.
Result<AdminLogReport> verify_admin_log(Database& database);

// Every event, oldest first. Errors: busy, storage.
Result<std::vector<AdminEvent>> admin_events(Database& database);

// Writes one JSON object per line for each event: seq, type, at, actor, payload, prev_hash and
// hash (hex). Errors: busy, storage (`out` may hold the lines written before).
Status export_admin_log(Database& database, std::ostream& out);

}  // namespace docket
