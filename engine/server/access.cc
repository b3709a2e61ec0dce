#include "server/access.h"

#include <algorithm>
#include <set>

namespace docket::server {
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

bool can_read(Runtime& runtime, const Reader& reader, const Case& current) {
  if (reader.admin) return true;
  const std::string& user = reader.user;
  const WorkflowDefinition* definition = runtime.catalog().find(current.workflow_id, current.workflow_version);
  if (definition == nullptr) return false;
  const auto& outside = definition->permissions.outside_parties;
  auto held = runtime.directory().roles_at(user, current.unit);
  if (!held) return false;  // a directory that cannot be read grants nothing (this answers yes or no)
  const std::vector<std::string>& roles = *held;
  // A member of the unit holds one of this workflow's own roles there. Anyone else at the unit
  // (an outside party of this workflow, or a role only another workflow knows, such as a
  // drafting body looking at supervision cases) sees only the cases that name them.
  const bool member = std::any_of(roles.begin(), roles.end(), [&](const std::string& role) {
    return definition->role(role) != nullptr && !contains(outside, role);
  });
  if (member || (!roles.empty() && names_user(*definition, current, user))) return true;
  // Above the case's unit: a read_below role at any ancestor.
  auto unit = runtime.directory().unit(current.unit);
  while (unit && !unit->parent.empty()) {
    auto above = runtime.directory().roles_at(user, unit->parent);
    if (!above) return false;
    for (const auto& role : *above) {
      if (contains(definition->permissions.read_below, role)) return true;
    }
    unit = runtime.directory().unit(unit->parent);
  }
  return false;
}

std::optional<std::vector<std::string>> readable_units(Runtime& runtime, const Reader& reader) {
  if (reader.admin) return std::nullopt;
  const std::string& user = reader.user;
  std::set<std::string> below_roles;
  for (const WorkflowDefinition* definition : runtime.catalog().latest_of_each()) {
    below_roles.insert(definition->permissions.read_below.begin(), definition->permissions.read_below.end());
  }
  std::set<std::string> units;
  auto found = runtime.directory().user(user);
  if (!found) return std::vector<std::string>{};
  for (const auto& held : found->roles) {
    units.insert(held.unit);
    if (below_roles.count(held.role)) {
      auto subtree = runtime.directory().subtree(held.unit);
      if (!subtree) return std::vector<std::string>{};  // as for an unknown user: nothing readable
      units.insert(subtree->begin(), subtree->end());
    }
  }
  return std::vector<std::string>(units.begin(), units.end());
}

reports::ReportScope reader_scope(Runtime& runtime, const Reader& reader) {
  return reports::ReportScope{
      [units = readable_units(runtime, reader)](const std::string& unit) { return !units || contains(*units, unit); },
      [&runtime, reader](const Case& current) { return can_read(runtime, reader, current); }};
}

}  // namespace docket::server
