// The plugin interface. A plugin sees every committed change to a case inside the same
// transaction, may schedule timers and queue outgoing messages in that transaction, and may
// answer with scheduler commands whose events join it. When one of its timers falls due, the
// scheduler wakes it, again inside one transaction that also marks the timer fired: a timer
// fires exactly once, or not at all if that transaction rolls back.
//
// Built-in plugins live in plugins/ (deadlines, notifications). Plugins see only the core's
// types and this header: no SQL, no sockets. Thread-safety: a plugin object is called from one
// thread at a time (the writer); it must not keep references to what it is given.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/case.h"
#include "core/command.h"
#include "core/event.h"
#include "core/result.h"
#include "core/workflow.h"

namespace docket {

struct Timer {
  std::int64_t id = 0;  // assigned by the store
  std::string case_number;
  std::string plugin;
  std::string kind;  // the plugin's own word: "reminder", "breach", "escalation"
  std::string stage;
  Timestamp due_at{};
  std::map<std::string, std::string> attributes;
  // When the timer stands for several moments (a plugin that schedules the next one as each
  // fires), when the later ones are due. The store counts those due among the moments owed
  // (CaseStore::moments_due) without knowing how the plugin carries them.
  std::vector<Timestamp> later_moments;
};

// A message for the outbox (delivered after commit by the notifications dispatcher).
struct OutgoingMessage {
  std::int64_t event_seq = 0;  // 0: the newest event of the change
  std::string channel;         // "webhook", "email", "log", ...
  std::string recipient;
  std::string body;  // JSON
};

// What a plugin may do inside the current transaction.
class PluginContext {
 public:
  virtual ~PluginContext() = default;
  virtual Timestamp now() const = 0;
  virtual const Calendar& calendar() const = 0;
  // This plugin's timers on the case that have not fired.
  virtual std::vector<Timer> pending_timers(const std::string& case_number) = 0;
  // Adds `timer` (with the later moments it stands for, if any) when the change commits.
  virtual void schedule(const Timer& timer) = 0;
  // Cancels this plugin's unfired timers on the case.
  virtual void cancel_timers(const std::string& case_number) = 0;
  // The parent of an organisation unit; nullopt for the root or an unknown unit.
  virtual std::optional<std::string> parent_unit(const std::string& unit) = 0;
  virtual void enqueue(const OutgoingMessage& message) = 0;
};

// One committed change to a case: the state before and after its events.
struct CaseChange {
  const WorkflowDefinition& definition;
  const Case& before;  // version 0 when the case was just opened
  const Case& after;
  const std::vector<Event>& events;
};

class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual std::string_view name() const = 0;

  // Called for every change before COMMIT. Returns scheduler commands to run on the case in
  // the same transaction (their events are part of the change the next plugin sees).
  // An error rolls the whole command back.
  virtual Result<std::vector<Command>> after_change(const CaseChange& change, PluginContext& context) = 0;

  // One of this plugin's timers is due. Returns scheduler commands for the case.
  virtual Result<std::vector<Command>> on_timer(const Timer& timer, const WorkflowDefinition& definition,
                                                const Case& current, PluginContext& context) = 0;
};

}  // namespace docket
