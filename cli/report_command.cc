// docket report: the six-monthly or yearly review figures of a unit (docs/reports.md), as an
// aligned table, CSV, JSON or one printable HTML page. With --as, only the cases that user may
// read count, as over the API; without it, every case in the database.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <memory>

#include "app.h"
#include "command_support.h"
#include "progress.h"
#include "reports/render.h"
#include "reports/report_reader.h"
#include "sheet_export.h"

namespace docket::cli {
namespace {

struct ReportOptions {
  std::string period;
  std::string unit;
  bool rollup = false;
  std::string format;  // empty: the global --format
  std::string as_of;
  std::string out;  // --out FILE.xlsx
};

reports::ReportFormat format_of(const Context& context, const ReportOptions& options) {
  if (!options.format.empty()) return *reports::report_format_from_string(options.format);
  switch (context.format) {
    case OutputFormat::csv:
      return reports::ReportFormat::csv;
    case OutputFormat::json:
      return reports::ReportFormat::json;
    case OutputFormat::table:
      break;
  }
  return reports::ReportFormat::table;
}

// The scope of the acting user (--as), or everything without one.
Result<reports::ReportScope> scope_of(const Context& context, Workspace& workspace) {
  if (context.acting_user.empty()) return reports::ReportScope{};
  auto reader = workspace.access().reader(context.acting_user);
  if (!reader) return reader.error();
  return reports::reader_scope(workspace.access(), *reader);
}

// The report's rows as the CLI prints tables, from column `first` on; the figures carry their
// Vietnamese headings (--headers vi).
Table report_rows(const reports::Report& report, std::size_t first) {
  const reports::ReportTable flat = reports::report_table(report);
  Table table;
  for (std::size_t i = first; i < flat.columns.size(); ++i) {
    Column column{flat.columns[i], flat.numeric[i]};
    for (const reports::FigureColumn& figure : reports::figure_columns()) {
      if (column.key == figure.key) column.heading.vi = figure.heading;
    }
    table.columns.push_back(std::move(column));
  }
  for (const auto& cells : flat.rows)
    table.rows.emplace_back(cells.begin() + static_cast<std::ptrdiff_t>(first), cells.end());
  return table;
}

// CSV: every column; a UTF-8 BOM first unless --no-bom, so that Excel opens Vietnamese names.
void print_csv(Context& context, const reports::Report& report) {
  Style style = context.style;
  style.bom_by_default = true;
  print_table(context.out, report_rows(report, 0), OutputFormat::csv, style);
}

// Text: a heading, then the rows without the period and as-of columns the heading gives.
void print_text(Context& context, const reports::Report& report) {
  constexpr std::size_t kSkipped = 2;  // period, as_of
  const Table table = report_rows(report, kSkipped);
  const reports::ReportRequest& request = report.request;
  context.out << report.unit_name << " (" << request.unit << (request.rollup ? ", with the units below" : "")
              << "), period " << request.period.label << " (" << shown_date(request.period.from, context.style) << ".."
              << shown_date(request.period.to, context.style) << "), as of " << request.as_of.label << "\n";
  print_table(context.out, table, OutputFormat::table, context.style);
}

Status run_report(Context& context, Workspace& workspace, const ReportOptions& options,
                  const reports::ReportPeriod& period) {
  auto as_of = reports::parse_as_of(options.as_of, workspace.clock().now());
  if (!as_of) return as_of.error();
  if (const Status started = reports::check_period_started(period, *as_of); !started) return started;
  auto scope = scope_of(context, workspace);
  if (!scope) return scope.error();
  const reports::ReportRequest request{period, *as_of, options.unit, options.rollup};
  Progress progress(context.err, context.progress, "report");
  progress.step("counting the cases of " + options.unit + (options.rollup ? " and the units below" : ""));
  auto report = reports::read_report(workspace.cases(), workspace.directory(), workspace.catalog(), request, *scope);
  if (!report) return report.error();
  progress.clear();
  if (options.format == "xlsx" || !options.out.empty()) {
    return write_workbook(context, report_rows(*report, 0), "Báo cáo " + request.period.label,
                          SheetOutput{true, options.out});
  }
  switch (format_of(context, options)) {
    case reports::ReportFormat::table:
      print_text(context, *report);
      break;
    case reports::ReportFormat::csv:
      print_csv(context, *report);
      break;
    case reports::ReportFormat::json:
      context.out << reports::render_json(*report);
      break;
    case reports::ReportFormat::html:
      context.out << reports::render_html(*report);
      break;
  }
  return Ok{};
}

}  // namespace

void add_report_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* command = app.add_subcommand("report", "Six-monthly or yearly review figures of a unit (docs/reports.md)");
  command->add_option("--period", options->period, "2026-H1, 2026-H2, 2026 or FROM..TO (YYYY-MM-DD..YYYY-MM-DD)")
      ->required();
  command->add_option("--unit", options->unit, "The organisation unit")->required();
  command->add_flag("--rollup", options->rollup, "Also each unit below, and a total for the unit");
  command->add_option("--format", options->format, "Output: table, csv, json, html, or xlsx (a workbook; with --out)")
      ->check(CLI::IsMember({"table", "csv", "json", "html", "xlsx"}));
  command->add_option("--out", options->out, "Write an .xlsx workbook to this file (docs/spreadsheets.md)");
  command->add_option("--as-of", options->as_of, "Rebuild the figures as they stood on this date (YYYY-MM-DD)");
  command->callback([&context, options] {
    auto period = reports::parse_period(options->period);
    if (!period) throw CLI::ValidationError("--period", period.error().message);
    if (!options->as_of.empty() && !parse_date(options->as_of) && !parse_datetime(options->as_of)) {
      throw CLI::ValidationError("--as-of", "expected a date YYYY-MM-DD, got " + in_quotes(options->as_of));
    }
    if (!options->out.empty() && !options->format.empty() && options->format != "xlsx")
      throw CLI::ValidationError("--out", "writes an .xlsx workbook: use it with --format xlsx");
    writes_workbook(SheetOutput{options->format == "xlsx", options->out});  // a usage error now
    with_workspace(context, [&](Workspace& workspace) { return run_report(context, workspace, *options, *period); });
  });
}

}  // namespace docket::cli
