// What one actor may do on one case now, asked without a command: the menu a page shows
// (which transitions, and which of them wait for what; whether they may comment, assign,
// attach, recommend; which recommendations they may answer). The answers come from the same
// rules the state machine enforces (acting.h, recommendation_rules.h, unmet_requirements), so
// a choice offered here is one decide() accepts, given the transition's own fields. Pure;
// thread-safe.
#pragma once

#include <vector>

#include "core/case.h"
#include "core/command.h"
#include "core/result.h"
#include "core/workflow.h"

namespace docket {

struct TransitionChoice {
  const TransitionDefinition* transition = nullptr;  // into the definition given
  // The requirements not met now (empty: it can be made once its `sets` fields are filled in).
  std::vector<Error> unmet;
};

struct CaseActions {
  std::vector<TransitionChoice> transitions;  // from the case's stage, allowed to the actor's roles
  bool comment = false;
  bool assign = false;  // assign and unassign
  bool set_fields = false;
  bool attach = false;
  bool recommend = false;       // add a recommendation now
  bool answer = false;          // holds the answer permission (answerable: which ones, now)
  std::vector<int> answerable;  // recommendations the actor may answer now, in order
};

// Nothing for a closed case (terminal stage) or a case of another workflow.
CaseActions case_actions(const WorkflowDefinition& definition, const Case& current, const Actor& actor);

}  // namespace docket
