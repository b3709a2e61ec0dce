// The case state machine: pure functions from (definition, case, actor, time, command) to events,
// and from events to the case state. No I/O, no clock, no globals; thread-safe.
//
// decide() checks every guard and yields the events a command produces, or the first guard
// that refuses it. apply() folds one event into a case. Folding all of a case's events from an
// empty Case gives exactly the state reached by executing its commands one by one.
#pragma once

#include <vector>

#include "core/case.h"
#include "core/command.h"
#include "core/event.h"
#include "core/result.h"
#include "core/workflow.h"

namespace docket {

// The events `command` produces on `current`, stamped with `at` and `actor.user`.
// For OpenCase `current` is ignored (pass Case{}). Fails with the ErrorCode of the guard that
// refused: case_closed, role_not_allowed, not_found (unknown transition, field, recommendation),
// transition_not_allowed, field_missing, document_missing, recommendations_open,
// invalid_field, invalid_argument; internal when `definition` is not the case's own.
Result<std::vector<Event>> decide(const WorkflowDefinition& definition, const Case& current, const Actor& actor,
                                  Timestamp at, const Command& command);

// Every requirement of `transition` (requires: fields, field values, document kinds, answered
// recommendations) that `after_fields` (the case with the transition's fields set) does not
// meet, in that order, each as the error decide() refuses with (field_missing,
// document_missing, recommendations_open); empty when all are met. decide() refuses with the
// first; a form lists them all.
std::vector<Error> unmet_requirements(const Case& after_fields, const TransitionDefinition& transition);

// `current` with `event` applied. Events come from decide() or from the store, so they are
// trusted: apply() does not check guards.
Case apply(Case current, const Event& event);

// The state of a case from its events, oldest first.
Case fold(const std::vector<Event>& events);

// decide() then apply(): the new state and the events that produced it.
struct Outcome {
  Case state;
  std::vector<Event> events;
};
Result<Outcome> execute(const WorkflowDefinition& definition, const Case& current, const Actor& actor, Timestamp at,
                        const Command& command);

}  // namespace docket
