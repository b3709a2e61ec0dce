#include "store/outbox.h"

#include "store/database.h"

namespace docket {
namespace {

constexpr const char* kColumns = R"sql(
  o.id, o.event_seq, c.number, o.channel, o.recipient, o.body, o.status, o.attempts, o.next_attempt_at,
  o.last_attempt_at, o.delivered_at, o.last_error, o.topic
  FROM outbox o LEFT JOIN events e ON e.seq = o.event_seq LEFT JOIN cases c ON c.id = e.case_id)sql";

OutboxStatus status_from(const std::string& text) {
  if (text == "delivered") return OutboxStatus::delivered;
  if (text == "dead") return OutboxStatus::dead;
  return OutboxStatus::pending;
}

std::optional<Timestamp> optional_time(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return parse_datetime(column.getString());
}

OutboxEntry read_entry(SQLite::Statement& row) {
  OutboxEntry entry;
  entry.id = row.getColumn(0).getInt64();
  entry.event_seq = row.getColumn(1).getInt64();  // 0 when NULL
  entry.case_number = row.getColumn(2).getString();
  entry.topic = row.getColumn(12).getString();
  entry.channel = row.getColumn(3).getString();
  entry.recipient = row.getColumn(4).getString();
  entry.body = row.getColumn(5).getString();
  entry.status = status_from(row.getColumn(6).getString());
  entry.attempts = row.getColumn(7).getInt();
  entry.next_attempt_at = parse_datetime(row.getColumn(8).getString()).value_or(Timestamp{});
  entry.last_attempt_at = optional_time(row.getColumn(9));
  entry.delivered_at = optional_time(row.getColumn(10));
  entry.last_error = row.getColumn(11).getString();
  return entry;
}

Error unknown_message(std::int64_t id) {
  return make_error(ErrorCode::not_found, "no outbox message " + std::to_string(id));
}

// Runs one UPDATE binding `bind`; not_found when it touched no row.
template <typename Bind>
Status update_one(Database& db, std::int64_t id, const char* sql, Bind bind) {
  try {
    SQLite::Statement update(db.sql(), sql);
    bind(update);
    if (update.exec() == 0) return unknown_message(id);
    return Ok{};
  } catch (const SQLite::Exception& problem) {
    return storage_error(problem, db.busy_timeout_ms());
  }
}

}  // namespace

const char* to_string(OutboxStatus status) {
  switch (status) {
    case OutboxStatus::delivered:
      return "delivered";
    case OutboxStatus::dead:
      return "dead";
    case OutboxStatus::pending:
      break;
  }
  return "pending";
}

std::string OutboxEntry::idempotency_key() const {
  return (topic.empty() ? std::to_string(event_seq) : topic) + ":" + channel + ":" + recipient;
}

Result<std::vector<OutboxEntry>> Outbox::claim_due(Timestamp now, std::chrono::seconds lease, int limit) {
  std::vector<OutboxEntry> claimed;
  const Status written = db_.write([&]() -> Status {
    SQLite::Statement due(
        db_.sql(),
        std::string("SELECT") + kColumns +
            " WHERE o.status = 'pending' AND o.next_attempt_at <= ? ORDER BY o.next_attempt_at, o.id LIMIT ?");
    due.bind(1, format_timestamp(now));
    due.bind(2, limit);
    while (due.executeStep()) claimed.push_back(read_entry(due));
    for (OutboxEntry& entry : claimed) {
      SQLite::Statement claim(
          db_.sql(),
          "UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ?, next_attempt_at = ? WHERE id = ?");
      claim.bind(1, format_timestamp(now));
      claim.bind(2, format_timestamp(now + lease));
      claim.bind(3, static_cast<int64_t>(entry.id));
      claim.exec();
      entry.attempts += 1;
      entry.last_attempt_at = now;
      entry.next_attempt_at = now + lease;
    }
    return Ok{};
  });
  if (!written) return written.error();
  return claimed;
}

Status Outbox::reschedule(std::int64_t id, Timestamp next_attempt_at, const std::string& error) {
  return db_.write([&] {
    return update_one(db_, id,
                      "UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'pending'",
                      [&](SQLite::Statement& update) {
                        update.bind(1, format_timestamp(next_attempt_at));
                        update.bind(2, error);
                        update.bind(3, static_cast<int64_t>(id));
                      });
  });
}

Status Outbox::mark_delivered(std::int64_t id, Timestamp at, const std::string& note) {
  return update_one(db_, id, "UPDATE outbox SET status = 'delivered', delivered_at = ?, last_error = ? WHERE id = ?",
                    [&](SQLite::Statement& update) {
                      update.bind(1, format_timestamp(at));
                      update.bind(2, note);
                      update.bind(3, static_cast<int64_t>(id));
                    });
}

Status Outbox::mark_dead(std::int64_t id, const std::string& error) {
  return update_one(db_, id, "UPDATE outbox SET status = 'dead', last_error = ? WHERE id = ?",
                    [&](SQLite::Statement& update) {
                      update.bind(1, error);
                      update.bind(2, static_cast<int64_t>(id));
                    });
}

Result<OutboxEntry> Outbox::retry(std::int64_t id, Timestamp now) {
  std::optional<OutboxEntry> queued;
  const Status written = db_.write([&]() -> Status {
    auto entry = get(id);
    if (!entry) return entry.error();
    if (entry->status == OutboxStatus::delivered) {
      return make_error(ErrorCode::invalid_argument, "outbox message " + std::to_string(id) + " was delivered at " +
                                                         format_timestamp(entry->delivered_at.value_or(Timestamp{})) +
                                                         "; there is nothing to retry");
    }
    SQLite::Statement update(db_.sql(),
                             "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ?");
    update.bind(1, format_timestamp(now));
    update.bind(2, static_cast<int64_t>(id));
    update.exec();
    entry->status = OutboxStatus::pending;
    entry->attempts = 0;
    entry->next_attempt_at = now;
    queued = std::move(entry.value());
    return Ok{};
  });
  if (!written) return written.error();
  return *queued;
}

Result<OutboxEntry> Outbox::get(std::int64_t id) {
  try {
    SQLite::Statement query(db_.sql(), std::string("SELECT") + kColumns + " WHERE o.id = ?");
    query.bind(1, static_cast<int64_t>(id));
    if (!query.executeStep()) return unknown_message(id);
    return read_entry(query);
  } catch (const SQLite::Exception& problem) {
    return storage_error(problem, db_.busy_timeout_ms());
  }
}

Result<std::vector<OutboxEntry>> Outbox::list(const OutboxFilter& filter) {
  try {
    std::string sql = std::string("SELECT") + kColumns;
    if (filter.failed_only) sql += " WHERE o.status = 'dead' OR (o.status = 'pending' AND o.last_error <> '')";
    sql += " ORDER BY o.id LIMIT ?";
    SQLite::Statement query(db_.sql(), sql);
    query.bind(1, filter.limit);
    std::vector<OutboxEntry> entries;
    while (query.executeStep()) entries.push_back(read_entry(query));
    return entries;
  } catch (const SQLite::Exception& problem) {
    return storage_error(problem, db_.busy_timeout_ms());
  }
}

Result<std::optional<Timestamp>> Outbox::next_due() {
  try {
    SQLite::Statement query(db_.sql(), "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'");
    if (!query.executeStep() || query.getColumn(0).isNull()) return std::optional<Timestamp>{};
    return parse_datetime(query.getColumn(0).getString());
  } catch (const SQLite::Exception& problem) {
    return storage_error(problem, db_.busy_timeout_ms());
  }
}

namespace {
Result<std::int64_t> count_with_status(Database& db, const char* sql) {
  try {
    CachedStatement count = db.prepare(sql);
    count->executeStep();
    return count->getColumn(0).getInt64();
  } catch (const SQLite::Exception& problem) {
    return storage_error(problem, db.busy_timeout_ms());
  }
}
}  // namespace

Result<std::int64_t> Outbox::backlog() {
  return count_with_status(db_, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'");
}

Result<std::int64_t> Outbox::dead_letters() {
  return count_with_status(db_, "SELECT COUNT(*) FROM outbox WHERE status = 'dead'");
}

Status Outbox::add(const OutgoingMessage& message, std::int64_t newest_seq, Timestamp now) {
  return insert(
      "event_seq",
      [&](SQLite::Statement& row) {
        row.bind(1, static_cast<int64_t>(message.event_seq != 0 ? message.event_seq : newest_seq));
      },
      message, now);
}

Status Outbox::add_about(const std::string& topic, const OutgoingMessage& message, Timestamp now) {
  return db_.write([&] {
    return insert(
        "topic", [&](SQLite::Statement& row) { row.bind(1, topic); }, message, now);
  });
}

Status Outbox::insert(const char* about_column, const std::function<void(SQLite::Statement&)>& bind_about,
                      const OutgoingMessage& message, Timestamp now) {
  try {
    CachedStatement statement = db_.prepare(std::string("INSERT OR IGNORE INTO outbox (") + about_column +
                                            ", channel, recipient, body, next_attempt_at) VALUES (?, ?, ?, ?, ?)");
    SQLite::Statement& row = *statement;
    bind_about(row);
    row.bind(2, message.channel);
    row.bind(3, message.recipient);
    row.bind(4, message.body);
    row.bind(5, format_timestamp(now));
    row.exec();
    return Ok{};
  } catch (const SQLite::Exception& problem) {
    return storage_error(problem, db_.busy_timeout_ms());
  }
}

}  // namespace docket
