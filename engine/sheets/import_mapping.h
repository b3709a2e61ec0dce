// How a committee's spreadsheet maps onto a workflow's cases (a JSON file, docs/spreadsheets.md):
// which column holds each case's external reference, title, unit and the day it was opened, and
// which column fills each workflow field; optionally the words the sheet uses for field values
// and units. A column is named by its heading in the header row or by its letters ("C").
// Plain values and pure functions; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "sheets/grid.h"

namespace docket::sheets {

struct ImportMapping {
  std::string sheet;      // the workbook's sheet; empty: the first
  int header_row = 1;     // the row of headings; the data starts below it
  std::string reference;  // the external reference column (required)
  std::string title;      // the case title column (required)
  std::string unit;       // the unit column (a unit id or name); empty: one unit for every row
  std::string opened;     // the column of the day the committee opened the case; may be empty
  std::vector<std::pair<std::string, std::string>> fields;  // workflow field id -> column, in file order
  // Cell text -> stored value, by field id (or "unit"): "Hội nghị" -> "conference".
  std::map<std::string, std::map<std::string, std::string>> values;
};

// Reads a mapping file. Errors: invalid_argument naming the file and the JSON path of every
// problem (malformed JSON, an unknown or missing key, a value of the wrong type).
Result<ImportMapping> parse_mapping(const std::string& file, std::string_view json);

// A column of the grid as a mapping names it, with what error messages call it.
struct MappedColumn {
  int index = 0;        // from 0
  std::string letters;  // "C"
  std::string heading;  // the header row's text in it
  // `column C "Ngày nhận"`, or `column C` when it has no heading.
  std::string name() const;
};

// The column `given` names: the column whose heading (trimmed, NFC) is `given`, else the column
// with those letters. Errors: invalid_argument naming `given`, what it is mapped to (`what`) and
// the headings the row holds.
Result<MappedColumn> find_column(const Grid& grid, int header_row, const std::string& given, const std::string& what);

// `text` without leading and trailing blanks (spaces, tabs, line breaks, no-break spaces), in NFC.
std::string tidy(std::string_view text);

}  // namespace docket::sheets
