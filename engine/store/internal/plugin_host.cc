#include "store/internal/plugin_host.h"

#include "core/state_machine.h"
#include "store/outbox.h"

namespace docket {

Status PluginHost::apply_plugin_commands(const WorkflowDefinition& definition, Case& state, std::vector<Event>& events,
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
    if (const Status done = apply_plugin_commands(definition, state, events, *commands); !done) return done;
  }
  return Ok{};
}

std::vector<Timer> PluginHost::pending_timers(const std::string& case_number) {
  std::vector<Timer> timers = timer_rows::pending(db_, case_number, plugin_);
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

Status PluginHost::flush(std::int64_t case_id, std::int64_t newest_seq) {
  timer_rows::write(db_, case_id, changes_);
  changes_.clear();
  Outbox outbox(db_);
  for (const auto& message : outbox_) {
    if (const Status queued = outbox.add(message, newest_seq, now_); !queued) return queued;
  }
  outbox_.clear();
  return Ok{};
}

}  // namespace docket
