// GET /api/v1/cases: the cases the caller may read, filtered, in pages ordered by case number.
// The cursor is the number of the last case of the previous page, so a page never repeats or
// skips a case even while cases are opened. Cases the caller may not read are skipped without
// shortening a page (an outside party's page is as full as anyone's).
#include <algorithm>

#include "server/api.h"

namespace docket::server {
namespace {

constexpr int kDefaultPage = 50;
constexpr int kMaxPage = 500;
// The overdue and due-within filters read every due case at once (the store orders them by
// due date); past this many they are refused rather than silently cut.
constexpr int kMaxDueCases = 20000;

struct Page {
  std::vector<Case> cases;
  bool more = false;
};

// Reads `filter` in batches until `limit` readable cases (and one more, to know there are more).
Result<Page> page_by_number(Workspace& workspace, const Reader& reader, CaseFilter filter, int limit) {
  Page page;
  filter.limit = limit + 1;
  filter.by_number = true;  // the cursor is a case number
  for (;;) {
    auto listed = workspace.cases().list(filter);
    if (!listed) return listed.error();
    std::vector<Case> batch = std::move(listed.value());
    const bool exhausted = static_cast<int>(batch.size()) < filter.limit;
    if (!batch.empty()) filter.after_number = batch.back().number;
    for (auto& c : batch) {
      if (!workspace.access().can_read(reader, c)) continue;
      if (static_cast<int>(page.cases.size()) == limit) {
        page.more = true;
        return page;
      }
      page.cases.push_back(std::move(c));
    }
    if (exhausted) return page;
  }
}

// The same over a set the store returns whole (overdue, due within).
Page page_of(Workspace& workspace, const Reader& reader, std::vector<Case> cases, const std::string& after, int limit) {
  std::erase_if(cases, [&](const Case& c) { return c.number <= after && !after.empty(); });
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.number < b.number; });
  Page page;
  for (auto& c : cases) {
    if (!workspace.access().can_read(reader, c)) continue;
    if (static_cast<int>(page.cases.size()) == limit) {
      page.more = true;
      break;
    }
    page.cases.push_back(std::move(c));
  }
  return page;
}

ApiResponse bad_query(const std::string& message) {
  return error_response(http::status::bad_request, "invalid_argument", message);
}

}  // namespace

bool is_long_list(const ApiRequest& request) {
  return request.query.count("overdue") > 0 || request.query.count("due_within") > 0;
}

ApiResponse list_cases(Workspace& workspace, ApiRequest& request, RouteContext&) {
  static const std::vector<std::string> known = {"workflow", "stage",      "unit",   "assignee", "open",
                                                 "overdue",  "due_within", "cursor", "limit"};
  for (const auto& [key, value] : request.query) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return bad_query("unknown query parameter " + in_quotes(key) +
                       " (known: workflow, stage, unit, assignee, open, overdue, "
                       "due_within, cursor, limit)");
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

  const Reader reader{request.user, request.admin};
  const auto units = workspace.access().readable_units(reader);
  if (units) filter.units = *units;  // none for an administrator: every unit
  Page page;
  if (units && units->empty()) {
    // Nothing to read.
  } else if (*overdue || within_days) {
    CaseFilter due = filter;
    due.after_number.clear();
    due.limit = kMaxDueCases + 1;
    auto due_cases = *overdue ? workspace.cases().overdue(due)
                              : workspace.cases().due_within(due, std::chrono::hours{24 * *within_days});
    if (!due_cases) return error_response(due_cases.error());
    std::vector<Case> cases = std::move(due_cases.value());
    if (static_cast<int>(cases.size()) > kMaxDueCases) {
      return error_response(
          http::status::unprocessable_entity, "too_many_cases",
          "more than " + std::to_string(kMaxDueCases) + " cases match; narrow the filter by workflow, unit or stage");
    }
    page = page_of(workspace, reader, std::move(cases), filter.after_number, *limit);
  } else {
    auto numbered = page_by_number(workspace, reader, filter, *limit);
    if (!numbered) return error_response(numbered.error());
    page = std::move(numbered.value());
  }
  ApiResponse response;
  response.body = json_text([&](Json& json) {
    json.StartObject();
    json.Key("items");
    json.StartArray();
    for (const auto& c : page.cases)
      write_case(json, c, workspace.catalog().find(c.workflow_id, c.workflow_version), false);
    json.EndArray();
    json.Key("next_cursor");
    if (page.more)
      json.String(page.cases.back().number.c_str());
    else
      json.Null();
    json.EndObject();
  });
  return response;
}

}  // namespace docket::server
