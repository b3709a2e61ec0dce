#include "core/acting.h"

#include <algorithm>

#include "core/text.h"

namespace docket {
namespace {

constexpr std::string_view kAbove = "@above";
constexpr std::string_view kEscalated = "@escalated";

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string join(const std::vector<std::string>& items) {
  std::string joined;
  for (const auto& item : items) joined += (joined.empty() ? "" : ", ") + item;
  return joined.empty() ? "(none)" : joined;
}

bool is_escalated(const Case& current) { return current.deadline && !current.deadline->escalated_to_role.empty(); }

bool matches(const Actor& actor, const Case& current, const RoleEntry& entry) {
  switch (entry.scope) {
    case RoleScope::unit:
      return contains(actor.roles, entry.role);
    case RoleScope::above:
      return contains(actor.roles_above, entry.role);
    case RoleScope::escalated:
      return is_escalated(current) && current.deadline->escalated_to_role == entry.role &&
             contains(actor.roles_escalated, entry.role);
  }
  return false;
}

// Every role list a workflow names actors in; read_below and outside_parties name plain roles.
template <typename Visit>
bool any_acting_list(const WorkflowDefinition& definition, Visit visit) {
  const Permissions& p = definition.permissions;
  for (const auto* list :
       {&p.open, &p.assign, &p.comment, &p.set_fields, &p.attach, &p.recommend, &p.answer, &p.issue}) {
    if (visit(*list)) return true;
  }
  return std::any_of(definition.transitions.begin(), definition.transitions.end(),
                     [&](const TransitionDefinition& transition) { return visit(transition.roles); });
}

}  // namespace

std::optional<RoleEntry> parse_role_entry(std::string_view entry) {
  const auto at = entry.find('@');
  if (at == 0) return std::nullopt;
  if (at == std::string_view::npos) return RoleEntry{std::string(entry), RoleScope::unit};
  const std::string_view scope = entry.substr(at);
  if (scope == kAbove) return RoleEntry{std::string(entry.substr(0, at)), RoleScope::above};
  if (scope == kEscalated) return RoleEntry{std::string(entry.substr(0, at)), RoleScope::escalated};
  return std::nullopt;
}

bool names_scope(const WorkflowDefinition& definition, RoleScope scope) {
  return any_acting_list(definition, [&](const std::vector<std::string>& list) {
    return std::any_of(list.begin(), list.end(), [&](const std::string& entry) {
      const auto parsed = parse_role_entry(entry);
      return parsed && parsed->scope == scope;
    });
  });
}

bool names_role_with_scope(const WorkflowDefinition& definition, const std::string& role, RoleScope scope) {
  return any_acting_list(definition, [&](const std::vector<std::string>& list) {
    return std::any_of(list.begin(), list.end(), [&](const std::string& entry) {
      const auto parsed = parse_role_entry(entry);
      return parsed && parsed->scope == scope && parsed->role == role;
    });
  });
}

bool is_escalated_holder(const Actor& actor, const Case& current) {
  return is_escalated(current) && contains(actor.roles_escalated, current.deadline->escalated_to_role);
}

bool may_act(const Actor& actor, const Case& current, const std::vector<std::string>& allowed) {
  if (actor.is_system) return true;
  return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& entry) {
    const auto parsed = parse_role_entry(entry);
    return parsed && matches(actor, current, *parsed);
  });
}

Status require_role(const Actor& actor, const Case& current, const std::vector<std::string>& allowed,
                    const std::string& action, bool or_escalated_holder) {
  if (may_act(actor, current, allowed)) return Ok{};
  if (or_escalated_holder && is_escalated_holder(actor, current)) return Ok{};
  std::string roles = join(actor.roles);
  if (!actor.roles_above.empty()) roles += "; above: " + join(actor.roles_above);
  if (!actor.roles_escalated.empty()) roles += "; where escalated: " + join(actor.roles_escalated);
  std::string allowed_text = join(allowed);
  if (or_escalated_holder && is_escalated(current)) {
    allowed_text += "; and " + current.deadline->escalated_to_role + " at " + current.deadline->escalated_to_unit +
                    " (the case is escalated there)";
  }
  return make_error(ErrorCode::role_not_allowed, "user " + in_quotes(actor.user) + " (roles: " + roles + ") may not " +
                                                     action + "; allowed roles: " + allowed_text);
}

bool holds_member_role(const WorkflowDefinition& definition, const std::vector<std::string>& roles) {
  return std::any_of(roles.begin(), roles.end(), [&](const std::string& role) {
    return definition.role(role) != nullptr && !contains(definition.permissions.outside_parties, role);
  });
}

Status check_assignee(const WorkflowDefinition& definition, const Case& current, const AssignCase& assign) {
  if (holds_member_role(definition, assign.assignee_roles)) return Ok{};
  if (is_escalated(current) && holds_member_role(definition, assign.assignee_roles_escalated)) return Ok{};
  std::string where = "unit " + in_quotes(current.unit);
  if (is_escalated(current)) where += " or " + in_quotes(current.deadline->escalated_to_unit) + " (escalated there)";
  return make_error(ErrorCode::invalid_argument, "user " + in_quotes(assign.assignee) + " cannot be assigned case " +
                                                     current.number + ": they hold no role of workflow " +
                                                     in_quotes(definition.id) + " (other than an outside party's) at " +
                                                     where);
}

}  // namespace docket
