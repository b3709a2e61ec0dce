// Reads what a report needs from the store: the unit (and the units below it for a rollup) as
// the org tree stood on the as-of day (names, parents; a unit merged by then counts under the
// unit it merged into), every case of those units with its full history, then builds the
// report (report.h).
// Runs on the caller's connection; thread-safety as the CaseStore and Directory given.
#pragma once

#include <functional>

#include "core/workflow_catalog.h"
#include "reports/report.h"
#include "store/access_policy.h"
#include "store/case_store.h"
#include "store/directory.h"

namespace docket::reports {

// What the reader of the report may see. Empty functions allow everything (the CLI without
// --as); the API and the CLI with --as pass the reader's rights (reader_scope).
struct ReportScope {
  std::function<bool(const std::string& unit)> can_read_unit;
  std::function<bool(const Case& current)> can_read_case;
};

// The scope of `reader`: the units and the cases `policy` lets them read. `policy` must outlive
// the scope.
ReportScope reader_scope(AccessPolicy& policy, const Reader& reader);

// The report `request` asks for, counting only what `scope` lets its reader see. Errors:
// not_found (unknown unit), role_not_allowed (the scope may not read the unit), busy and
// storage from the store.
Result<Report> read_report(CaseStore& cases, Directory& directory, const WorkflowCatalog& catalog,
                           const ReportRequest& request, const ReportScope& scope = {});

}  // namespace docket::reports
