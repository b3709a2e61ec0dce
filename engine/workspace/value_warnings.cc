#include "workspace/value_warnings.h"

#include "core/field_warnings.h"

namespace docket {

std::vector<std::string> value_warnings(Workspace& workspace, const Case& changed,
                                        const std::vector<Command>& commands) {
  std::vector<std::string> warnings;
  const WorkflowDefinition* definition = workspace.catalog().find(changed.workflow_id, changed.workflow_version);
  if (definition == nullptr) return warnings;
  // A lookup that fails for another reason than not_found (storage) is no reason to warn.
  const auto is_user = [&](const std::string& id) {
    const auto user = workspace.directory().user(id);
    return user.ok() || user.error().code != ErrorCode::not_found;
  };
  for (const Command& command : commands) {
    for (auto& warning : field_warnings(*definition, command, workspace.clock().now(), is_user))
      warnings.push_back(std::move(warning));
  }
  return warnings;
}

}  // namespace docket
