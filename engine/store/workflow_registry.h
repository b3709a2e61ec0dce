// The workflow definitions installed in a database. A case is pinned to the id and version it
// was opened under; the definition text is stored here, so editing a file later cannot change
// how an open case behaves. Thread-safety: as the Database (one thread at a time).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/workflow_catalog.h"
#include "store/database.h"

namespace docket {

class WorkflowRegistry {
 public:
  explicit WorkflowRegistry(Database& database) : db_(database) {}

  // Validates every *.json file in `directory` and stores each new id/version. A file whose
  // id and version are installed with different content is an error ("raise version").
  // All or nothing: on any error nothing is installed. Returns how many versions were new.
  Result<int> install_directory(const std::filesystem::path& directory);

  // Every installed version, parsed again from its stored text.
  Result<WorkflowCatalog> catalog();

 private:
  Database& db_;
};

}  // namespace docket
