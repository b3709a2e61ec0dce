// What one actor may do on one case now, asked without a command: the menu a page shows
// (which transitions, and which of them wait for what; whether they may comment, assign,
// attach, recommend; which recommendations they may answer). The answers come from the same
// rules the state machine enforces (acting.h, recommendation_rules.h, unmet_requirements), so
// a choice offered here is one decide() accepts, given the transition's own fields. Pure;
// thread-safe.
#pragma once

#include <vector>

#include "core/acting.h"
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
  bool issue = false;           // issue the case's documents through the outgoing register
  bool answer = false;          // holds the answer permission (answerable: which ones, now)
  std::vector<int> answerable;  // recommendations the actor may answer now, in order
};

// Nothing for a closed case (terminal stage) or a case of another workflow.
CaseActions case_actions(const WorkflowDefinition& definition, const Case& current, const Actor& actor);

// Whose turn an open case is: what puts it in a user's inbox (CaseStore::inbox). It is the turn
//   - of its assignee;
//   - of the holders of a role that a transition out of its stage lists (with that entry's scope,
//     acting.h). A transition from every stage ("from": "*", such as withdrawing) is open all the
//     time and gives no turn;
//   - while it stands escalated, of the holders of the role at the unit it was escalated to;
//   - of the addressee of each issued recommendation they have not answered yet.
// Recording an answer for an addressee does not make it anyone else's turn.
bool has_turn(const WorkflowDefinition& definition, const Case& current, const Actor& actor);

// The stages of `definition` that are the turn of `role` held with `scope` (as above), sorted;
// never a terminal one. The inbox selects cases by these.
std::vector<std::string> turn_stages(const WorkflowDefinition& definition, const std::string& role, RoleScope scope);

}  // namespace docket
