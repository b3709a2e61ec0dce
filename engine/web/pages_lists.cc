// The inbox (Việc của tôi), the case list with its filters and CSV download, and search.
#include <algorithm>
#include <charconv>
#include <cstring>
#include <set>

#include "core/read_access.h"
#include "server/case_listing.h"
#include "server/case_search.h"
#include "sheets/xlsx_writer.h"
#include "web/case_data.h"
#include "web/web_app.h"

namespace docket::web {
namespace {

namespace http = server::http;
constexpr int kPage = 50;

// Sorts cases by due date (none last), then number.
void by_due_date(std::vector<Case>& cases) {
  std::stable_sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) {
    const std::string da = a.deadline ? a.deadline->due : "9999", db = b.deadline ? b.deadline->due : "9999";
    return da != db ? da < db : a.number < b.number;
  });
}

constexpr std::size_t kChartBars = 20;  // units drawn at most; the others are counted under the chart

// For the head of a unit (a role that reads the units below): each unit directly below, with
// the open cases and recorded breaches of it and the units below it (the store's kept counts),
// as bars linking to its list; those with the most breaches, then the most open cases, first.
std::string units_below_chart(Workspace& workspace, const WebRequest& request, Data& data) {
  auto user = workspace.directory().user(request.viewer.user);
  if (!user) return "";
  struct Bar {
    std::string id, name;
    std::int64_t open = 0, overdue = 0;
  };
  std::vector<Bar> bars;
  std::set<std::string> drawn;  // the units with a bar
  std::optional<std::vector<OrgUnit>> units;
  std::map<std::string, std::vector<const OrgUnit*>> children;
  for (const UserRole& held : user->roles) {
    if (!reads_below_in_any(workspace.catalog(), held.role)) continue;
    if (!units) {
      auto all = workspace.directory().units();
      if (!all) return "";
      units = std::move(all.value());
      for (const OrgUnit& unit : *units) children[unit.parent].push_back(&unit);
    }
    for (const OrgUnit* unit : children[held.unit]) {
      if (drawn.insert(unit->id).second) bars.push_back(Bar{unit->id, unit->name});
    }
  }
  if (bars.empty()) return "";
  // Every unit in the subtrees of the bars, each with its bar.
  std::vector<std::string> counted;
  std::map<std::string, std::size_t> bar_of;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    std::vector<std::string> pending{bars[i].id};
    while (!pending.empty()) {
      const std::string unit = std::move(pending.back());
      pending.pop_back();
      if (!bar_of.try_emplace(unit, i).second) continue;
      counted.push_back(unit);
      for (const OrgUnit* child : children[unit]) pending.push_back(child->id);
    }
  }
  auto counts = workspace.cases().open_case_counts(counted);
  if (!counts) return "";
  for (const auto& [unit, count] : counts.value()) {
    Bar& bar = bars[bar_of.at(unit)];
    bar.open += count.open;
    bar.overdue += count.breached;
  }
  std::stable_sort(bars.begin(), bars.end(), [](const Bar& a, const Bar& b) {
    return a.overdue != b.overdue ? a.overdue > b.overdue : a.open > b.open;
  });
  if (bars.size() > kChartBars) {
    data.set("more_units", std::to_string(bars.size() - kChartBars));
    bars.resize(kChartBars);
  }
  std::int64_t most = 1;
  for (const Bar& bar : bars) most = std::max(most, bar.open);
  constexpr std::int64_t kLabel = 260, kBar = 360, kRowHeight = 26;
  const std::int64_t height = static_cast<std::int64_t>(bars.size()) * kRowHeight + 8;
  std::string svg = "<svg class=\"chart\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    std::to_string(kLabel + kBar + 120) + " " + std::to_string(height) + "\" aria-label=\"" +
                    escape_html(text(request.language, "units_below")) + "\">";
  std::int64_t y = 4;
  for (const Bar& bar : bars) {
    const std::int64_t open_width = bar.open * kBar / most, overdue_width = bar.overdue * kBar / most;
    const std::string counts_text =
        std::to_string(bar.open) + " / " + std::to_string(bar.overdue) + " " + text(request.language, "overdue");
    svg += "<a href=\"/cases?unit=" + url_encode(bar.id) + "\"><title>" + escape_html(bar.name + ": " + counts_text) +
           "</title><text x=\"0\" y=\"" + std::to_string(y + 16) + "\" font-size=\"13\">" + escape_html(bar.name) +
           "</text><rect x=\"" + std::to_string(kLabel) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" +
           std::to_string(std::max<std::int64_t>(open_width, 1)) + "\" height=\"18\" fill=\"#98a2ae\"/><rect x=\"" +
           std::to_string(kLabel) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" + std::to_string(overdue_width) +
           "\" height=\"18\" fill=\"#b3261e\"/><text x=\"" + std::to_string(kLabel + open_width + 6) + "\" y=\"" +
           std::to_string(y + 16) + "\" font-size=\"12\">" + escape_html(counts_text) + "</text></a>";
    y += kRowHeight;
  }
  return svg + "</svg>";
}

// The cases that are the viewer's turn (CaseStore::inbox), a page at a time, with the counts of
// the whole inbox and, for the head of a unit, the chart of the units below.
ApiResponse inbox(Workspace& workspace, WebRequest& request) {
  auto page = workspace.cases().inbox(request.viewer.user, request.query_value("after"), kPage);
  if (!page && page.error().code == ErrorCode::invalid_argument)
    return message_page(request, http::status::bad_request, text(request.language, "error"), page.error().message);
  if (!page)
    return message_page(request, http::status::internal_server_error, text(request.language, "error"),
                        page.error().message);
  Data data;
  List rows{Data::type::list};
  for (const Case& current : page->cases) {
    Data row = case_row(workspace, current, request.language);
    if (current.assignee == request.viewer.user) row.set("mine", true);
    rows.push_back(row);
  }
  data.set("cases", rows);
  if (page->cases.empty()) data.set("empty", true);
  List counts{Data::type::list};
  for (const auto& [workflow_id, count] : page->per_workflow) {
    const WorkflowDefinition* definition = workspace.catalog().latest(workflow_id);
    Data item;
    item.set("workflow", definition ? label(request.language, definition->title) : workflow_id);
    item.set("count", std::to_string(count));
    counts.push_back(item);
  }
  data.set("counts", counts);
  data.set("total", std::to_string(page->total));
  data.set("overdue_count", std::to_string(page->breached));
  if (!page->next.empty()) data.set("next_href", "/inbox?after=" + url_encode(page->next));
  if (const std::string chart = units_below_chart(workspace, request, data); !chart.empty()) data.set("chart", chart);
  return html(
      render_page("inbox", data, request.language, request.viewer, text(request.language, "inbox"), request.path));
}

// The filters of the case list, from the query; an error names the bad one.
// Whether the list is asked for as a file (format=csv or xlsx): every case the filters select.
bool is_download(const WebRequest& request) {
  const std::string format = request.query_value("format");
  return format == "csv" || format == "xlsx";
}

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
  listing.limit = is_download(request) ? server::kMaxDueCases : kPage;
  return listing;
}

std::string csv_cell(const std::string& value) {
  if (value.find_first_of(",\"\n\r") == std::string::npos) return value;
  std::string quoted = "\"";
  for (const char c : value) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// The columns of the list as the page shows them, headed in the page's language.
sheets::SheetTable list_table(Workspace& workspace, const Language& language, const std::vector<Case>& cases) {
  constexpr const char* kColumns[] = {"number", "title", "workflow", "unit", "stage", "assignee", "due"};
  sheets::SheetTable table{text(language, "cases"), {}, {}};
  for (const char* key : kColumns) table.columns.push_back({text(language, std::string("col_") + key)});
  for (const Case& current : cases) {
    const Data row = case_row(workspace, current, language);
    std::vector<std::string>& cells = table.rows.emplace_back();
    for (const char* key : kColumns) {
      const auto* value = row.get(std::string_view(key) == "assignee" ? "assignee_name" : key);
      cells.push_back(value && value->is_string() ? value->string_value() : "");
    }
  }
  return table;
}

ApiResponse attachment(std::string body, const std::string& content_type, const std::string& file_name) {
  ApiResponse response;
  response.body = std::move(body);
  response.content_type = content_type;
  response.headers.emplace_back("Content-Disposition", server::attachment_disposition(file_name));
  response.headers.emplace_back("Cache-Control", "private, no-store");
  return response;
}

// The selected cases as a CSV file (with a BOM, so spreadsheet programs read Vietnamese right)
// or, with format=xlsx, as a workbook (sheets/xlsx_writer.h).
ApiResponse download(Workspace& workspace, const WebRequest& request, const std::vector<Case>& cases) {
  const sheets::SheetTable table = list_table(workspace, request.language, cases);
  if (request.query_value("format") == "xlsx") {
    auto workbook = sheets::xlsx_bytes({table});
    if (!workbook)
      return message_page(request, http::status::internal_server_error, text(request.language, "error"),
                          workbook.error().message);
    return attachment(std::move(*workbook), guess_media_type(".xlsx"), "ho-so.xlsx");
  }
  std::string csv = "\xEF\xBB\xBF";
  auto add_line = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (const std::string& cell : cells) line += (line.empty() ? "" : ",") + csv_cell(cell);
    csv += line + "\r\n";
  };
  std::vector<std::string> headings;
  for (const sheets::SheetColumn& column : table.columns) headings.push_back(column.heading);
  add_line(headings);
  for (const auto& cells : table.rows) add_line(cells);
  return attachment(std::move(csv), "text/csv; charset=utf-8", "ho-so.csv");
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
  std::string next_cursor;
  if (!listing) {
    data.set("error", listing.error().message);
  } else {
    auto listed = server::list_readable(workspace, {request.viewer.user, request.viewer.admin}, *listing);
    if (!listed) {
      data.set("error", listed.error().message);
    } else {
      cases = std::move(listed->cases);
      more = listed->more;
      next_cursor = listed->next_cursor;
    }
  }
  if (is_download(request) && listing) {
    // The download holds every case the filters select, page after page, not only the first.
    while (more) {
      listing->filter.after_number = next_cursor;
      auto next = server::list_readable(workspace, {request.viewer.user, request.viewer.admin}, *listing);
      if (!next)
        return message_page(request, http::status::service_unavailable, text(request.language, "error"),
                            next.error().message);
      more = next->more && !next->cases.empty();
      next_cursor = next->next_cursor;
      cases.insert(cases.end(), std::make_move_iterator(next->cases.begin()),
                   std::make_move_iterator(next->cases.end()));
    }
  }
  if (is_download(request)) return download(workspace, request, cases);
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
  data.set("xlsx_href", "/cases?format=xlsx" + filters);
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
  routes.push_back({.method = verb::get, .pattern = "/inbox", .page = inbox});
  routes.push_back({.method = verb::get, .pattern = "/cases", .page = case_list, .long_read = true});
  routes.push_back({.method = verb::get, .pattern = "/search", .page = search_page});
}

}  // namespace docket::web
