#include "core/workflow_catalog.h"

namespace docket {

Status WorkflowCatalog::add(WorkflowDefinition definition) {
  auto& versions = by_id_[definition.id];
  const auto existing = versions.find(definition.version);
  if (existing != versions.end()) {
    if (existing->second == definition) return Ok{};
    return make_error(ErrorCode::already_exists, "workflow " + in_quotes(definition.id) + " version " +
                                                     std::to_string(definition.version) +
                                                     " is already loaded with different content; raise \"version\"");
  }
  const int version = definition.version;
  versions.emplace(version, std::move(definition));
  return Ok{};
}

const WorkflowDefinition* WorkflowCatalog::find(std::string_view id, int version) const {
  const auto workflow = by_id_.find(id);
  if (workflow == by_id_.end()) return nullptr;
  const auto exact = workflow->second.find(version);
  return exact == workflow->second.end() ? nullptr : &exact->second;
}

const WorkflowDefinition* WorkflowCatalog::latest(std::string_view id) const {
  const auto workflow = by_id_.find(id);
  if (workflow == by_id_.end() || workflow->second.empty()) return nullptr;
  return &workflow->second.rbegin()->second;
}

std::vector<const WorkflowDefinition*> WorkflowCatalog::latest_of_each() const {
  std::vector<const WorkflowDefinition*> result;
  for (const auto& [id, versions] : by_id_) {
    if (!versions.empty()) result.push_back(&versions.rbegin()->second);
  }
  return result;
}

std::vector<const WorkflowDefinition*> WorkflowCatalog::all() const {
  std::vector<const WorkflowDefinition*> every;
  for (const auto& [id, versions] : by_id_) {
    for (const auto& [version, definition] : versions) every.push_back(&definition);
  }
  return every;
}

}  // namespace docket
