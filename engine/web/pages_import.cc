// Importing cases from a spreadsheet, for officers (docs/spreadsheets.md): the .xlsx or .csv the
// committee kept before Docket and the mapping file that says which column is which, checked
// first (a dry run naming every problem by row and column) and then imported all or nothing, as
// `docket case import` does (sheets/case_importer.h), as the signed-in user. The import runs on
// the writer like any change; a large file holds other changes up while it runs (10,000 rows
// take a few seconds: docs/benchmarks.md).
#include <set>

#include "sheets/case_importer.h"
#include "sheets/import_mapping.h"
#include "web/case_data.h"
#include "web/web_app.h"

namespace docket::web {
namespace {

ApiResponse import_page(Workspace& workspace, WebRequest& request) {
  const Language& language = request.language;
  Data data;
  List workflows{Data::type::list};
  for (const WorkflowDefinition* definition : workspace.catalog().latest_of_each()) {
    Data item;
    item.set("id", definition->id);
    item.set("label", label(language, definition->title));
    if (definition->id == request.form.value("workflow")) item.set("selected", true);
    workflows.push_back(item);
  }
  data.set("workflows", workflows);
  List units{Data::type::list};
  if (auto readable = workspace.access().readable_units({request.viewer.user, request.viewer.admin})) {
    for (const std::string& unit : *readable) {
      Data item;
      item.set("id", unit);
      item.set("name", unit_name(workspace, unit));
      if (unit == request.form.value("unit")) item.set("selected", true);
      units.push_back(item);
    }
  }
  data.set("units", units);
  for (const char* count : {"imported", "checked", "skipped"}) {
    const std::string value = request.query_value(count);
    if (!value.empty()) data.set(count, value);
  }
  if (request.refused) data.set("refused", request.refused->message);
  return html(render_page("import", data, language, request.viewer, text(language, "import_cases"), request.path));
}

// Why nothing was stored: the summary, then each problem on its line ("row 3, column D ...").
Error problems_of(const sheets::ImportReport& report, const Language& language) {
  std::set<int> rows;
  for (const sheets::RowProblem& problem : report.problems) rows.insert(problem.row);
  std::string message =
      text(language, "import_problems") + " " + std::to_string(rows.size()) + "/" + std::to_string(report.rows);
  for (const sheets::RowProblem& problem : report.problems) message += "\n" + problem.text();
  return make_error(ErrorCode::invalid_argument, message);
}

ActionOutcome import_action(Workspace& workspace, WebRequest& request) {
  const std::string page = "/import";
  const Language& language = request.language;
  const FormFile* file = request.form.file("file");
  const FormFile* mapping_file = request.form.file("mapping");
  if (file == nullptr || mapping_file == nullptr)
    return {"", make_error(ErrorCode::invalid_argument, text(language, "import_choose_files")), page};
  auto mapping = sheets::parse_mapping(mapping_file->file_name, mapping_file->content);
  if (!mapping) return {"", mapping.error(), page};
  auto grid = sheets::read_grid(file->file_name, file->content, mapping->sheet);
  if (!grid) return {"", make_error(grid.error().code, file->file_name + ": " + grid.error().message), page};
  sheets::ImportRequest asked;
  asked.workflow = request.form.value("workflow");
  asked.user = request.viewer.user;
  asked.source = file->file_name;
  asked.default_unit = request.form.value("unit");
  asked.dry_run = request.form.value("action") != "import";
  auto report = sheets::import_cases(workspace, *grid, *mapping, asked);
  if (!report) return {"", report.error(), page};
  if (!report->problems.empty()) return {"", problems_of(*report, language), page};
  const std::string counts =
      std::to_string(report->imported.size()) + "&skipped=" + std::to_string(report->skipped.size());
  return {page + (asked.dry_run ? "?checked=" : "?imported=") + counts, std::nullopt, page};
}

}  // namespace

void add_import_pages(std::vector<WebRoute>& routes) {
  routes.push_back({.method = verb::get, .pattern = "/import", .page = import_page});
  routes.push_back({.method = verb::post, .pattern = "/import", .action = import_action});
}

}  // namespace docket::web
