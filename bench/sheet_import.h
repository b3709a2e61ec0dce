// Section 5 of the benchmark: importing a committee's spreadsheet (`docket case import`,
// sheets/case_importer.h): 10,000 rows of CSV and of .xlsx, each file into a fresh database of
// its own by the same engine calls as the CLI, through the store's change pipeline in one
// transaction; against the same cases opened by CaseStore::open in one transaction without a
// spreadsheet (the pipeline's own cost).
#pragma once

#include <filesystem>

namespace docket::bench {

// One import, timed as `docket case import` runs it.
struct ImportTimes {
  double import_seconds = 0;  // parse the mapping, read the file, check every row, open every case, commit
  double search_seconds = 0;  // then bring the search index up to date (as the CLI does before it exits)
  double total() const { return import_seconds + search_seconds; }
};

struct SheetImportResult {
  int rows = 0;
  ImportTimes csv, xlsx;      // from a CSV file (dates dd/mm/yyyy) and an .xlsx workbook (serial days)
  double opened_seconds = 0;  // the same cases opened by CaseStore::open in one transaction
  bool ok = false;
};

SheetImportResult run_sheet_import(const std::filesystem::path& data, int rows);

}  // namespace docket::bench
