// Every version of every workflow definition the engine knows. A case is pinned to the
// definition id and version it was opened under and always looks that exact version up, so
// adding version 2 of a file never changes how an open version-1 case behaves.
// Not thread-safe for writes; fill it at start-up, then share it as const.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/workflow.h"

namespace docket {

class WorkflowCatalog {
 public:
  // Adds a validated definition. Fails with already_exists when the same id and version is
  // present with different content (the same content again is accepted and ignored).
  Status add(WorkflowDefinition definition);

  // The exact version; nullptr when unknown.
  const WorkflowDefinition* find(std::string_view id, int version) const;
  // The highest version of `id`; nullptr when unknown. New cases are opened under it.
  const WorkflowDefinition* latest(std::string_view id) const;
  // The highest version of each workflow, ordered by id.
  std::vector<const WorkflowDefinition*> latest_of_each() const;
  // Every version of every workflow, ordered by id, then version.
  std::vector<const WorkflowDefinition*> all() const;

 private:
  std::map<std::string, std::map<int, WorkflowDefinition>, std::less<>> by_id_;
};

}  // namespace docket
