// The inbox (Việc của tôi), the case list with its filters and CSV download, and search.
#include <algorithm>
#include <charconv>
#include <cstring>

#include "core/read_access.h"
#include "server/case_listing.h"
#include "server/case_search.h"
#include "web/case_data.h"
#include "web/web_app.h"

namespace docket::web {
namespace {

namespace http = server::http;
constexpr int kPage = 50;
constexpr int kInboxScan = 2000;  // open cases looked at for the inbox, by number

// Sorts cases by due date (none last), then number.
void by_due_date(std::vector<Case>& cases) {
  std::stable_sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) {
    const std::string da = a.deadline ? a.deadline->due : "9999", db = b.deadline ? b.deadline->due : "9999";
    return da != db ? da < db : a.number < b.number;
  });
}

constexpr int kChartCap = 10000;  // cases counted per unit at most ("10000+")

// For the head of a unit (a role that reads the units below): each unit directly below, with
// its open and overdue cases (and those of the units below it), as bars linking to its list.
std::string units_below_chart(Workspace& workspace, const WebRequest& request) {
  auto user = workspace.directory().user(request.viewer.user);
  auto units = workspace.directory().units();
  if (!user || !units) return "";
  struct Bar {
    std::string id, name;
    int open = 0, overdue = 0;
  };
  std::vector<Bar> bars;
  const Timestamp now = workspace.clock().now();
  for (const UserRole& held : user->roles) {
    if (!reads_below_in_any(workspace.catalog(), held.role)) continue;
    for (const OrgUnit& unit : *units) {
      if (unit.parent != held.unit ||
          std::any_of(bars.begin(), bars.end(), [&](const Bar& bar) { return bar.id == unit.id; }))
        continue;
      CaseFilter filter;
      auto below = workspace.directory().subtree(unit.id);
      if (below) filter.units = *below;
      filter.open_only = true;
      filter.limit = kChartCap + 1;
      auto open = workspace.cases().list(filter);
      Bar bar{unit.id, unit.name};
      if (open) {
        bar.open = static_cast<int>(open->size());
        for (const Case& current : *open)
          bar.overdue += current.deadline && !current.deadline->due.empty() && now >= current.deadline->due_at;
      }
      bars.push_back(std::move(bar));
    }
  }
  if (bars.empty()) return "";
  int most = 1;
  for (const Bar& bar : bars) most = std::max(most, bar.open);
  constexpr int kLabel = 260, kBar = 360, kRowHeight = 26;
  const int height = static_cast<int>(bars.size()) * kRowHeight + 8;
  std::string svg = "<svg class=\"chart\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    std::to_string(kLabel + kBar + 120) + " " + std::to_string(height) + "\" aria-label=\"" +
                    escape_html(text(request.language, "units_below")) + "\">";
  int y = 4;
  for (const Bar& bar : bars) {
    const int open_width = bar.open * kBar / most, overdue_width = bar.overdue * kBar / most;
    const std::string counts = std::to_string(bar.open) + (bar.open > kChartCap ? "+" : "") + " / " +
                               std::to_string(bar.overdue) + " " + text(request.language, "overdue");
    svg += "<a href=\"/cases?unit=" + url_encode(bar.id) + "\"><title>" + escape_html(bar.name + ": " + counts) +
           "</title><text x=\"0\" y=\"" + std::to_string(y + 16) + "\" font-size=\"13\">" + escape_html(bar.name) +
           "</text><rect x=\"" + std::to_string(kLabel) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" +
           std::to_string(std::max(open_width, 1)) + "\" height=\"18\" fill=\"#98a2ae\"/><rect x=\"" +
           std::to_string(kLabel) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" + std::to_string(overdue_width) +
           "\" height=\"18\" fill=\"#b3261e\"/><text x=\"" + std::to_string(kLabel + open_width + 6) + "\" y=\"" +
           std::to_string(y + 16) + "\" font-size=\"12\">" + escape_html(counts) + "</text></a>";
    y += kRowHeight;
  }
  return svg + "</svg>";
}

ApiResponse inbox(Workspace& workspace, WebRequest& request) {
  const Reader reader{request.viewer.user, request.viewer.admin};
  server::CaseListing listing;
  listing.filter.open_only = true;
  listing.limit = kInboxScan;
  auto listed = server::list_readable(workspace, reader, listing);
  if (!listed)
    return message_page(request, http::status::internal_server_error, text(request.language, "error"),
                        listed.error().message);
  std::vector<Case> mine;
  for (Case& current : listed->cases) {
    bool acts = current.assignee == request.viewer.user;
    if (!acts) {
      auto actions = workspace.cases().actions_for(request.viewer.user, current);
      acts = actions && !actions->transitions.empty();
      // A listed case carries no recommendations: read it whole when the viewer may answer some.
      if (!acts && actions && actions->answer) {
        auto whole = workspace.cases().read(current.number);
        if (whole) actions = workspace.cases().actions_for(request.viewer.user, **whole);
        acts = whole && actions && !actions->answerable.empty();
      }
    }
    if (acts) mine.push_back(std::move(current));
  }
  by_due_date(mine);
  Data data;
  List rows{Data::type::list};
  std::map<std::string, int> per_workflow;
  int overdue = 0;
  for (const Case& current : mine) {
    Data row = case_row(workspace, current, request.language);
    if (current.assignee == request.viewer.user) row.set("mine", true);
    if (row.get("overdue") != nullptr) ++overdue;
    const auto* workflow = row.get("workflow");
    ++per_workflow[workflow ? workflow->string_value() : current.workflow_id];
    rows.push_back(row);
  }
  data.set("cases", rows);
  if (mine.empty()) data.set("empty", true);
  List counts{Data::type::list};
  for (const auto& [workflow, count] : per_workflow) {
    Data item;
    item.set("workflow", workflow);
    item.set("count", std::to_string(count));
    counts.push_back(item);
  }
  data.set("counts", counts);
  data.set("total", std::to_string(mine.size()));
  data.set("overdue_count", std::to_string(overdue));
  if (listed->more) data.set("truncated", true);
  if (const std::string chart = units_below_chart(workspace, request); !chart.empty()) data.set("chart", chart);
  return html(
      render_page("inbox", data, request.language, request.viewer, text(request.language, "inbox"), request.path));
}

// The filters of the case list, from the query; an error names the bad one.
Result<server::CaseListing> listing_of(const WebRequest& request) {
  server::CaseListing listing;
  CaseFilter& filter = listing.filter;
  filter.workflow = request.query_value("workflow");
  filter.stage = request.query_value("stage");
  filter.unit = request.query_value("unit");
  filter.assignee = request.query_value("assignee");
  filter.after_number = request.query_value("after");
  const std::string state = request.query_value("state");
  filter.open_only = state.empty() || state == "open";
  listing.overdue = request.query_value("overdue") == "1";
  if (const std::string within = request.query_value("due_within"); !within.empty()) {
    int days = -1;
    const auto parsed = std::from_chars(within.data(), within.data() + within.size(), days);
    if (parsed.ec != std::errc() || parsed.ptr != within.data() + within.size() || days < 0 || days > 3660)
      return make_error(ErrorCode::invalid_argument, text(request.language, "bad_due_within"));
    listing.due_within = days;
  }
  listing.limit = request.query_value("format") == "csv" ? server::kMaxDueCases : kPage;
  return listing;
}

std::string csv_cell(const std::string& value) {
  if (value.find_first_of(",\"\n\r") == std::string::npos) return value;
  std::string quoted = "\"";
  for (const char c : value) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

ApiResponse csv_download(Workspace& workspace, const WebRequest& request, const std::vector<Case>& cases) {
  const Language& language = request.language;
  std::string csv = "\xEF\xBB\xBF";  // UTF-8 BOM: spreadsheet programs then read Vietnamese right
  for (const char* key : {"number", "title", "workflow", "unit", "stage", "assignee", "due"})
    csv += csv_cell(text(language, std::string("col_") + key)) + (std::string_view(key) == "due" ? "\r\n" : ",");
  for (const Case& current : cases) {
    const Data row = case_row(workspace, current, language);
    std::string line;
    for (const char* key : {"number", "title", "workflow", "unit", "stage", "assignee", "due"}) {
      const auto* value = row.get(std::string_view(key) == "assignee" ? "assignee_name" : key);
      line += (line.empty() ? "" : ",") + csv_cell(value && value->is_string() ? value->string_value() : "");
    }
    csv += line + "\r\n";
  }
  ApiResponse response;
  response.body = std::move(csv);
  response.content_type = "text/csv; charset=utf-8";
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"ho-so.csv\"");
  response.headers.emplace_back("Cache-Control", "private, no-store");
  return response;
}

List choices(const std::vector<std::pair<std::string, std::string>>& options, const std::string& selected) {
  List list{Data::type::list};
  for (const auto& [value, shown] : options) {
    Data item;
    item.set("value", value);
    item.set("text", shown);
    if (value == selected) item.set("selected", true);
    list.push_back(item);
  }
  return list;
}

ApiResponse case_list(Workspace& workspace, WebRequest& request) {
  const Language& language = request.language;
  auto listing = listing_of(request);
  Data data;
  std::vector<Case> cases;
  bool more = false;
  if (!listing) {
    data.set("error", listing.error().message);
  } else {
    auto listed = server::list_readable(workspace, {request.viewer.user, request.viewer.admin}, *listing);
    if (!listed) {
      data.set("error", listed.error().message);
    } else {
      cases = std::move(listed->cases);
      more = listed->more;
    }
  }
  if (request.query_value("format") == "csv") return csv_download(workspace, request, cases);
  if (request.query_value("sort") == "due") by_due_date(cases);
  List rows{Data::type::list};
  for (const Case& current : cases) rows.push_back(case_row(workspace, current, language));
  data.set("cases", rows);
  if (cases.empty()) data.set("empty", true);
  std::vector<std::pair<std::string, std::string>> workflows{{"", text(language, "all")}},
      stages{{"", text(language, "all")}};
  for (const WorkflowDefinition* definition : workspace.catalog().latest_of_each()) {
    workflows.emplace_back(definition->id, label(language, definition->title));
    if (definition->id != request.query_value("workflow")) continue;
    for (const StageDefinition& stage : definition->stages) stages.emplace_back(stage.id, label(language, stage.label));
  }
  data.set("workflows", choices(workflows, request.query_value("workflow")));
  data.set("stages", choices(stages, request.query_value("stage")));
  std::vector<std::pair<std::string, std::string>> units{{"", text(language, "all")}};
  if (auto readable = workspace.access().readable_units({request.viewer.user, request.viewer.admin})) {
    for (const std::string& unit : *readable) units.emplace_back(unit, unit_name(workspace, unit));
  } else if (auto every = workspace.directory().units()) {
    for (const OrgUnit& unit : *every) units.emplace_back(unit.id, unit.name);
  }
  data.set("units", choices(units, request.query_value("unit")));
  data.set("states", choices({{"open", text(language, "state_open")}, {"closed_too", text(language, "state_all")}},
                             request.query_value("state")));
  data.set("sorts", choices({{"number", text(language, "sort_number")}, {"due", text(language, "sort_due")}},
                            request.query_value("sort")));
  data.set("assignee", request.query_value("assignee"));
  data.set("due_within", request.query_value("due_within"));
  if (request.query_value("overdue") == "1") data.set("overdue", true);
  // The same filters for the next page and the CSV download.
  std::string filters;
  for (const auto& [key, value] : request.query) {
    if (key == "after" || key == "format" || value.empty()) continue;
    filters += "&" + key + "=" + url_encode(value);
  }
  data.set("csv_href", "/cases?format=csv" + filters);
  if (more && !cases.empty()) data.set("next_href", "/cases?after=" + url_encode(cases.back().number) + filters);
  return html(render_page("cases", data, language, request.viewer, text(language, "cases"), request.path));
}

ApiResponse search_page(Workspace& workspace, WebRequest& request) {
  Data data;
  const std::string query = request.query_value("q");
  data.set("q", query);
  if (!query.empty()) {
    SearchQuery search;
    search.text = query;
    auto found = server::search_readable(workspace, {request.viewer.user, request.viewer.admin}, search, 50);
    if (!found) {
      data.set("error", found.error().message);
    } else {
      List hits{Data::type::list};
      for (const SearchHit& hit : found->hits) {
        Data row = case_row(workspace, hit.state, request.language);
        // The snippet's matched words are marked « »: shown as <mark> by the template.
        const std::size_t open = hit.snippet.find(kSnippetOpen);
        const std::size_t close = hit.snippet.find(kSnippetClose);
        if (open != std::string::npos && close != std::string::npos && close > open) {
          row.set("before", hit.snippet.substr(0, open));
          row.set("match",
                  hit.snippet.substr(open + std::strlen(kSnippetOpen), close - open - std::strlen(kSnippetOpen)));
          row.set("after", hit.snippet.substr(close + std::strlen(kSnippetClose)));
        } else {
          row.set("before", hit.snippet);
        }
        hits.push_back(row);
      }
      data.set("hits", hits);
      if (found->hits.empty()) data.set("none", true);
    }
  }
  return html(
      render_page("search", data, request.language, request.viewer, text(request.language, "search"), request.path));
}

}  // namespace

void add_list_pages(std::vector<WebRoute>& routes) {
  routes.push_back({.method = verb::get, .pattern = "/inbox", .page = inbox, .long_read = true});
  routes.push_back({.method = verb::get, .pattern = "/cases", .page = case_list, .long_read = true});
  routes.push_back({.method = verb::get, .pattern = "/search", .page = search_page});
}

}  // namespace docket::web
