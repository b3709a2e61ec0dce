// Reads what a report needs from the store: the unit (and the units below it for a rollup) as
// the org tree stood on the as-of day (names, parents; a unit merged by then counts under the
// unit it merged into), the kept report facts of the cases of those units that the period may
// count (CaseStore::each_report_facts: one indexed range per unit, no history is read), counts
// each case's figures from them (facts_figures) and sums them by unit, workflow and form into
// the report (report.h). The figures are those of folding each case's history (case_figures).
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
  // Optional, with can_read_case: true when can_read_case holds for every case of the unit
  // under the definition, so the report need not read each case's state to ask it.
  std::function<bool(const std::string& unit, const WorkflowDefinition& definition)> reads_every_case = {};
};

// The scope of `reader`: the units and the cases `policy` lets them read. `policy` must outlive
// the scope.
ReportScope reader_scope(AccessPolicy& policy, const Reader& reader);

// The report `request` asks for, counting only what `scope` lets its reader see. Errors:
// not_found (unknown unit), role_not_allowed (the scope may not read the unit), busy and
// storage from the store.
Result<Report> read_report(CaseStore& cases, Directory& directory, const WorkflowCatalog& catalog,
                           const ReportRequest& request, const ReportScope& scope = {});

// The same report by folding every case's whole history (case_figures), as reports were read
// before the facts were kept: the reference the tests and the benchmark compare read_report
// with. Its cost grows with the cases and their events (1.3 s over 20,000 cases).
Result<Report> fold_report(CaseStore& cases, Directory& directory, const WorkflowCatalog& catalog,
                           const ReportRequest& request, const ReportScope& scope = {});

}  // namespace docket::reports
