// Section 5 of the benchmark: importing a committee's spreadsheet (`docket case import`,
// sheets/case_importer.h): 10,000 rows of CSV and of .xlsx into a fresh database, each through
// the store's change pipeline in one transaction, against the same cases opened by
// CaseStore::open in one transaction without a spreadsheet (the pipeline's own cost).
#pragma once

#include <filesystem>

namespace docket::bench {

struct SheetImportResult {
  int rows = 0;
  double csv_seconds = 0;     // read the CSV, check every row, open every case, commit
  double xlsx_seconds = 0;    // the same from an .xlsx workbook
  double search_seconds = 0;  // bringing the search index up to date afterwards (as the CLI does)
  double opened_seconds = 0;  // the same cases opened by CaseStore::open in one transaction
  bool ok = false;
};

SheetImportResult run_sheet_import(const std::filesystem::path& data, int rows);

}  // namespace docket::bench
