#include "store/internal/timer_rows.h"

#include <map>

#include "store/internal/event_codec.h"

namespace docket::timer_rows {
namespace {

constexpr const char* kColumns = "t.id, c.number, t.plugin, t.kind, t.stage, t.due_at, t.payload, t.later_due";

// Timestamps in the later_due column: a JSON array of strings, so SQL can count them (json_each).
std::string encode_moments(const std::vector<Timestamp>& moments) {
  std::string json = "[";
  for (const Timestamp& moment : moments) json += (json.size() > 1 ? ",\"" : "\"") + format_timestamp(moment) + "\"";
  return json + "]";
}

std::vector<Timestamp> decode_moments(const std::string& json) {
  std::vector<Timestamp> moments;
  for (std::size_t open = json.find('"'); open != std::string::npos; open = json.find('"', open + 1)) {
    const std::size_t close = json.find('"', open + 1);
    if (close == std::string::npos) break;
    if (auto moment = parse_datetime(json.substr(open + 1, close - open - 1))) moments.push_back(*moment);
    open = close;
  }
  return moments;
}

Timer read_timer(SQLite::Statement& row) {
  Timer timer;
  timer.id = row.getColumn(0).getInt64();
  timer.case_number = row.getColumn(1).getString();
  timer.plugin = row.getColumn(2).getString();
  timer.kind = row.getColumn(3).getString();
  timer.stage = row.getColumn(4).getString();
  timer.due_at = parse_datetime(row.getColumn(5).getString()).value_or(Timestamp{});
  timer.attributes = decode_fields(row.getColumn(6).getString());
  timer.later_moments = decode_moments(row.getColumn(7).getString());
  return timer;
}

std::vector<Timer> read_all(SQLite::Statement& query) {
  std::vector<Timer> timers;
  while (query.executeStep()) timers.push_back(read_timer(query));
  return timers;
}

// Writes `timer` into the pending row `reused`, or a new row of `plugin` on case `case_id`.
void write_timer(Database& db, std::int64_t case_id, const std::string& plugin, const Timer& timer,
                 std::optional<std::int64_t> reused) {
  CachedStatement write_statement =
      reused ? db.prepare("UPDATE timers SET kind = ?, stage = ?, due_at = ?, payload = ?, later_due = ? WHERE id = ?")
             : db.prepare(
                   "INSERT INTO timers (kind, stage, due_at, payload, later_due, case_id, plugin) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)");
  SQLite::Statement& write = *write_statement;
  write.bind(1, timer.kind);
  write.bind(2, timer.stage);
  write.bind(3, format_timestamp(timer.due_at));
  write.bind(4, encode_fields(timer.attributes));
  write.bind(5, encode_moments(timer.later_moments));
  if (reused) {
    write.bind(6, static_cast<int64_t>(*reused));
  } else {
    write.bind(6, static_cast<int64_t>(case_id));
    write.bind(7, plugin);
  }
  write.exec();
}

}  // namespace

std::vector<Timer> pending(Database& db, const std::string& number) {
  CachedStatement query_statement = db.prepare(std::string("SELECT ") + kColumns +
                                               " FROM timers t JOIN cases c ON c.id = t.case_id"
                                               " WHERE c.number = ? AND t.fired_at IS NULL ORDER BY t.due_at, t.id");
  query_statement->bind(1, number);
  return read_all(*query_statement);
}

std::vector<Timer> pending(Database& db, const std::string& number, const std::string& plugin) {
  CachedStatement query_statement =
      db.prepare(std::string("SELECT ") + kColumns +
                 " FROM timers t JOIN cases c ON c.id = t.case_id"
                 " WHERE c.number = ? AND t.plugin = ? AND t.fired_at IS NULL ORDER BY t.due_at, t.id");
  query_statement->bind(1, number);
  query_statement->bind(2, plugin);
  return read_all(*query_statement);
}

std::optional<Timestamp> next_due(Database& db) {
  CachedStatement query_statement = db.prepare("SELECT MIN(due_at) FROM timers WHERE fired_at IS NULL");
  SQLite::Statement& query = *query_statement;
  if (!query.executeStep() || query.getColumn(0).isNull()) return std::nullopt;
  return parse_datetime(query.getColumn(0).getString());
}

std::optional<Timer> earliest_due(Database& db, Timestamp now) {
  CachedStatement next_statement =
      db.prepare(std::string("SELECT ") + kColumns +
                 " FROM timers t JOIN cases c ON c.id = t.case_id"
                 " WHERE t.fired_at IS NULL AND t.due_at <= ? ORDER BY t.due_at, t.id LIMIT 1");
  SQLite::Statement& next = *next_statement;
  next.bind(1, format_timestamp(now));
  if (!next.executeStep()) return std::nullopt;
  return read_timer(next);
}

void mark_fired(Database& db, std::int64_t id, Timestamp at) {
  CachedStatement mark_statement = db.prepare("UPDATE timers SET fired_at = ? WHERE id = ?");
  SQLite::Statement& mark = *mark_statement;
  mark.bind(1, format_timestamp(at));
  mark.bind(2, static_cast<int64_t>(id));
  mark.exec();
}

std::int64_t moments_due(Database& db, Timestamp now) {
  CachedStatement count_statement = db.prepare(R"sql(
    SELECT (SELECT COUNT(*) FROM timers WHERE fired_at IS NULL AND due_at <= ?1)
         + (SELECT COUNT(*) FROM timers t, json_each(t.later_due) m
            WHERE t.fired_at IS NULL AND t.due_at <= ?1 AND m.value <= ?1))sql");
  SQLite::Statement& count = *count_statement;
  count.bind(1, format_timestamp(now));
  count.executeStep();
  return count.getColumn(0).getInt64();
}

void write(Database& db, std::int64_t case_id, const std::vector<TimerChange>& changes) {
  // A deadline moving on (cancel, then schedule) rewrites the plugin's pending timer rows in
  // place rather than deleting and inserting them: a row updated keeps its place in the table and
  // in timers_case, so each timer costs one UPDATE instead of a DELETE and an INSERT. Fired
  // timers are never touched: they stay as the record of what fired.
  std::map<std::string, std::vector<std::int64_t>> reusable;  // by plugin: pending rows cancelled
  std::map<std::string, bool> cancelled_last;                 // by plugin: its last change was a cancel
  for (const auto& change : changes) {
    std::vector<std::int64_t>& rows = reusable[change.plugin];
    bool& repeated = cancelled_last[change.plugin];
    if (change.cancel && repeated) continue;  // nothing written since: the rows are already those
    repeated = change.cancel;
    if (change.cancel) {
      rows.clear();
      CachedStatement pending_statement =
          db.prepare("SELECT id FROM timers WHERE case_id = ? AND plugin = ? AND fired_at IS NULL ORDER BY id DESC");
      SQLite::Statement& pending_rows = *pending_statement;
      pending_rows.bind(1, static_cast<int64_t>(case_id));
      pending_rows.bind(2, change.plugin);
      while (pending_rows.executeStep()) rows.push_back(pending_rows.getColumn(0).getInt64());
      continue;
    }
    std::optional<std::int64_t> reused;
    if (!rows.empty()) {
      reused = rows.back();
      rows.pop_back();
    }
    write_timer(db, case_id, change.plugin, change.timer, reused);
  }
  // Cancelled timers no new one took the place of are removed.
  for (const auto& [plugin, rows] : reusable) {
    for (const std::int64_t id : rows) {
      CachedStatement remove_statement = db.prepare("DELETE FROM timers WHERE id = ?");
      remove_statement->bind(1, static_cast<int64_t>(id));
      remove_statement->exec();
    }
  }
}

}  // namespace docket::timer_rows
