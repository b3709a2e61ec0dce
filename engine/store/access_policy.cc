#include "store/access_policy.h"

#include <set>

#include "core/read_access.h"
#include "core/text.h"

namespace docket {

Error unknown_case(const std::string& number) {
  return make_error(ErrorCode::not_found, "unknown case " + in_quotes(number));
}

bool is_unknown_case(const Error& error, const std::string& number) {
  const Error unknown = unknown_case(number);
  return error.code == unknown.code && error.message == unknown.message;
}

Result<Reader> AccessPolicy::reader(const std::string& user) {
  if (auto known = directory_.user(user); !known) return known.error();
  auto admin = directory_.is_admin(user);
  if (!admin) return admin.error();
  return Reader{user, admin.value()};
}

bool AccessPolicy::can_read(const Reader& reader, const Case& current) {
  if (reader.admin) return true;
  const WorkflowDefinition* definition = catalog_.find(current.workflow_id, current.workflow_version);
  if (definition == nullptr) return false;
  // A lookup that fails (a storage fault) grants nothing: the case reads as not there.
  const auto at_unit = directory_.roles_at(reader.user, current.unit);
  if (!at_unit) return false;
  if (reads_at_unit(*definition, current, reader.user, at_unit.value())) return true;
  if (current.deadline && !current.deadline->escalated_to_role.empty()) {
    const auto there = directory_.roles_at(reader.user, current.deadline->escalated_to_unit);
    if (there && reads_where_escalated(current, there.value())) return true;
  }
  // Up one unit at a time, and only then: most readers are members of the case's unit.
  return reads_from_units_above(reader, current.unit, *definition);
}

bool AccessPolicy::reads_from_units_above(const Reader& reader, const std::string& unit,
                                          const WorkflowDefinition& definition) {
  auto found = directory_.unit(unit);
  bool parent = true;
  while (found && !found->parent.empty()) {
    const auto above = directory_.roles_at(reader.user, found->parent);
    if (!above) return false;
    if (reads_from_above(definition, above.value())) return true;
    if (parent && acts_from_above(definition, above.value())) return true;
    parent = false;
    found = directory_.unit(found->parent);
  }
  return false;
}

bool AccessPolicy::reads_every_case(const Reader& reader, const std::string& unit,
                                    const WorkflowDefinition& definition) {
  if (reader.admin) return true;
  const auto at_unit = directory_.roles_at(reader.user, unit);
  if (!at_unit) return false;
  // A case that names no party: what the roles at its unit read of every case.
  return reads_at_unit(definition, Case{}, reader.user, at_unit.value()) ||
         reads_from_units_above(reader, unit, definition);
}

Result<std::vector<std::string>> AccessPolicy::units_directly_below(const std::string& unit) {
  auto all = directory_.units();
  if (!all) return all.error();
  std::vector<std::string> below;
  for (const OrgUnit& candidate : all.value()) {
    if (candidate.parent == unit) below.push_back(candidate.id);
  }
  return below;
}

std::optional<std::vector<std::string>> AccessPolicy::readable_units(const Reader& reader) {
  if (reader.admin) return std::nullopt;
  auto found = directory_.user(reader.user);
  if (!found) return std::vector<std::string>{};
  std::set<std::string> units;
  for (const UserRole& held : found->roles) {
    units.insert(held.unit);
    if (reads_below_in_any(catalog_, held.role)) {
      const auto subtree = directory_.subtree(held.unit);
      if (!subtree) continue;  // a storage fault grants nothing below
      for (const std::string& below : subtree.value()) units.insert(below);
    } else if (acts_below_in_any(catalog_, held.role)) {
      const auto children = units_directly_below(held.unit);
      if (!children) continue;
      for (const std::string& below : children.value()) units.insert(below);
    }
  }
  return std::vector<std::string>(units.begin(), units.end());
}

}  // namespace docket
