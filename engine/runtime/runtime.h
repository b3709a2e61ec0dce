// One process's working set over a database: the connection, the installed workflows and
// calendar, the built-in plugins and the case store wired to them. The CLI opens one per
// command; the server opens one per storage thread (a connection is used by one thread only).
// Thread-safety: none; owned by one thread.
#pragma once

#include <memory>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/workflow_catalog.h"
#include "deadlines/deadlines_plugin.h"
#include "store/case_store.h"
#include "store/database.h"
#include "store/directory.h"

namespace docket {

class Runtime {
 public:
  // Opens the database (migrating it) and reads its workflows and calendar.
  static Result<std::unique_ptr<Runtime>> open(const DatabaseOptions& options, const Clock& clock);

  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  Database& database() { return *database_; }
  const WorkflowCatalog& catalog() const { return catalog_; }
  const Calendar& calendar() const { return calendar_; }
  Directory& directory() { return directory_; }
  CaseStore& cases() { return *cases_; }
  DeadlinesPlugin& deadlines() { return deadlines_; }
  const Clock& clock() const { return clock_; }

  // Reads the installed workflows and calendar again (after init or calendar reload).
  Status reload();

 private:
  Runtime(std::unique_ptr<Database> database, const Clock& clock);

  std::unique_ptr<Database> database_;
  const Clock& clock_;
  WorkflowCatalog catalog_;
  Calendar calendar_;
  Directory directory_;
  DeadlinesPlugin deadlines_;
  std::unique_ptr<CaseStore> cases_;
};

}  // namespace docket
