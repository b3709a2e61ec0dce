// The workflow definitions installed in a database. A case is pinned to the id and version it
// was opened under; the definition text is stored here, so editing a file later cannot change
// how an open case behaves. Every method answers through its Result (a SQLite fault is a busy or
// storage error, never an exception); installed versions are stamped with the Clock it is given.
// Thread-safety: as the Database (one thread at a time).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/workflow_catalog.h"
#include "store/admin_log.h"
#include "store/database.h"

namespace docket {

class WorkflowRegistry {
 public:
  // `database` and `clock` must outlive the registry.
  WorkflowRegistry(Database& database, const Clock& clock) : db_(database), clock_(clock) {}

  // Validates every *.json file in `directory` and stores each new id/version, installed at
  // the clock's now. All or nothing: on any error nothing is installed. Returns how many
  // versions were new. Errors: not_found (the folder cannot be listed), invalid_argument (a
  // file does not validate: file and JSON path), already_exists (an installed id and version
  // with different content: "raise version"), busy, storage. Each new version is an event
  // (workflow.installed) of the administrative log by `actor`, in the same transaction.
  Result<int> install_directory(const std::filesystem::path& directory, const std::string& actor = kSystemActor);

  // Every installed version, parsed again from its stored text. Errors: internal (a stored
  // version no longer validates), busy, storage.
  Result<WorkflowCatalog> catalog();

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace docket
