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
  return Reader{user, directory_.is_admin(user)};
}

bool AccessPolicy::can_read(const Reader& reader, const Case& current) {
  if (reader.admin) return true;
  const WorkflowDefinition* definition = catalog_.find(current.workflow_id, current.workflow_version);
  if (definition == nullptr) return false;
  if (reads_at_unit(*definition, current, reader.user, directory_.roles_at(reader.user, current.unit))) return true;
  // Up one unit at a time, and only then: most readers are members of the case's unit.
  auto unit = directory_.unit(current.unit);
  while (unit && !unit->parent.empty()) {
    if (reads_from_above(*definition, directory_.roles_at(reader.user, unit->parent))) return true;
    unit = directory_.unit(unit->parent);
  }
  return false;
}

std::optional<std::vector<std::string>> AccessPolicy::readable_units(const Reader& reader) {
  if (reader.admin) return std::nullopt;
  auto found = directory_.user(reader.user);
  if (!found) return std::vector<std::string>{};
  std::set<std::string> units;
  for (const UserRole& held : found->roles) {
    units.insert(held.unit);
    if (reads_below_in_any(catalog_, held.role)) {
      for (const std::string& below : directory_.subtree(held.unit)) units.insert(below);
    }
  }
  return std::vector<std::string>(units.begin(), units.end());
}

}  // namespace docket
