// GET /api/v1/reports: the review figures of a unit the caller may read (docs/reports.md), as
// JSON, CSV or one printable HTML page. Only the cases the caller may read count, and a rollup
// lists only the units below that they may read. A report folds the history of every case of the
// unit (and below): it runs on the long readers.
#include <algorithm>

#include "reports/render.h"
#include "reports/report_reader.h"
#include "server/api.h"

namespace docket::server {
namespace {

const std::vector<std::string> kKnownParameters = {"period", "unit", "rollup", "as_of", "format"};

std::string query(const ApiRequest& request, const char* key) {
  const auto found = request.query.find(key);
  return found == request.query.end() ? std::string() : found->second;
}

// The request's report, or what is wrong with the query.
Result<reports::ReportRequest> report_request(Workspace& workspace, const ApiRequest& request) {
  for (const auto& [key, value] : request.query) {
    if (std::find(kKnownParameters.begin(), kKnownParameters.end(), key) == kKnownParameters.end()) {
      return make_error(ErrorCode::invalid_argument,
                        "unknown query parameter " + in_quotes(key) + " (known: period, unit, rollup, as_of, format)");
    }
  }
  if (query(request, "period").empty())
    return make_error(ErrorCode::invalid_argument, "period is required, e.g. period=2026-H1");
  if (query(request, "unit").empty()) return make_error(ErrorCode::invalid_argument, "unit is required");
  const std::string rollup = query(request, "rollup");
  if (!rollup.empty() && rollup != "true" && rollup != "false") {
    return make_error(ErrorCode::invalid_argument, "rollup is true or false, not " + in_quotes(rollup));
  }
  auto period = reports::parse_period(query(request, "period"));
  if (!period) return period.error();
  auto as_of = reports::parse_as_of(query(request, "as_of"), workspace.clock().now());
  if (!as_of) return as_of.error();
  if (const Status started = reports::check_period_started(*period, *as_of); !started) return started.error();
  return reports::ReportRequest{*period, *as_of, query(request, "unit"), rollup == "true"};
}

ApiResponse get_report(Workspace& workspace, ApiRequest& request, RouteContext&) {
  const std::string format_name = query(request, "format").empty() ? "json" : query(request, "format");
  const auto format = reports::report_format_from_string(format_name);
  if (!format || *format == reports::ReportFormat::table) {
    return error_response(http::status::bad_request, "invalid_argument",
                          "format is json, csv or html, not " + in_quotes(format_name));
  }
  auto wanted = report_request(workspace, request);
  if (!wanted) return error_response(wanted.error());
  const reports::ReportScope scope = reports::reader_scope(workspace.access(), {request.user, request.admin});
  auto report = reports::read_report(workspace.cases(), workspace.directory(), workspace.catalog(), *wanted, scope);
  if (!report) return error_response(report.error());
  ApiResponse response;
  response.content_type = reports::media_type(*format);
  // CSV and HTML are files to keep: saved under a name that says which report they are.
  const std::string file_name = "report-" + wanted->unit + "-" + query(request, "period") + "." + format_name;
  switch (*format) {
    case reports::ReportFormat::csv:
      response.body = reports::render_csv(*report);
      response.headers.emplace_back("Content-Disposition", attachment_disposition(file_name));
      break;
    case reports::ReportFormat::html:
      response.body = reports::render_html(*report);
      response.headers.emplace_back("Content-Disposition", attachment_disposition(file_name));
      break;
    default:
      response.body = reports::render_json(*report);
      break;
  }
  return response;
}

}  // namespace

void add_report_routes(std::vector<Route>& routes) {
  routes.push_back(
      {.method = http::verb::get, .pattern = "/api/v1/reports", .handle = get_report, .long_read = always_long});
}

}  // namespace docket::server
