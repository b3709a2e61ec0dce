// Tables written as .xlsx workbooks (sheets/xlsx_writer.h) by the commands that list things
// people keep working on in a spreadsheet: `case list`, `case recommendations`, `report`. Each
// takes --format xlsx (or only --out FILE.xlsx) and writes the same rows and columns its table
// shows, with the columns' Vietnamese headings (--headers en: English), dates and times as real
// dates in Vietnam time (UTC with --utc), numbers as numbers.
#pragma once

#include <memory>
#include <string>

#include "app.h"
#include "output.h"

namespace CLI {
class App;
}

namespace docket::cli {

struct SheetOutput {
  bool xlsx = false;  // --format xlsx
  std::string out;    // --out FILE
};

// Adds --format (table, json, csv or xlsx: the global --format's choices and a workbook) and
// --out FILE to `command`.
void add_sheet_options(CLI::App& command, Context& context, SheetOutput& output);

// Whether the command writes a workbook: --format xlsx, or --out alone. Throws CLI::ValidationError
// (a usage error) for --format xlsx without --out, --out with another format, or a file name that
// does not end in .xlsx.
bool writes_workbook(const SheetOutput& output);

// Writes `table` to output.out as a one-sheet workbook named `sheet`, and says so on stdout.
// Errors: storage naming the file when it cannot be written.
Status write_workbook(Context& context, const Table& table, const std::string& sheet, const SheetOutput& output);

}  // namespace docket::cli
