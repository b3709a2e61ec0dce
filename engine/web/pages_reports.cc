// The reports page: pick a period, a unit and whether to roll up the units below; see the
// review figures as a table and download them as CSV, JSON, the printable HTML page or (with
// the committee's letterhead: serve --documents-config) the review report as a Word file. The
// figures are the API's (reports/report_reader.h): only the cases the viewer may read count.
// A report folds many case histories: it runs on the long readers.
#include "documents/report_document.h"
#include "reports/period.h"
#include "reports/render.h"
#include "reports/report_reader.h"
#include "web/case_data.h"
#include "web/web_app.h"

namespace docket::web {
namespace {

// The report the query asks for; nullopt with no period given yet (the form alone).
Result<std::optional<reports::Report>> wanted_report(Workspace& workspace, const WebRequest& request) {
  const std::string period_text = request.query_value("period");
  if (period_text.empty()) return std::optional<reports::Report>{};
  auto period = reports::parse_period(period_text);
  if (!period) return period.error();
  auto as_of = reports::parse_as_of(request.query_value("as_of"), workspace.clock().now());
  if (!as_of) return as_of.error();
  if (const Status started = reports::check_period_started(*period, *as_of); !started) return started.error();
  const reports::ReportRequest asked{*period, *as_of, request.query_value("unit"),
                                     request.query_value("rollup") == "1"};
  const reports::ReportScope scope =
      reports::reader_scope(workspace.access(), {request.viewer.user, request.viewer.admin});
  auto report = reports::read_report(workspace.cases(), workspace.directory(), workspace.catalog(), asked, scope);
  if (!report) return report.error();
  return std::optional<reports::Report>(std::move(*report));
}

// The review report as a Word file (the number left blank, dated today), or the page of the
// error when it cannot be made.
ApiResponse report_docx(Workspace& workspace, const WebRequest& request, const reports::Report& report) {
  if (request.options == nullptr || !request.options->letterhead)
    return message_page(request, server::http::status::not_found, text(request.language, "not_found"),
                        "no letterhead is configured (docket serve --documents-config)");
  const documents::Issue issue{vietnam_date(workspace.clock().now()), ""};
  auto docx =
      documents::report_document(report, *request.options->letterhead, issue, request.options->document_templates);
  if (!docx)
    return message_page(request, server::http::status::unprocessable_entity, text(request.language, "error"),
                        docx.error().message);
  ApiResponse download;
  download.body = std::move(*docx);
  download.content_type = guess_media_type(".docx");
  download.headers.emplace_back("Content-Disposition",
                                server::attachment_disposition("bao-cao-" + report.request.period.label + ".docx"));
  download.headers.emplace_back("Cache-Control", "private, no-store");
  return download;
}

ApiResponse reports_page(Workspace& workspace, WebRequest& request) {
  const Language& language = request.language;
  auto report = wanted_report(workspace, request);
  const std::string format = request.query_value("format");
  if (report && *report && format == "docx") return report_docx(workspace, request, **report);
  if (report && *report && !format.empty()) {
    const auto chosen = reports::report_format_from_string(format);
    ApiResponse download;
    if (chosen == reports::ReportFormat::csv)
      download.body = "\xEF\xBB\xBF" + reports::render_csv(**report);
    else if (chosen == reports::ReportFormat::html)
      download.body = reports::render_html(**report);
    else
      download.body = reports::render_json(**report);
    download.content_type = reports::media_type(chosen.value_or(reports::ReportFormat::json));
    const std::string extension = chosen == reports::ReportFormat::csv    ? "csv"
                                  : chosen == reports::ReportFormat::html ? "html"
                                                                          : "json";
    download.headers.emplace_back(
        "Content-Disposition",
        "attachment; filename=\"bao-cao-" + url_encode(request.query_value("period")) + "." + extension + "\"");
    download.headers.emplace_back("Cache-Control", "private, no-store");
    return download;
  }
  Data data;
  data.set("period", request.query_value("period"));
  if (request.query_value("rollup") == "1") data.set("rollup", true);
  List units{Data::type::list};
  const auto add_unit = [&](const std::string& id, const std::string& name) {
    Data unit;
    unit.set("id", id);
    unit.set("name", name);
    if (id == request.query_value("unit")) unit.set("selected", true);
    units.push_back(unit);
  };
  if (auto readable = workspace.access().readable_units({request.viewer.user, request.viewer.admin})) {
    for (const std::string& unit : *readable) add_unit(unit, unit_name(workspace, unit));
  } else if (auto every = workspace.directory().units()) {
    for (const OrgUnit& unit : *every) add_unit(unit.id, unit.name);
  }
  data.set("units", units);
  if (!report) {
    data.set("error", report.error().message);
  } else if (*report) {
    const reports::ReportTable table = reports::report_table(**report);
    List columns{Data::type::list};
    for (const std::string& column : table.columns) {
      Data item;
      item.set("text", column);
      columns.push_back(item);
    }
    List rows{Data::type::list};
    for (const auto& row : table.rows) {
      List cells{Data::type::list};
      for (std::size_t i = 0; i < row.size(); ++i) {
        Data cell;
        cell.set("text", row[i]);
        if (i < table.numeric.size() && table.numeric[i]) cell.set("numeric", true);
        cells.push_back(cell);
      }
      Data line;
      line.set("cells", cells);
      rows.push_back(line);
    }
    data.set("columns", columns);
    data.set("rows", rows);
    data.set("has_report", true);
    // The downloads are of the figures on the page: as of the moment it was taken.
    std::string query = "period=" + url_encode(request.query_value("period")) +
                        "&unit=" + url_encode(request.query_value("unit")) +
                        (request.query_value("rollup") == "1" ? "&rollup=1" : "") +
                        "&as_of=" + url_encode((*report)->request.as_of.label);
    data.set("query", query);
    if (request.options != nullptr && request.options->letterhead) data.set("report_docx", true);
  }
  return html(render_page("reports", data, language, request.viewer, text(language, "reports"), request.path));
}

}  // namespace

void add_report_pages(std::vector<WebRoute>& routes) {
  routes.push_back({.method = verb::get, .pattern = "/reports", .page = reports_page, .long_read = true});
}

}  // namespace docket::web
