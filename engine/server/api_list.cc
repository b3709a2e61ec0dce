// GET /api/v1/cases: the cases the caller may read, filtered, in pages ordered by case number or
// due date (sort=number|due, "-" first for the other way round). The cursor is the sort key of
// the last case of the previous page, so a page never repeats or skips a case even while cases
// are opened. Cases the caller may not read are skipped without shortening a page (an outside
// party's page is as full as anyone's). Each page says whether more follow.
#include <algorithm>

#include "server/api.h"
#include "server/case_listing.h"

namespace docket::server {
namespace {

constexpr int kDefaultPage = 50;
constexpr int kMaxPage = 500;

ApiResponse bad_query(const std::string& message) {
  return error_response(http::status::bad_request, "invalid_argument", message);
}

}  // namespace

bool is_long_list(const ApiRequest& request) {
  return request.query.count("overdue") > 0 || request.query.count("due_within") > 0;
}

ApiResponse list_cases(Workspace& workspace, ApiRequest& request, RouteContext&) {
  static const std::vector<std::string> known = {"workflow", "stage",      "unit",   "assignee", "open",
                                                 "overdue",  "due_within", "cursor", "limit",    "sort"};
  for (const auto& [key, value] : request.query) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return bad_query("unknown query parameter " + in_quotes(key) +
                       " (known: workflow, stage, unit, assignee, open, overdue, "
                       "due_within, cursor, limit, sort)");
    }
  }
  const auto query = [&](const char* key) { return request.query.count(key) ? request.query.at(key) : std::string(); };
  CaseFilter filter;
  filter.workflow = query("workflow");
  filter.stage = query("stage");
  filter.unit = query("unit");
  filter.assignee = query("assignee");
  filter.after_number = query("cursor");
  auto open_only = query_flag(request, "open");
  auto overdue = query_flag(request, "overdue");
  if (!open_only) return error_response(open_only.error());
  if (!overdue) return error_response(overdue.error());
  filter.open_only = *open_only;
  auto limit = query_integer(query("limit").empty() ? std::to_string(kDefaultPage) : query("limit"), 1, kMaxPage,
                             "limit must be an integer from 1 to " + std::to_string(kMaxPage));
  if (!limit) return error_response(limit.error());
  std::optional<int> within_days;
  if (const std::string within = query("due_within"); !within.empty()) {
    auto days = query_integer(within.back() == 'd' ? within.substr(0, within.size() - 1) : "", 0, 3660,
                              "due_within is a number of days such as 3d, not " + in_quotes(within));
    if (!days) return error_response(days.error());
    within_days = *days;
  }
  if (*overdue && within_days) return bad_query("give overdue or due_within, not both");

  CaseListing listing{filter, *overdue, within_days, *limit};
  if (const std::string sort = query("sort"); !sort.empty()) {
    const bool descending = sort.front() == '-';
    const std::string key = descending ? sort.substr(1) : sort;
    if (key != "number" && key != "due")
      return bad_query("sort is number or due, with - first for the other way round (-due), not " + in_quotes(sort));
    listing.order = key == "due" ? CaseOrder::due : CaseOrder::number;
    listing.descending = descending;
  }
  auto listed = list_readable(workspace, {request.user, request.admin}, listing);
  if (!listed) return error_response(listed.error());
  const CasePage& page = *listed;
  ApiResponse response;
  response.body = json_text([&](Json& json) {
    json.StartObject();
    json.Key("items");
    json.StartArray();
    for (const auto& c : page.cases)
      write_case(json, c, workspace.catalog().find(c.workflow_id, c.workflow_version), false);
    json.EndArray();
    json.Key("more"), json.Bool(page.more);
    json.Key("next_cursor");
    if (page.more)
      json.String(page.next_cursor.c_str(), static_cast<rapidjson::SizeType>(page.next_cursor.size()));
    else
      json.Null();
    json.EndObject();
  });
  return response;
}

}  // namespace docket::server
