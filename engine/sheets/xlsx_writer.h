// Writing tables as an .xlsx workbook (libxlsxwriter) that people open in Excel or LibreOffice
// and keep working in: one sheet a table, the header row in bold and frozen, an autofilter over
// the table, columns as wide as their contents (within limits), numbers as numbers and dates as
// real dates (Excel serial days) shown dd/mm/yyyy, times dd/mm/yyyy hh:mm. Thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"

namespace docket::sheets {

enum class ColumnKind {
  text,
  number,    // cells are decimal numbers ("12", "12.5"); anything else is written as text
  date,      // cells are dates YYYY-MM-DD
  datetime,  // cells are wall-clock times "YYYY-MM-DD HH:MM" in the zone people read them in
};

struct SheetColumn {
  std::string heading;
  ColumnKind kind = ColumnKind::text;
};

struct SheetTable {
  std::string name;  // the sheet's tab; cut to Excel's 31 characters, []:*?/\ replaced
  std::vector<SheetColumn> columns;
  std::vector<std::vector<std::string>> rows;  // one cell per column; empty cells stay blank
};

// A text cell holds at most this many bytes (Excel's limit is 32,767 characters); longer text is
// cut at a character boundary and ends with "…".
inline constexpr std::size_t kMaxCellBytes = 32000;

// Writes `tables` to `path` as one workbook (replacing the file; written beside it first, so a
// failure leaves no half-written file). Errors: invalid_argument for no table, or a table with
// more rows than a sheet holds; storage naming the file when it cannot be written.
Status write_xlsx(const std::filesystem::path& path, const std::vector<SheetTable>& tables);

// The workbook of `tables` as bytes (a download), written through a private temporary file that
// is removed afterwards. Errors: as write_xlsx.
Result<std::string> xlsx_bytes(const std::vector<SheetTable>& tables);

}  // namespace docket::sheets
