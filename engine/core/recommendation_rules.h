// When recommendations may be added and answered, and by whom. The rules:
//
//   - Issue. A workflow that marks a transition "issues_recommendations" sends its
//     recommendations by taking it: a recommendation added while that transition can still be
//     taken is a draft; the drafts that exist when it is taken are issued (status sent). One
//     added where it can no longer be taken (after it: a supplementary letter), or in a workflow
//     with no such transition, is issued as it is added.
//   - Adding. Refused once a recommendation of the case is answered: the case's answer is
//     being recorded, the list of what it answers is closed.
//   - Answering. Only an issued recommendation is answered. Its addressee (a party: the user id
//     of an outside body) answers as itself; someone holding the answer permission through a
//     role that is not an outside party's records the answer for the addressee (the event names
//     the addressee in recorded_for). An outside body cannot answer for another addressee.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/case.h"
#include "core/command.h"
#include "core/result.h"
#include "core/workflow.h"

namespace docket {

// Whether a recommendation added to `current` now is a draft (waits for the issuing transition).
bool adds_as_draft(const WorkflowDefinition& definition, const Case& current);

// Ok when a recommendation may be added to `current` now; transition_not_allowed saying why not.
Status may_add_recommendation(const Case& current);

// The numbers of the recommendations of `current` that are drafts, in order.
std::vector<int> drafts(const Case& current);

// Whom `actor` answers `recommendation` for: empty when they are its addressee, the addressee
// when they record its answer. Errors: transition_not_allowed (a draft, not issued yet),
// role_not_allowed (an outside body answering for another addressee).
// REQUIRES: the actor holds the answer permission (acting.h).
Result<std::string> answering_for(const WorkflowDefinition& definition, const Case& current, const Actor& actor,
                                  const Recommendation& recommendation);

}  // namespace docket
