// Runs the plugins inside a store transaction: gives each a PluginContext, executes the
// scheduler commands they return, and keeps the timers and messages they ask for until the
// case row exists, then writes them (through timer_rows and Outbox, which own those tables).
// Internal to the store; used on the writer's connection inside write().
#pragma once

#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/clock.h"
#include "plugin/plugin.h"
#include "store/database.h"
#include "store/internal/timer_rows.h"

namespace docket {

class PluginHost final : public PluginContext {
 public:
  PluginHost(Database& database, const Calendar& calendar, Timestamp now)
      : db_(database), calendar_(calendar), now_(now) {}

  // Lets every plugin see the change (before -> state, `events`); the commands they return are
  // executed as the scheduler, updating `state` and appending to `events`.
  Status after_change(const std::vector<Plugin*>& plugins, const WorkflowDefinition& definition, const Case& before,
                      Case& state, std::vector<Event>& events);

  // Applies the commands a plugin returned to `state` (acting as the system), appending their
  // events; the first refused command fails the whole change.
  Status apply_plugin_commands(const WorkflowDefinition& definition, Case& state, std::vector<Event>& events,
                               const std::vector<Command>& commands);

  // Writes the timers and outgoing messages the plugins asked for, now that the case has row id
  // `case_id` and the change's newest event has log sequence `newest_seq`. Errors: storage.
  Status flush(std::int64_t case_id, std::int64_t newest_seq);

  void set_plugin(std::string name) { plugin_ = std::move(name); }

  // PluginContext
  Timestamp now() const override { return now_; }
  const Calendar& calendar() const override { return calendar_; }
  std::vector<Timer> pending_timers(const std::string& case_number) override;
  void schedule(const Timer& timer) override;
  void cancel_timers(const std::string& case_number) override;
  std::optional<std::string> parent_unit(const std::string& unit) override;
  void enqueue(const OutgoingMessage& message) override;

 private:
  Database& db_;
  const Calendar& calendar_;
  Timestamp now_;
  std::string plugin_;
  std::vector<timer_rows::TimerChange> changes_;  // applied in order by flush()
  std::vector<OutgoingMessage> outbox_;
};

}  // namespace docket
