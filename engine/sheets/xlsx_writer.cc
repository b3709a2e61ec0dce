#include "sheets/xlsx_writer.h"

#include <xlsxwriter.h>

#include <unistd.h>
#include <algorithm>
#include <charconv>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <system_error>

#include "core/text.h"
#include "core/time.h"
#include "sheets/grid.h"

namespace docket::sheets {
namespace {

constexpr lxw_row_t kMaxSheetRows = 1048575;  // data rows under the header
constexpr double kMinWidth = 6, kMaxWidth = 60;

struct Formats {
  lxw_format* heading;
  lxw_format* date;
  lxw_format* datetime;
  lxw_format* wrapped;
};

Formats add_formats(lxw_workbook* workbook) {
  Formats formats{workbook_add_format(workbook), workbook_add_format(workbook), workbook_add_format(workbook),
                  workbook_add_format(workbook)};
  format_set_bold(formats.heading);
  format_set_bg_color(formats.heading, 0xDDEBF7);
  format_set_num_format(formats.date, "dd/mm/yyyy");
  format_set_num_format(formats.datetime, "dd/mm/yyyy hh:mm");
  format_set_text_wrap(formats.wrapped);
  format_set_align(formats.wrapped, LXW_ALIGN_VERTICAL_TOP);
  return formats;
}

std::string sheet_name(const std::string& wanted, std::size_t index) {
  std::string name;
  for (const char c : wanted) name += std::string_view("[]:*?/\\").find(c) == std::string_view::npos ? c : '-';
  // 31 characters at most: cut at a character boundary.
  std::size_t characters = 0, cut = 0;
  while (cut < name.size() && characters < 31) {
    ++cut;
    while (cut < name.size() && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) ++cut;
    ++characters;
  }
  name.resize(cut);
  return name.empty() ? "Sheet" + std::to_string(index + 1) : name;
}

std::string cut_text(const std::string& text) {
  if (text.size() <= kMaxCellBytes) return text;
  std::size_t cut = kMaxCellBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

std::optional<double> number_of(const std::string& cell) {
  double value = 0;
  const auto [end, problem] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (cell.empty() || problem != std::errc{} || end != cell.data() + cell.size()) return std::nullopt;
  return value;
}

// "2026-04-30 15:30" -> the serial day with its fraction.
std::optional<double> serial_of_time(const std::string& cell) {
  if (cell.size() < 16) return std::nullopt;
  const auto date = parse_date(cell.substr(0, 10));
  int hours = 0, minutes = 0;
  if (!date || std::sscanf(cell.c_str() + 11, "%2d:%2d", &hours, &minutes) != 2) return std::nullopt;
  return serial_of_date(*date) + (hours * 60 + minutes) / 1440.0;
}

// The column's width in characters: its widest cell as people see it, within limits.
double width_of(const SheetColumn& column, const std::vector<std::vector<std::string>>& rows, std::size_t index) {
  double widest = static_cast<double>(display_width(column.heading)) + 3;  // room for the filter button
  if (column.kind == ColumnKind::date) widest = std::max(widest, 11.0);
  if (column.kind == ColumnKind::datetime) widest = std::max(widest, 17.0);
  if (column.kind == ColumnKind::text) {
    for (const auto& row : rows) widest = std::max(widest, static_cast<double>(display_width(row[index])) + 1);
  } else if (column.kind == ColumnKind::number) {
    for (const auto& row : rows) widest = std::max(widest, static_cast<double>(row[index].size()) + 2);
  }
  return std::clamp(widest, kMinWidth, kMaxWidth);
}

lxw_error write_cell(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t column, const SheetColumn& kind,
                     const std::string& cell, const Formats& formats, bool wrap) {
  if (cell.empty()) return LXW_NO_ERROR;
  std::optional<double> value;
  lxw_format* format = nullptr;
  switch (kind.kind) {
    case ColumnKind::number:
      value = number_of(cell);
      break;
    case ColumnKind::date:
      if (const auto date = parse_date(cell)) value = serial_of_date(*date);
      format = formats.date;
      break;
    case ColumnKind::datetime:
      value = serial_of_time(cell);
      format = formats.datetime;
      break;
    case ColumnKind::text:
      break;
  }
  if (value) return worksheet_write_number(sheet, row, column, *value, format);
  return worksheet_write_string(sheet, row, column, cut_text(cell).c_str(), wrap ? formats.wrapped : nullptr);
}

lxw_error write_table(lxw_workbook* workbook, const SheetTable& table, std::size_t index, const Formats& formats) {
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, sheet_name(table.name, index).c_str());
  if (sheet == nullptr) return LXW_ERROR_SHEETNAME_ALREADY_USED;
  const auto columns = static_cast<lxw_col_t>(table.columns.size());
  for (lxw_col_t c = 0; c < columns; ++c) {
    const double width = width_of(table.columns[c], table.rows, c);
    if (const lxw_error e = worksheet_set_column(sheet, c, c, width, nullptr); e != LXW_NO_ERROR) return e;
    if (const lxw_error e = worksheet_write_string(sheet, 0, c, table.columns[c].heading.c_str(), formats.heading);
        e != LXW_NO_ERROR)
      return e;
  }
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    for (lxw_col_t c = 0; c < columns; ++c) {
      const std::string& cell = table.rows[r][c];
      const bool wrap = display_width(cell) > kMaxWidth;
      const auto row = static_cast<lxw_row_t>(r + 1);
      if (const lxw_error e = write_cell(sheet, row, c, table.columns[c], cell, formats, wrap); e != LXW_NO_ERROR)
        return e;
    }
  }
  worksheet_freeze_panes(sheet, 1, 0);
  if (columns == 0) return LXW_NO_ERROR;
  return worksheet_autofilter(sheet, 0, 0, static_cast<lxw_row_t>(table.rows.size()), columns - 1);
}

}  // namespace

Status write_xlsx(const std::filesystem::path& path, const std::vector<SheetTable>& tables) {
  if (tables.empty()) return make_error(ErrorCode::invalid_argument, "a workbook needs at least one table");
  for (const SheetTable& table : tables) {
    if (table.rows.size() > kMaxSheetRows) {
      return make_error(ErrorCode::invalid_argument, "a sheet holds at most " + std::to_string(kMaxSheetRows) +
                                                         " rows; " + in_quotes(table.name) + " has " +
                                                         std::to_string(table.rows.size()) + ": filter it first");
    }
  }
  std::filesystem::path partial = path;
  partial += ".partial";
  lxw_workbook* workbook = workbook_new(partial.c_str());
  if (workbook == nullptr) return make_error(ErrorCode::storage, "cannot start the workbook " + path.string());
  const Formats formats = add_formats(workbook);
  lxw_error written = LXW_NO_ERROR;
  for (std::size_t i = 0; i < tables.size() && written == LXW_NO_ERROR; ++i)
    written = write_table(workbook, tables[i], i, formats);
  const lxw_error closed = workbook_close(workbook);  // frees the workbook whatever happened
  if (written == LXW_NO_ERROR) written = closed;
  std::error_code ignored;
  if (written != LXW_NO_ERROR) {
    std::filesystem::remove(partial, ignored);
    return make_error(ErrorCode::storage, "cannot write " + in_quotes(path.string()) + ": " + lxw_strerror(written));
  }
  std::error_code moved;
  std::filesystem::rename(partial, path, moved);
  if (moved) {
    std::filesystem::remove(partial, ignored);
    return make_error(ErrorCode::storage, "cannot write " + in_quotes(path.string()) + ": " + moved.message());
  }
  return Ok{};
}

Result<std::string> xlsx_bytes(const std::vector<SheetTable>& tables) {
  std::error_code problem;
  const std::filesystem::path folder = std::filesystem::temp_directory_path(problem);
  if (problem) return make_error(ErrorCode::storage, "no temporary folder for the workbook: " + problem.message());
  std::string pattern = (folder / "docket-XXXXXX").string();
  const int made = ::mkstemp(pattern.data());  // a name no other request uses
  if (made < 0) return make_error(ErrorCode::storage, "cannot make a temporary workbook in " + folder.string());
  ::close(made);
  const std::filesystem::path file = pattern;
  Result<std::string> bytes = [&]() -> Result<std::string> {
    if (Status written = write_xlsx(file, tables); !written) return written.error();
    std::ifstream in(file, std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) return make_error(ErrorCode::storage, "cannot read back the workbook " + file.string());
    return content;
  }();
  std::filesystem::remove(file, problem);
  return bytes;
}

}  // namespace docket::sheets
