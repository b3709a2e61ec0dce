#include "sheet_export.h"

#include <CLI/CLI.hpp>

#include <cstdio>

#include "sheets/xlsx_writer.h"

namespace docket::cli {
namespace {

bool ends_with_xlsx(const std::string& path) {
  if (path.size() < 5) return false;
  std::string tail = path.substr(path.size() - 5);
  for (char& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return tail == ".xlsx";
}

sheets::ColumnKind kind_of(const Column& column) {
  if (column.number) return sheets::ColumnKind::number;
  switch (column.moment) {
    case Moment::date:
      return sheets::ColumnKind::date;
    case Moment::time:
      return sheets::ColumnKind::datetime;
    case Moment::none:
      break;
  }
  return sheets::ColumnKind::text;
}

// "2026-04-30T08:30:00Z" -> "2026-04-30 15:30" in Vietnam time (in UTC with --utc).
std::string wall_clock(const std::string& cell, const Style& style) {
  const std::optional<Timestamp> at = parse_datetime(cell);
  if (!at) return cell;
  const auto local = *at + (style.utc ? std::chrono::minutes{0} : kVietnamOffset);
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::hh_mm_ss clock{local - day};
  char text[8];
  std::snprintf(text, sizeof text, " %02d:%02d", static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()));
  return format_date(Date{day}) + text;
}

}  // namespace

void add_sheet_options(CLI::App& command, Context& context, SheetOutput& output) {
  command.add_option("--format", "Output: table, json, csv, or xlsx (a workbook; with --out)")
      ->check(CLI::IsMember({"table", "json", "csv", "xlsx"}))
      ->each([&context, &output](const std::string& name) {
        output.xlsx = name == "xlsx";
        if (!output.xlsx) context.format = *output_format_from_string(name);
      });
  command.add_option("--out", output.out, "Write an .xlsx workbook to this file (docs/spreadsheets.md)");
}

bool writes_workbook(const SheetOutput& output) {
  if (output.out.empty()) {
    if (output.xlsx) throw CLI::ValidationError("--format", "xlsx writes a file: add --out FILE.xlsx");
    return false;
  }
  if (!ends_with_xlsx(output.out)) {
    throw CLI::ValidationError("--out",
                               "writes an .xlsx workbook: name the file FILE.xlsx, got \"" + output.out + "\"");
  }
  return true;
}

Status write_workbook(Context& context, const Table& table, const std::string& sheet, const SheetOutput& output) {
  const std::string language = context.style.headers == Headers::en ? "en" : "vi";
  sheets::SheetTable workbook{sheet, {}, {}};
  for (const Column& column : table.columns) {
    const std::string& given = language == "vi" ? column.heading.vi : column.heading.en;
    workbook.columns.push_back({given.empty() ? column_heading(column.key, language) : given, kind_of(column)});
  }
  workbook.rows.reserve(table.rows.size());
  for (const auto& row : table.rows) {
    std::vector<std::string>& cells = workbook.rows.emplace_back(row);
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (table.columns[i].moment == Moment::time) cells[i] = wall_clock(cells[i], context.style);
    }
  }
  if (const Status written = sheets::write_xlsx(output.out, {workbook}); !written) return written;
  context.out << "wrote " << table.rows.size() << " row(s) to " << output.out << "\n";
  return Ok{};
}

}  // namespace docket::cli
