// CaseStore: deadlines and timers (the scheduler's side of the store). Firing a timer is a
// change like any other: it takes the pipeline in case_change.cc.
#include <algorithm>

#include "store/case_store.h"
#include "store/internal/case_rows.h"
#include "store/internal/timer_rows.h"

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

Result<std::vector<Case>> CaseStore::overdue(const CaseFilter& filter) {
  // due_at is the first moment the deadline is breached: overdue from then on.
  return catch_storage(db_, [&] { return cases_due(db_, filter, "", format_timestamp(clock_.now())); });
}

Result<std::vector<Case>> CaseStore::due_within(const CaseFilter& filter, std::chrono::seconds window) {
  const Timestamp now = clock_.now();
  return catch_storage(db_, [&] {
    return cases_due(db_, filter, format_timestamp(now + std::chrono::seconds{1}), format_timestamp(now + window));
  });
}

Result<std::optional<Timestamp>> CaseStore::next_timer_due() {
  return catch_storage(db_, [&] { return timer_rows::next_due(db_); });
}

Result<std::vector<Timer>> CaseStore::pending_timers(const std::string& number) {
  return catch_storage(db_, [&] { return timer_rows::pending(db_, number); });
}

Result<std::int64_t> CaseStore::moments_due() {
  return catch_storage(db_, [&] { return timer_rows::moments_due(db_, clock_.now()); });
}

Plugin* CaseStore::plugin_named(const std::string& name) const {
  const auto plugin =
      std::find_if(plugins_.begin(), plugins_.end(), [&](const Plugin* p) { return p->name() == name; });
  return plugin == plugins_.end() ? nullptr : *plugin;
}

Result<int> CaseStore::fire_due_timers() {
  int fired = 0;
  for (;;) {
    bool found = false;
    const Status written = db_.write([&]() -> Status {
      const std::optional<Timer> timer = timer_rows::earliest_due(db_, clock_.now());
      if (!timer) return Ok{};
      found = true;
      return fire(*timer);
    });
    if (!written) return written.error();
    if (!found) return fired;
    ++fired;
  }
}

// Marks `timer` fired and commits the events its plugin produces, in the caller's transaction.
Status CaseStore::fire(const Timer& timer) {
  timer_rows::mark_fired(db_, timer.id, clock_.now());
  Plugin* plugin = plugin_named(timer.plugin);
  if (plugin == nullptr) return Ok{};  // its plugin is not loaded: the timer is spent
  Change change;
  change.number = timer.case_number;
  change.as_system = true;
  change.plugin = timer.plugin;
  change.make = [&](const WorkflowDefinition& definition, const Case& current, PluginContext& context) {
    return plugin->on_timer(timer, definition, current, context);
  };
  change.from_timer = true;
  auto changed = apply(change);
  if (!changed) return changed.error();
  return Ok{};
}

}  // namespace docket
