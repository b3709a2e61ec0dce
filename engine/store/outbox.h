// The outbox: messages the notifications plugin wrote in the same transaction as the events
// that caused them, waiting for the dispatcher to deliver them after commit. This class owns
// every statement on the outbox table (the store's change pipeline adds messages through it),
// so that the dispatcher (plugins/notifications) and the server need no SQLite header.
//
// A message is identified to receivers by its idempotency key "<event seq>:<channel>:<recipient>",
// or, for a message about no case (a signed checkpoint), "<topic>:<channel>:<recipient>".
// Claiming a message counts an attempt and hides it for a lease; a dispatcher that dies while
// delivering leaves it to be claimed again when the lease ends (at least once, never lost).
//
// Thread-safety: as the Database it is given (one thread at a time). Several dispatchers on
// several connections may share a file: claiming is a write transaction, so each due message
// goes to one of them.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "plugin/plugin.h"

namespace SQLite {
class Statement;
}

namespace docket {

class Database;

enum class OutboxStatus { pending, delivered, dead };

// "pending", "delivered", "dead" (as stored).
const char* to_string(OutboxStatus status);

struct OutboxEntry {
  std::int64_t id = 0;
  std::int64_t event_seq = 0;  // 0 for a message about no case
  std::string topic;           // what a message about no case is about ("checkpoint-..."); else empty
  std::string case_number;     // empty for a message about no case
  std::string channel;
  std::string recipient;
  std::string body;  // JSON, as the plugin wrote it
  OutboxStatus status = OutboxStatus::pending;
  int attempts = 0;
  Timestamp next_attempt_at{};
  std::optional<Timestamp> last_attempt_at;
  std::optional<Timestamp> delivered_at;
  std::string last_error;

  // "<event seq>:<channel>:<recipient>" ("<topic>:..." for a message about no case): the same
  // for every attempt, in every process.
  std::string idempotency_key() const;
};

struct OutboxFilter {
  bool failed_only = false;  // dead-lettered, or pending after a failed attempt
  int limit = 1000;
};

class Outbox {
 public:
  explicit Outbox(Database& database) : db_(database) {}

  // Queues `message`, due at `now`, for the change whose newest event has log sequence
  // `newest_seq` (used when the message names no event). A message already queued with the same
  // idempotency key is left as it is. REQUIRES: inside the change's write transaction (the
  // store's change pipeline calls it). Errors: storage.
  Status add(const OutgoingMessage& message, std::int64_t newest_seq, Timestamp now);
  // Queues `message` about no case, due at `now`, under `topic` (its event_seq is ignored). A
  // message with the same topic, channel and recipient is left as it is. Errors: busy, storage.
  Status add_about(const std::string& topic, const OutgoingMessage& message, Timestamp now);

  // Claims up to `limit` pending messages due at `now`, oldest first: each one's attempt is
  // counted, last_attempt_at set to `now`, and it is not due again before now + lease.
  // Errors: busy, storage (nothing claimed).
  Result<std::vector<OutboxEntry>> claim_due(Timestamp now, std::chrono::seconds lease, int limit);

  // A failed attempt: the message is due again at `next_attempt_at`. Errors: not_found, busy, storage.
  Status reschedule(std::int64_t id, Timestamp next_attempt_at, const std::string& error);

  // The final outcome. Meant to run inside the transaction that records the outcome in the case
  // history (see Dispatcher). Errors: not_found, storage.
  Status mark_delivered(std::int64_t id, Timestamp at, const std::string& note = "");
  Status mark_dead(std::int64_t id, const std::string& error);

  // Puts a dead or pending message back in the queue, due at `now`, its attempts reset; it
  // keeps its idempotency key. Errors: not_found (no such id), invalid_argument (delivered).
  Result<OutboxEntry> retry(std::int64_t id, Timestamp now);

  // Message `id`. Errors: not_found, busy, storage.
  Result<OutboxEntry> get(std::int64_t id);
  // Messages in queue order, as `filter` asks. Errors: busy, storage.
  Result<std::vector<OutboxEntry>> list(const OutboxFilter& filter);
  // When the earliest pending message is due; nullopt when none is pending. Errors: busy, storage.
  Result<std::optional<Timestamp>> next_due();
  // How many messages are pending (the backlog the metrics report). Errors: busy, storage.
  Result<std::int64_t> backlog();
  // How many messages failed for good (dead letters, until retried). Errors: busy, storage.
  Result<std::int64_t> dead_letters();

 private:
  // Inserts `message`, what it is about bound as parameter 1 by `bind_about` into `about_column`
  // (event_seq or topic). REQUIRES: inside a write transaction.
  Status insert(const char* about_column, const std::function<void(SQLite::Statement&)>& bind_about,
                const OutgoingMessage& message, Timestamp now);

  Database& db_;
};

}  // namespace docket
