// Signed checkpoints: a witness of the audit chains (store/audit.h) kept outside the database.
// A checkpoint records the head of every chain at one moment — the case log's newest event
// (seq, hash), the administrative log's (seq, hash) and each case's newest event (case_seq,
// case_hash) — with counts, the time, the unit that signs and the database's identity (the hash
// of its first event), signed with the unit's Ed25519 key (store/signing_key.h). The file is
// canonical JSON (docs/audit.md, "Signed checkpoints"), named so that names sort by time.
//
// What it catches that no check inside the file can: the newest events deleted with the case row
// fixed up, the chains recomputed after an edit, the newest case deleted whole. The log extends
// a checkpoint when every head it records is still there, at the same place, with the same hash
// (and the chains are intact up to them, which audit verify checks).
//
// Thread-safety: as the Database.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "store/database.h"
#include "store/directory.h"
#include "store/signing_key.h"

namespace docket {

// One chain's newest event as a checkpoint records it; hashes in lower-case hex.
struct CaseHead {
  std::string case_number;
  std::int64_t case_seq = 0;
  std::string case_hash;
};

struct Checkpoint {
  std::string unit;          // the unit (committee) that signs
  std::string at;            // UTC, "2026-12-07T01:50:00Z"
  std::string first_event;   // the database's identity: the hash of log event 1; empty while there is none
  std::int64_t log_seq = 0;  // 0: no event yet
  std::string log_hash;
  std::int64_t admin_seq = 0;
  std::string admin_hash;
  std::int64_t event_count = 0, admin_event_count = 0, case_count = 0;
  std::vector<CaseHead> cases;  // every case that has an event, in the order they were opened
  std::string key;              // the signer's public key, hex
  std::string signature;        // Ed25519 over signed_bytes(), hex
};

// The unit a checkpoint is signed for: `asked` when given (it must exist), else the root of the
// organisation tree when there is one root. Errors: not_found (no such unit), invalid_argument
// (nothing asked and no single root: name the unit), busy, storage.
Result<OrgUnit> signing_unit(Directory& directory, const std::string& asked);

// The heads of every chain in `database` now, read in one snapshot, for `unit` at `now`
// (unsigned). Errors: busy, storage.
Result<Checkpoint> read_heads(Database& database, const std::string& unit, Timestamp now);

// The canonical JSON of `checkpoint` without its signature: the bytes signed.
std::string signed_bytes(const Checkpoint& checkpoint);
// The canonical JSON of the whole checkpoint, as written to its file.
std::string checkpoint_text(const Checkpoint& checkpoint);
// "checkpoint-20261207T015000Z-42.json" (the time, then the log's newest seq).
std::string checkpoint_file_name(const Checkpoint& checkpoint);

// Reads the heads, signs them with `key` and writes the file into `folder` (made if missing).
// Returns the checkpoint and its file. Errors: those of read_heads, already_exists (a file of the
// same name: made in the same second at the same log position), storage (cannot write).
struct WrittenCheckpoint {
  Checkpoint checkpoint;
  std::filesystem::path file;
};
Result<WrittenCheckpoint> write_checkpoint(Database& database, const SigningKey& key, const std::string& unit,
                                           Timestamp now, const std::filesystem::path& folder);

// Parses a checkpoint file's text. Errors: invalid_argument naming the JSON path that is wrong.
Result<Checkpoint> parse_checkpoint(std::string_view text);
// Whether the checkpoint's signature is `key`'s signature of its signed_bytes().
bool signature_valid(const Checkpoint& checkpoint, const PublicKey& key);

// How the database stands against one checkpoint: ok, or the first chain that no longer
// extends it ("case PB-2026-0001", "case log", "administrative log", "database") and why.
struct CheckpointCheck {
  bool ok = true;
  std::string chain;
  std::string problem;
};
// Checks every head of `checkpoint` against `database` in one snapshot: the cases first, in
// the checkpoint's order, then the case log and the administrative log. Errors: busy, storage.
Result<CheckpointCheck> check_checkpoint(Database& database, const Checkpoint& checkpoint);

}  // namespace docket
