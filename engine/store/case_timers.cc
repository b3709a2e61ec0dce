// CaseStore: deadlines and timers (the scheduler's side of the store).
#include <algorithm>
#include <map>

#include "core/state_machine.h"
#include "store/case_rows.h"
#include "store/case_store.h"
#include "store/plugin_host.h"

namespace docket {
namespace {

std::vector<Case> cases_due(Database& db, const CaseFilter& filter, const std::string& from, const std::string& to) {
  std::string sql = std::string("SELECT ") + rows::kCaseColumns +
                    " FROM cases WHERE closed = 0 AND due_at IS NOT NULL AND due_at >= :from AND due_at <= :to";
  if (!filter.workflow.empty()) sql += " AND workflow_id = :workflow";
  if (!filter.unit.empty()) sql += " AND unit_id = :unit";
  if (!filter.assignee.empty()) sql += " AND assignee = :assignee";
  if (!filter.stage.empty()) sql += " AND stage = :stage";
  sql += " ORDER BY due_at, id LIMIT :limit";
  CachedStatement query_statement = db.prepare(sql);
  SQLite::Statement& query = *query_statement;
  query.bind(":from", from);
  query.bind(":to", to);
  if (!filter.workflow.empty()) query.bind(":workflow", filter.workflow);
  if (!filter.unit.empty()) query.bind(":unit", filter.unit);
  if (!filter.assignee.empty()) query.bind(":assignee", filter.assignee);
  if (!filter.stage.empty()) query.bind(":stage", filter.stage);
  query.bind(":limit", filter.limit);
  std::vector<Case> cases;
  while (query.executeStep()) cases.push_back(rows::read_case_row(query));
  return cases;
}

}  // namespace

const Calendar& CaseStore::default_calendar() {
  static const Calendar weekends_only;
  return weekends_only;
}

std::vector<Case> CaseStore::overdue(const CaseFilter& filter) {
  // due_at is the first moment the deadline is breached: overdue from then on.
  return cases_due(db_, filter, "", format_timestamp(clock_.now()));
}

std::vector<Case> CaseStore::due_within(const CaseFilter& filter, std::chrono::seconds window) {
  const Timestamp now = clock_.now();
  return cases_due(db_, filter, format_timestamp(now + std::chrono::seconds{1}), format_timestamp(now + window));
}

std::optional<Timestamp> CaseStore::next_timer_due() {
  CachedStatement query_statement = db_.prepare("SELECT MIN(due_at) FROM timers WHERE fired_at IS NULL");
  SQLite::Statement& query = *query_statement;
  if (!query.executeStep() || query.getColumn(0).isNull()) return std::nullopt;
  return parse_datetime(query.getColumn(0).getString());
}

std::vector<Timer> CaseStore::pending_timers(const std::string& number) {
  std::vector<Timer> timers;
  CachedStatement query_statement = db_.prepare(std::string("SELECT ") + kTimerColumns +
                                                " FROM timers t JOIN cases c ON c.id = t.case_id"
                                                " WHERE c.number = ? AND t.fired_at IS NULL ORDER BY t.due_at, t.id");
  SQLite::Statement& query = *query_statement;
  query.bind(1, number);
  while (query.executeStep()) timers.push_back(read_timer(query));
  return timers;
}

Plugin* CaseStore::plugin_named(const std::string& name) const {
  const auto plugin =
      std::find_if(plugins_.begin(), plugins_.end(), [&](const Plugin* p) { return p->name() == name; });
  return plugin == plugins_.end() ? nullptr : *plugin;
}

std::int64_t CaseStore::moments_due() {
  const Timestamp now = clock_.now();
  std::map<std::string, std::vector<Timer>> due;  // by plugin
  CachedStatement query_statement = db_.prepare(std::string("SELECT ") + kTimerColumns +
                                                " FROM timers t JOIN cases c ON c.id = t.case_id"
                                                " WHERE t.fired_at IS NULL AND t.due_at <= ?");
  SQLite::Statement& query = *query_statement;
  query.bind(1, format_timestamp(now));
  while (query.executeStep()) {
    Timer timer = read_timer(query);
    due[timer.plugin].push_back(std::move(timer));
  }
  std::int64_t count = 0;
  for (const auto& [name, timers] : due) {
    const Plugin* plugin = plugin_named(name);
    const std::vector<Timer> moments = plugin == nullptr ? timers : plugin->moments(timers);
    count += std::count_if(moments.begin(), moments.end(), [&](const Timer& moment) { return moment.due_at <= now; });
  }
  return count;
}

Result<int> CaseStore::fire_due_timers() {
  int fired = 0;
  for (;;) {
    bool found = false;
    const Status written = db_.write([&]() -> Status {
      CachedStatement next_statement =
          db_.prepare(std::string("SELECT ") + kTimerColumns +
                      ", t.case_id FROM timers t JOIN cases c ON c.id = t.case_id"
                      " WHERE t.fired_at IS NULL AND t.due_at <= ? ORDER BY t.due_at, t.id LIMIT 1");
      SQLite::Statement& next = *next_statement;
      next.bind(1, format_timestamp(clock_.now()));
      if (!next.executeStep()) return Ok{};
      found = true;
      const Timer timer = read_timer(next);
      const std::int64_t case_id = next.getColumn(7).getInt64();
      next.reset();
      return fire(timer, case_id);
    });
    if (!written) return written.error();
    if (!found) return fired;
    ++fired;
  }
}

// Marks `timer` fired and commits the events its plugin produces, in the caller's transaction.
Status CaseStore::fire(const Timer& timer, std::int64_t case_id) {
  const Timestamp now = clock_.now();
  CachedStatement mark_statement = db_.prepare("UPDATE timers SET fired_at = ? WHERE id = ?");
  SQLite::Statement& mark = *mark_statement;
  mark.bind(1, format_timestamp(now));
  mark.bind(2, static_cast<int64_t>(timer.id));
  mark.exec();
  Plugin* plugin = plugin_named(timer.plugin);
  if (plugin == nullptr) return Ok{};  // its plugin is not loaded: the timer is spent
  auto loaded = rows::load_case(db_, timer.case_number);
  if (!loaded) return Ok{};
  const WorkflowDefinition* definition = catalog_.find(loaded->state.workflow_id, loaded->state.workflow_version);
  if (definition == nullptr || rows::is_terminal(*definition, loaded->state.stage)) return Ok{};
  PluginHost host(db_, *calendar_, now);
  host.set_plugin(timer.plugin);
  auto commands = plugin->on_timer(timer, *definition, loaded->state, host);
  if (!commands) return commands.error();
  Case state = loaded->state;
  std::vector<Event> events;
  if (const Status done = host.execute_as_scheduler(*definition, state, events, *commands); !done) return done;
  if (events.empty()) return Ok{};
  if (const Status done = host.after_change(plugins_, *definition, loaded->state, state, events); !done) return done;
  const rows::Saved saved = rows::save(db_, *definition, case_id, loaded->last_hash, &loaded->state, state, events);
  host.flush(saved.case_id, saved.newest_seq);
  return Ok{};
}

Result<Case> CaseStore::run_plugin_action(const std::string& number, Plugin& plugin, const PluginAction& action) {
  std::optional<Case> result;
  const Status written = db_.write([&]() -> Status {
    auto loaded = rows::load_case(db_, number);
    if (!loaded) return make_error(ErrorCode::not_found, "unknown case " + in_quotes(number));
    const WorkflowDefinition* definition = catalog_.find(loaded->state.workflow_id, loaded->state.workflow_version);
    if (definition == nullptr)
      return make_error(ErrorCode::internal, "case " + number + " follows a workflow that is not installed");
    PluginHost host(db_, *calendar_, clock_.now());
    host.set_plugin(std::string(plugin.name()));
    auto commands = action(*definition, loaded->state, host);
    if (!commands) return commands.error();
    Case state = loaded->state;
    std::vector<Event> events;
    if (const Status done = host.execute_as_scheduler(*definition, state, events, *commands); !done) return done;
    if (!events.empty()) {
      if (const Status done = host.after_change(plugins_, *definition, loaded->state, state, events); !done)
        return done;
    }
    const rows::Saved saved =
        events.empty() ? rows::Saved{loaded->id, 0}
                       : rows::save(db_, *definition, loaded->id, loaded->last_hash, &loaded->state, state, events);
    host.flush(saved.case_id, saved.newest_seq);
    result = std::move(state);
    return Ok{};
  });
  if (!written) return written.error();
  return *result;
}

}  // namespace docket
