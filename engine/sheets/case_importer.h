// Importing the cases a committee kept in a spreadsheet before Docket (docs/spreadsheets.md):
// each row of a grid (grid.h) becomes a case opened through the store's one change pipeline
// (CaseStore::open, as `docket case open` does), so that its events carry the importing user,
// its history chain, deadlines and timers, notifications and search entry are those of a case
// opened by hand. The whole file is one transaction: every row is checked, and any problem in
// any row stores nothing. Each case keeps its external reference (store/case_references.h),
// so that running the same file again skips the rows already imported; the administrative log
// records the import (who, which file, how many). A dry run does everything in a transaction it
// rolls back, so it finds every problem the real import would, and stores nothing.
// Not thread-safe: runs on the thread that owns the workspace.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sheets/import_rows.h"
#include "workspace/workspace.h"

namespace docket::sheets {

struct ImportRequest {
  std::string workflow;
  std::string user;          // opens the cases; needs the workflow's opening role at each unit
  std::string source;        // the file's name, recorded with each case
  std::string default_unit;  // each row's unit when the mapping has no unit column
  bool dry_run = false;
  // Called now and then with the rows done and the rows in all (progress on a terminal).
  std::function<void(int done, int total)> progress;
};

struct ImportedRow {
  int row = 0;
  std::string reference;
  std::string case_number;  // the case it was opened as (in a dry run, the number it would get)
};

struct ImportReport {
  int rows = 0;                       // data rows read (blank rows not counted)
  std::vector<ImportedRow> imported;  // opened (or, in a dry run, would be)
  std::vector<ImportedRow> skipped;   // their reference was imported before: the case it is
  std::vector<RowProblem> problems;   // every problem of every row; not empty: nothing stored
  bool stored = false;                // the cases were committed
};

// Imports `grid` as `mapping` says. Returns the report whether rows had problems or not.
// Errors: not_found (workflow, user), invalid_argument for the mapping's problems (a column not
// in the header row, a field the workflow lacks, a required field without a column), busy,
// storage: nothing is stored.
Result<ImportReport> import_cases(Workspace& workspace, const Grid& grid, const ImportMapping& mapping,
                                  const ImportRequest& request);

}  // namespace docket::sheets
