// docket case import FILE --workflow W --mapping MAP.json [--unit U] [--sheet S] [--dry-run]:
// the cases a committee kept in a spreadsheet (.xlsx or .csv) before Docket, opened as the
// acting user, all or nothing (sheets/case_importer.h, docs/spreadsheets.md). Prints one line
// per row (imported, would be imported, skipped as imported before), then every problem of every
// row with its row and column; any problem and nothing is stored (exit 1).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>

#include "case_list.h"
#include "command_support.h"
#include "progress.h"
#include "sheets/case_importer.h"

namespace docket::cli {
namespace {

struct ImportOptions {
  std::string file, workflow, mapping, unit, sheet;
  bool dry_run = false;
};

Table outcome_table(const sheets::ImportReport& report, bool dry_run) {
  Table table{{{"row", true, Moment::none, {"Dòng", "Row"}},
               {"reference", false, Moment::none, {"Số tham chiếu", "Reference"}},
               {"number"},
               {"outcome", false, Moment::none, {"Kết quả", "Outcome"}}},
              {}};
  for (const auto& row : report.imported)
    table.rows.push_back(
        {std::to_string(row.row), row.reference, row.case_number, dry_run ? "would import" : "imported"});
  for (const auto& row : report.skipped)
    table.rows.push_back({std::to_string(row.row), row.reference, row.case_number, "skipped: imported before"});
  std::sort(table.rows.begin(), table.rows.end(),
            [](const auto& a, const auto& b) { return std::stoi(a[0]) < std::stoi(b[0]); });
  return table;
}

std::string summary(const sheets::ImportReport& report, bool dry_run) {
  std::set<int> rows_with_problems;
  for (const auto& problem : report.problems) rows_with_problems.insert(problem.row);
  std::string line = (dry_run ? "dry run: " : "") + std::to_string(report.rows) + " row(s) read; " +
                     std::to_string(report.imported.size()) + (dry_run ? " would be imported, " : " imported, ") +
                     std::to_string(report.skipped.size()) + " skipped (imported before), " +
                     std::to_string(rows_with_problems.size()) + " with problems";
  if (dry_run || !report.problems.empty()) line += "; nothing was stored";
  return line;
}

Status run_import(Context& context, Workspace& workspace, const ImportOptions& options) {
  Progress progress(context.err, context.progress, "case import");
  progress.step("reading " + options.file);
  DOCKET_TRY(mapping_json, read_file_content(options.mapping));
  DOCKET_TRY(mapping, sheets::parse_mapping(options.mapping, *mapping_json));
  if (!options.sheet.empty()) mapping->sheet = options.sheet;
  DOCKET_TRY(bytes, read_file_content(options.file));
  auto grid = sheets::read_grid(options.file, *bytes, mapping->sheet);
  if (!grid) return make_error(grid.error().code, options.file + ": " + grid.error().message);
  sheets::ImportRequest request;
  request.workflow = options.workflow;
  request.user = require_acting_user(context);
  request.source = std::filesystem::path(options.file).filename().string();
  request.default_unit = options.unit;
  request.dry_run = options.dry_run;
  request.progress = [&](int done, int total) { progress.count(done, total, "rows"); };
  DOCKET_TRY(report, sheets::import_cases(workspace, *grid, *mapping, request));
  progress.clear();
  print_table(context.out, outcome_table(*report, options.dry_run), context.format, context.style);
  for (const auto& problem : report->problems) context.out << problem.text() << "\n";
  context.out << summary(*report, options.dry_run) << "\n";
  if (report->problems.empty()) return Ok{};
  return make_error(ErrorCode::invalid_argument, std::to_string(report->problems.size()) + " problem(s) in " +
                                                     options.file + (options.dry_run ? "" : "; nothing was imported"));
}

}  // namespace

void add_case_import_command(CLI::App& cases, Context& context) {
  auto options = std::make_shared<ImportOptions>();
  CLI::App* command = cases.add_subcommand(
      "import", "Open cases from a spreadsheet (.xlsx or .csv), all or nothing (docs/spreadsheets.md)");
  command->add_option("file", options->file, "The .xlsx workbook or .csv file")->required();
  command->add_option("--workflow", options->workflow, "The workflow of the cases, e.g. social-critique")->required();
  command->add_option("--mapping", options->mapping, "JSON file: which column goes to which field")->required();
  command->add_option("--unit", options->unit, "Every row's unit, when the mapping has no unit column");
  command->add_option("--sheet", options->sheet, "The workbook's sheet (default: the mapping's, else the first)");
  command->add_flag("--dry-run", options->dry_run, "Check every row and report its problems; store nothing");
  command->callback([&context, options] {
    require_acting_user(context);
    with_workspace(context, [&](Workspace& workspace) { return run_import(context, workspace, *options); });
  });
}

}  // namespace docket::cli
