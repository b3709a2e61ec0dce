// The tamper-evident audit history. Each event stores
//   hash      = SHA-256(previous event's hash in the whole log ‖ canonical event bytes)
//   case_hash = SHA-256(previous event's case_hash in the same case ‖ canonical event bytes)
// with 32 zero bytes before the first event. The canonical bytes are defined in docs/audit.md
// so anyone can re-verify an export without Docket. Events cannot be updated or deleted
// (database triggers). A SQLite fault is a busy or storage error, never an exception.
// Thread-safety: as the Database.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "store/database.h"

namespace docket {

// The fields that identify an event in the log, plus its payload: what the chains hash.
struct EventEnvelope {
  std::int64_t seq = 0;
  std::string case_number;
  std::int64_t case_seq = 0;
  std::string type;
  std::string at;  // UTC, "2026-04-30T08:30:00Z"
  std::string actor;
  std::string payload_json;  // canonical JSON
};

// {"actor":…,"at":…,"case":…,"case_seq":…,"payload":{…},"seq":…,"type":…}: the bytes hashed.
std::string canonical_event_bytes(const EventEnvelope& envelope);

// A link of either chain, and the next one: SHA-256(previous ‖ canonical event bytes). For tools
// that write or check events outside the store (the benchmark's raw-SQL floor).
using ChainHash = std::array<unsigned char, 32>;
ChainHash next_chain_hash(const ChainHash& previous, std::string_view canonical_bytes);

struct AuditReport {
  bool ok = true;
  std::int64_t events_checked = 0;
  // The first broken event, when !ok: its place in the log (0 when it is missing from the end of
  // its case's history), its case and its place in the case's history.
  std::int64_t seq = 0;
  std::string case_number;
  std::int64_t case_seq = 0;
  std::string problem;
};

// Recomputes both chains over every event, in log order; stops at the first broken event,
// which the report describes (a broken chain is an answer, not an error). Errors: busy,
// storage (the log could not be read to the end: nothing is said about the chains).
Result<AuditReport> verify_audit(Database& database);

// Writes one JSON object per line for each event (of one case when `case_number` is set):
// seq, case, case_seq, type, at, actor, payload, prev_hash, hash, case_prev_hash, case_hash.
// Errors: not_found for an unknown case, busy, storage (`out` may hold the lines written before).
Status export_audit(Database& database, const std::optional<std::string>& case_number, std::ostream& out);

}  // namespace docket
