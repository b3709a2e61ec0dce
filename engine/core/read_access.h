// Who may read a case: the read side of the permissions a workflow definition declares (what a
// reader may then do to the case is decide()'s business, state_machine.h). The rule:
//
//   - an administrator reads every case;
//   - a member of the case's unit reads it: someone holding there one of the workflow's own
//     roles that is not one of its outside parties' roles;
//   - anyone else holding a role at the unit (an outside party of this workflow, or a role only
//     other workflows declare, such as a drafting body looking at supervision cases) reads only
//     the cases whose party fields name them;
//   - someone holding one of the workflow's read_below roles at any unit above the case's unit
//     reads it;
//   - someone holding, at the unit directly above the case's unit, a role the workflow names
//     with "@above" (core/acting.h: it acts on the case from there) reads it;
//   - while the case stands escalated, the holders of the role it was escalated to at the unit
//     it was escalated to read it.
//
// Pure functions of the facts the caller gathers (store/access_policy.h gathers them from the
// directory); no I/O. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/case.h"
#include "core/workflow.h"
#include "core/workflow_catalog.h"

namespace docket {

// What the rule needs to know about a reader of one case.
struct ReaderFacts {
  std::string user;
  bool admin = false;
  std::vector<std::string> roles_at_unit;         // the roles held at the case's own unit
  std::vector<std::string> roles_above;           // the roles held at any unit above it
  std::vector<std::string> roles_at_parent = {};  // the roles held at the unit directly above it
  std::vector<std::string> roles_escalated = {};  // the roles held at the unit the case is escalated to
};

// Whether `reader` may read `current`, a case following `definition`.
bool may_read(const WorkflowDefinition& definition, const Case& current, const ReaderFacts& reader);

// The rule in parts, for a caller that gathers facts only as far as it needs them (the roles
// above a unit cost more lookups than those at it). may_read() is admin || reads_at_unit() ||
// reads_from_above().
//
// Whether the roles `user` holds at the case's own unit let them read it (a member, or a party
// the case names).
bool reads_at_unit(const WorkflowDefinition& definition, const Case& current, const std::string& user,
                   const std::vector<std::string>& roles_at_unit);
// Whether one of `roles_above`, held above the case's unit, reads the units below it.
bool reads_from_above(const WorkflowDefinition& definition, const std::vector<std::string>& roles_above);
// Whether one of `roles_at_parent`, held at the unit directly above the case's, is named "@above".
bool acts_from_above(const WorkflowDefinition& definition, const std::vector<std::string>& roles_at_parent);
// Whether `current` stands escalated to one of `roles_escalated`, held at the unit it went to.
bool reads_where_escalated(const Case& current, const std::vector<std::string>& roles_escalated);

// Whether holding `role` at a unit lets one read the cases of the units below it under the
// latest version of some workflow in `catalog`.
bool reads_below_in_any(const WorkflowCatalog& catalog, const std::string& role);
// Whether holding `role` at a unit lets one act on (and so read) some cases of the units directly
// below it under the latest version of some workflow in `catalog`: it is named "@above" or
// "@escalated", or cases escalate to it.
bool acts_below_in_any(const WorkflowCatalog& catalog, const std::string& role);

}  // namespace docket
