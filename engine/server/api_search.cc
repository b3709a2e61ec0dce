// GET /api/v1/search: full-text search over the cases the caller may read, best match first,
// each with the passage that matched (matched words between « and »). The cursor is the rank
// the next page starts at.
#include <algorithm>

#include "server/api.h"
#include "server/case_search.h"

namespace docket::server {
namespace {

constexpr int kDefaultPage = 20;
constexpr int kMaxPage = 100;
constexpr int kMaxCursor = 100000;

ApiResponse bad_query(const std::string& message) {
  return error_response(http::status::bad_request, "invalid_argument", message);
}

void write_hits(Json& json, Workspace& workspace, const SearchPage& page) {
  json.StartObject();
  json.Key("items");
  json.StartArray();
  for (const SearchHit& hit : page.hits) write_search_hit(json, workspace, hit);
  json.EndArray();
  json.Key("next_cursor");
  if (page.next_offset)
    json.String(std::to_string(*page.next_offset).c_str());
  else
    json.Null();
  json.EndObject();
}

}  // namespace

void write_search_hit(Json& json, Workspace& workspace, const SearchHit& hit) {
  json.StartObject();
  json.Key("case");
  write_case(json, hit.state, workspace.catalog().find(hit.state.workflow_id, hit.state.workflow_version), false);
  put(json, "snippet", hit.snippet);
  json.Key("score");
  json.Double(hit.score);
  json.EndObject();
}

ApiResponse search_cases(Workspace& workspace, ApiRequest& request, RouteContext&) {
  static const std::vector<std::string> known = {"q", "workflow", "unit", "open", "cursor", "limit"};
  for (const auto& [key, value] : request.query) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      return bad_query("unknown query parameter " + in_quotes(key) +
                       " (known: q, workflow, unit, open, cursor, limit)");
    }
  }
  const auto query = [&](const char* key) { return request.query.count(key) ? request.query.at(key) : std::string(); };
  if (!request.query.count("q"))
    return bad_query("give the words to search for as q, e.g. /api/v1/search?q=giam+ngheo");
  SearchQuery search;
  search.text = query("q");
  search.workflow = query("workflow");
  search.unit = query("unit");
  auto open_only = query_flag(request, "open");
  if (!open_only) return error_response(open_only.error());
  search.open_only = *open_only;
  auto limit = query_integer(query("limit").empty() ? std::to_string(kDefaultPage) : query("limit"), 1, kMaxPage,
                             "limit must be an integer from 1 to " + std::to_string(kMaxPage));
  if (!limit) return error_response(limit.error());
  auto cursor = query_integer(query("cursor").empty() ? "0" : query("cursor"), 0, kMaxCursor,
                              "cursor must be the next_cursor of an earlier page, not " + in_quotes(query("cursor")));
  if (!cursor) return error_response(cursor.error());
  search.offset = *cursor;
  auto page = search_readable(workspace, {request.user, request.admin}, search, *limit);
  if (!page) return error_response(page.error());
  ApiResponse response;
  response.body = json_text([&](Json& json) { write_hits(json, workspace, *page); });
  return response;
}

}  // namespace docket::server
