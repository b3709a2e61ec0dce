// A spreadsheet read into memory: the cells of one sheet, as the rows and columns people see
// them (row 1 first, column A first), from an .xlsx workbook (xlsx_reader.h) or a CSV file
// (csv_reader.h). What a cell holds is kept as typed as the file says: text, a number, or a
// number the workbook formats as a date (an Excel serial day). Plain values; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace docket::sheets {

struct Cell {
  enum class Kind { empty, text, number };
  Kind kind = Kind::empty;
  std::string text;    // Kind::text: the text; Kind::number: the number as the file wrote it
  double number = 0;   // Kind::number
  bool dated = false;  // Kind::number shown by the workbook as a date (or date and time)
  bool empty() const { return kind == Kind::empty || (kind == Kind::text && text.empty()); }
};

struct Grid {
  std::string sheet;                    // the sheet's name ("" for CSV)
  std::vector<std::vector<Cell>> rows;  // rows[0] is row 1; a row may be shorter than others
  // The cell at `row` (from 1) and `column` (from 0), or an empty one past the end.
  const Cell& at(int row, int column) const;
};

// "A" for 0, "Z" for 25, "AA" for 26.
std::string column_letters(int column);
// 0 for "A", 26 for "AA"; nullopt unless `letters` is 1 to 3 letters A-Z (either case).
std::optional<int> column_index(std::string_view letters);

// The date an Excel serial day stands for (1900 date system: 1 is 1900-01-01, 60 the phantom
// 1900-02-29 Excel keeps; the fraction, a time of day, is dropped); nullopt out of range.
std::optional<Date> date_of_serial(double serial);
// The serial day of `date` (whole: midnight).
double serial_of_date(Date date);

// The cell as text a person would read back: text as is; a dated number as dd/mm/yyyy; another
// number without a trailing ".0".
std::string shown(const Cell& cell);

// The grid of a file by its name's extension: .xlsx (the sheet named `sheet`, or the first when
// it is empty) or .csv. Errors: invalid_argument naming the file for another extension, or the
// reader's.
Result<Grid> read_grid(const std::string& file_name, std::string_view bytes, const std::string& sheet);

}  // namespace docket::sheets
