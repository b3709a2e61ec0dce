// A report written out: as a flat table (the CLI aligns it as text), CSV, JSON, or one
// self-contained printable HTML page with an inline SVG chart. Plain functions over a Report;
// thread-safe. Every text from the database is escaped for the format it goes into.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reports/report.h"

namespace docket::reports {

enum class ReportFormat { table, csv, json, html };

// "table", "csv", "json" or "html"; nullopt otherwise.
std::optional<ReportFormat> report_format_from_string(std::string_view name);

// The integer figures in column order, each with its key (CSV, JSON) and Vietnamese heading.
struct FigureColumn {
  const char* key;
  const char* heading;
  int Figures::*member;
};
const std::vector<FigureColumn>& figure_columns();
inline constexpr const char* kAverageKey = "average_days_to_answer";

// "12.5"; empty when there is no average.
std::string format_average(std::optional<double> average);

// One line a row: period, as_of, unit, scope ("own" or "total"), workflow, form, the figures
// and the average. numeric[i] says whether column i holds numbers.
struct ReportTable {
  std::vector<std::string> columns;
  std::vector<bool> numeric;
  std::vector<std::vector<std::string>> rows;
};
ReportTable report_table(const Report& report);

std::string render_csv(const Report& report);   // RFC 4180, a header line, "\n" line ends
std::string render_json(const Report& report);  // one object: period, as_of, unit, rollup, rows
std::string render_html(const Report& report);  // render_html.cc

// The media type of a rendered format ("text/csv; charset=utf-8", ...).
const char* media_type(ReportFormat format);

}  // namespace docket::reports
