#include "core/read_access.h"

#include <algorithm>

#include "core/acting.h"

namespace docket {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Whether one of the case's party fields names `user`.
bool names_user(const WorkflowDefinition& definition, const Case& current, const std::string& user) {
  return std::any_of(current.fields.begin(), current.fields.end(), [&](const auto& field) {
    const FieldDefinition* declared = definition.field(field.first);
    return declared != nullptr && declared->type == FieldType::party && field.second == user;
  });
}

}  // namespace

bool may_read(const WorkflowDefinition& definition, const Case& current, const ReaderFacts& reader) {
  return reader.admin || reads_at_unit(definition, current, reader.user, reader.roles_at_unit) ||
         reads_from_above(definition, reader.roles_above) || acts_from_above(definition, reader.roles_at_parent) ||
         reads_where_escalated(current, reader.roles_escalated);
}

bool reads_at_unit(const WorkflowDefinition& definition, const Case& current, const std::string& user,
                   const std::vector<std::string>& roles_at_unit) {
  const auto& outside = definition.permissions.outside_parties;
  const bool member = std::any_of(roles_at_unit.begin(), roles_at_unit.end(), [&](const std::string& role) {
    return definition.role(role) != nullptr && !contains(outside, role);
  });
  return member || (!roles_at_unit.empty() && names_user(definition, current, user));
}

bool reads_from_above(const WorkflowDefinition& definition, const std::vector<std::string>& roles_above) {
  return std::any_of(roles_above.begin(), roles_above.end(),
                     [&](const std::string& role) { return contains(definition.permissions.read_below, role); });
}

bool acts_from_above(const WorkflowDefinition& definition, const std::vector<std::string>& roles_at_parent) {
  return std::any_of(roles_at_parent.begin(), roles_at_parent.end(), [&](const std::string& role) {
    return names_role_with_scope(definition, role, RoleScope::above);
  });
}

bool reads_where_escalated(const Case& current, const std::vector<std::string>& roles_escalated) {
  return current.deadline && !current.deadline->escalated_to_role.empty() &&
         contains(roles_escalated, current.deadline->escalated_to_role);
}

bool acts_below_in_any(const WorkflowCatalog& catalog, const std::string& role) {
  const auto definitions = catalog.latest_of_each();
  return std::any_of(definitions.begin(), definitions.end(), [&](const WorkflowDefinition* definition) {
    const bool escalates_to = std::any_of(definition->stages.begin(), definition->stages.end(), [&](const auto& stage) {
      return stage.deadline && stage.deadline->escalate_to == role;
    });
    return escalates_to || names_role_with_scope(*definition, role, RoleScope::above) ||
           names_role_with_scope(*definition, role, RoleScope::escalated);
  });
}

bool reads_below_in_any(const WorkflowCatalog& catalog, const std::string& role) {
  const auto definitions = catalog.latest_of_each();
  return std::any_of(definitions.begin(), definitions.end(), [&](const WorkflowDefinition* definition) {
    return contains(definition->permissions.read_below, role);
  });
}

}  // namespace docket
