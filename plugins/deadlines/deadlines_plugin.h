// The deadlines plugin: turns each stage's deadline spec into a recorded due date and timers
// (reminders, the breach, the escalation), moves them when the anchor field or the calendar
// changes, and records reminder, breach and escalation events when the timers fire.
//
// On breach of a stage that waits for answers (a transition out of it requires every
// recommendation answered), recommendations still "sent" become "unanswered"; on escalation
// they become "escalated". Escalation makes the `escalate_to` role at the parent unit
// responsible. Thread-safety: stateless; one call at a time is all the store makes.
#pragma once

#include <string>
#include <vector>

#include "plugin/plugin.h"

namespace docket {

class DeadlinesPlugin final : public Plugin {
 public:
  static constexpr std::string_view kName = "deadlines";

  std::string_view name() const override { return kName; }
  Result<std::vector<Command>> after_change(const CaseChange& change, PluginContext& context) override;
  Result<std::vector<Command>> on_timer(const Timer& timer, const WorkflowDefinition& definition, const Case& current,
                                        PluginContext& context) override;

  // Every moment still to come of the deadlines plugin's pending timers, in due order. The
  // plugin keeps one pending timer per case and carries the later moments of the stage with it
  // (scheduled one after the other as each fires); this lists them all.
  // The first timer tells the store when the later moments are due (Timer::later_moments).
  static std::vector<Timer> planned(const std::vector<Timer>& pending);

  // Computes the case's due date again (e.g. after the calendar changed). Reschedules and
  // returns a RecordDeadline command when it moved; nothing when it did not.
  Result<std::vector<Command>> recompute(const WorkflowDefinition& definition, const Case& current,
                                         PluginContext& context, const std::string& reason);
};

}  // namespace docket
