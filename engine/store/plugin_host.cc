#include "store/plugin_host.h"

#include <map>

#include "core/state_machine.h"
#include "store/event_codec.h"

namespace docket {

const char* const kTimerColumns = "t.id, c.number, t.plugin, t.kind, t.stage, t.due_at, t.payload";

Timer read_timer(SQLite::Statement& row) {
  Timer timer;
  timer.id = row.getColumn(0).getInt64();
  timer.case_number = row.getColumn(1).getString();
  timer.plugin = row.getColumn(2).getString();
  timer.kind = row.getColumn(3).getString();
  timer.stage = row.getColumn(4).getString();
  timer.due_at = parse_datetime(row.getColumn(5).getString()).value_or(Timestamp{});
  timer.attributes = decode_fields(row.getColumn(6).getString());
  return timer;
}

Status PluginHost::execute_as_scheduler(const WorkflowDefinition& definition, Case& state, std::vector<Event>& events,
                                        const std::vector<Command>& commands) {
  for (const Command& command : commands) {
    auto outcome = execute(definition, state, Actor::system(), now_, command);
    if (!outcome) return outcome.error();
    events.insert(events.end(), outcome->events.begin(), outcome->events.end());
    state = std::move(outcome->state);
  }
  return Ok{};
}

Status PluginHost::after_change(const std::vector<Plugin*>& plugins, const WorkflowDefinition& definition,
                                const Case& before, Case& state, std::vector<Event>& events) {
  for (Plugin* plugin : plugins) {
    set_plugin(std::string(plugin->name()));
    const Case current = state;
    auto commands = plugin->after_change(CaseChange{definition, before, current, events}, *this);
    if (!commands) return commands.error();
    if (const Status done = execute_as_scheduler(definition, state, events, *commands); !done) return done;
  }
  return Ok{};
}

std::vector<Timer> PluginHost::pending_timers(const std::string& case_number) {
  std::vector<Timer> timers;
  CachedStatement query_statement =
      db_.prepare(std::string("SELECT ") + kTimerColumns +
                  " FROM timers t JOIN cases c ON c.id = t.case_id"
                  " WHERE c.number = ? AND t.plugin = ? AND t.fired_at IS NULL ORDER BY t.due_at, t.id");
  SQLite::Statement& query = *query_statement;
  query.bind(1, case_number);
  query.bind(2, plugin_);
  while (query.executeStep()) timers.push_back(read_timer(query));
  // Changes not yet written apply on top of what the table holds.
  for (const auto& change : changes_) {
    if (change.plugin != plugin_ || change.timer.case_number != case_number) continue;
    if (change.cancel) {
      timers.clear();
    } else {
      timers.push_back(change.timer);
    }
  }
  return timers;
}

void PluginHost::schedule(const Timer& timer) { changes_.push_back({false, plugin_, timer}); }

void PluginHost::cancel_timers(const std::string& case_number) {
  Timer which;
  which.case_number = case_number;
  changes_.push_back({true, plugin_, which});
}

std::optional<std::string> PluginHost::parent_unit(const std::string& unit) {
  CachedStatement query_statement = db_.prepare("SELECT parent_id FROM org_units WHERE id = ?");
  SQLite::Statement& query = *query_statement;
  query.bind(1, unit);
  if (!query.executeStep() || query.getColumn(0).isNull()) return std::nullopt;
  return query.getColumn(0).getString();
}

void PluginHost::enqueue(const OutgoingMessage& message) { outbox_.push_back(message); }

void PluginHost::flush(std::int64_t case_id, std::int64_t newest_seq) {
  // A deadline moving on (cancel, then schedule) rewrites the plugin's pending timer rows in
  // place rather than deleting and inserting them: a row updated keeps its place in the table and
  // in timers_case, so each timer costs one UPDATE instead of a DELETE and an INSERT. Fired
  // timers are never touched: they stay as the record of what fired.
  std::map<std::string, std::vector<std::int64_t>> reusable;  // by plugin: pending rows cancelled
  std::map<std::string, bool> cancelled_last;                 // by plugin: its last change was a cancel
  for (const auto& change : changes_) {
    std::vector<std::int64_t>& rows = reusable[change.plugin];
    bool& repeated = cancelled_last[change.plugin];
    if (change.cancel && repeated) continue;  // nothing written since: the rows are already those
    repeated = change.cancel;
    if (change.cancel) {
      rows.clear();
      CachedStatement pending_statement =
          db_.prepare("SELECT id FROM timers WHERE case_id = ? AND plugin = ? AND fired_at IS NULL ORDER BY id DESC");
      SQLite::Statement& pending = *pending_statement;
      pending.bind(1, static_cast<int64_t>(case_id));
      pending.bind(2, change.plugin);
      while (pending.executeStep()) rows.push_back(pending.getColumn(0).getInt64());
      continue;
    }
    const bool reuse = !rows.empty();
    CachedStatement write_statement =
        reuse ? db_.prepare("UPDATE timers SET kind = ?, stage = ?, due_at = ?, payload = ? WHERE id = ?")
              : db_.prepare(
                    "INSERT INTO timers (kind, stage, due_at, payload, case_id, plugin) VALUES (?, ?, ?, ?, ?, ?)");
    SQLite::Statement& write = *write_statement;
    write.bind(1, change.timer.kind);
    write.bind(2, change.timer.stage);
    write.bind(3, format_timestamp(change.timer.due_at));
    write.bind(4, encode_fields(change.timer.attributes));
    if (reuse) {
      write.bind(5, static_cast<int64_t>(rows.back()));
      rows.pop_back();
    } else {
      write.bind(5, static_cast<int64_t>(case_id));
      write.bind(6, change.plugin);
    }
    write.exec();
  }
  // Cancelled timers no new one took the place of are removed.
  for (const auto& [plugin, rows] : reusable) {
    for (const std::int64_t id : rows) {
      CachedStatement remove_statement = db_.prepare("DELETE FROM timers WHERE id = ?");
      remove_statement->bind(1, static_cast<int64_t>(id));
      remove_statement->exec();
    }
  }
  changes_.clear();
  for (const auto& message : outbox_) {
    CachedStatement insert_statement =
        db_.prepare(R"sql(INSERT OR IGNORE INTO outbox (event_seq, channel, recipient, body, next_attempt_at)
      VALUES (?, ?, ?, ?, ?))sql");
    SQLite::Statement& insert = *insert_statement;
    insert.bind(1, static_cast<int64_t>(message.event_seq != 0 ? message.event_seq : newest_seq));
    insert.bind(2, message.channel);
    insert.bind(3, message.recipient);
    insert.bind(4, message.body);
    insert.bind(5, format_timestamp(now_));
    insert.exec();
  }
  outbox_.clear();
}

}  // namespace docket
