// Who may act on a case: how the role lists of a workflow (permissions and transitions[].roles)
// match an actor. An entry of such a list is
//
//   "role"            held at the case's own unit;
//   "role@above"      held at the unit directly above the case's unit (its parent);
//   "role@escalated"  held at the unit the case was escalated to, when it was escalated to that
//                     role, while the escalation stands (Case::deadline->escalated_to_role/unit).
//
// The holders of the role a case is escalated to, at the unit it is escalated to, may also
// always comment on the case and assign it (an engine rule: an escalation reaches someone who can
// act). Pure functions of the facts in Actor (command.h); no I/O. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.h"
#include "core/command.h"
#include "core/result.h"
#include "core/workflow.h"

namespace docket {

enum class RoleScope { unit, above, escalated };

struct RoleEntry {
  std::string role;
  RoleScope scope = RoleScope::unit;
};

// "reviewer@above" -> {reviewer, above}. nullopt for an unknown scope ("reviewer@below") or an
// empty role.
std::optional<RoleEntry> parse_role_entry(std::string_view entry);

// Whether any role list of `definition` (permissions or transitions) names an entry of `scope`.
bool names_scope(const WorkflowDefinition& definition, RoleScope scope);
// Whether some role list of `definition` names `role` with `scope`.
bool names_role_with_scope(const WorkflowDefinition& definition, const std::string& role, RoleScope scope);

// Whether `current` stands escalated to a role that `actor` holds at the unit it went to.
bool is_escalated_holder(const Actor& actor, const Case& current);

// Whether `actor` matches one entry of `allowed` for `current`. The system actor always does.
bool may_act(const Actor& actor, const Case& current, const std::vector<std::string>& allowed);

// Ok when may_act(); otherwise role_not_allowed naming the user, the roles they hold and the
// allowed entries, e.g. "user "x" (roles: officer) may not comment; allowed roles: reviewer@above".
// `or_escalated_holder`: the escalated-to holders are allowed too.
Status require_role(const Actor& actor, const Case& current, const std::vector<std::string>& allowed,
                    const std::string& action, bool or_escalated_holder = false);

// Whether holding `roles` makes one a member for `definition`: one of its roles that is not one of
// its outside parties' roles.
bool holds_member_role(const WorkflowDefinition& definition, const std::vector<std::string>& roles);

// Ok when `assign.assignee` may be given `current`: they hold a member role of the workflow at
// the case's unit, or, while the case stands escalated, at the unit it was escalated to.
// Otherwise invalid_argument naming the assignee and the unit.
Status check_assignee(const WorkflowDefinition& definition, const Case& current, const AssignCase& assign);

}  // namespace docket
