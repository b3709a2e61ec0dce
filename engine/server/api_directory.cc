// What every signed-in caller may read about the organisation: the workflows (with their
// transitions' requirements and their permissions), the units, and the user directory (names,
// units and roles, to show names and offer assignees; no e-mail address, password or token).
#include <algorithm>

#include "server/api.h"
#include "server/api_json.h"
#include "server/api_spec.h"

namespace docket::server {
namespace {

ApiResponse list_workflows(Workspace& workspace, ApiRequest&, RouteContext&) {
  ApiResponse response;
  response.body = json_text([&](Json& json) {
    json.StartObject();
    json.Key("items");
    json.StartArray();
    for (const auto* def : workspace.catalog().latest_of_each()) write_workflow(json, *def, false);
    json.EndArray();
    json.EndObject();
  });
  return response;
}

ApiResponse get_workflow(Workspace& workspace, ApiRequest& request, RouteContext&) {
  const WorkflowDefinition* def = workspace.catalog().latest(request.params.at("id"));
  if (def == nullptr)
    return error_response(http::status::not_found, "not_found", "no workflow " + in_quotes(request.params.at("id")));
  ApiResponse response;
  response.body = json_text([&](Json& json) { write_workflow(json, *def, true); });
  return response;
}

ApiResponse list_units(Workspace& workspace, ApiRequest&, RouteContext&) {
  DOCKET_TRY(units, workspace.directory().units(), error_response);
  ApiResponse response;
  response.body = json_text([&](Json& json) {
    json.StartObject();
    json.Key("items");
    json.StartArray();
    for (const auto& unit : *units) {
      json.StartObject();
      put(json, "id", unit.id);
      put(json, "name", unit.name);
      put(json, "level", unit.level);
      put(json, "parent", unit.parent);
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
  });
  return response;
}

// Whether `user` holds a role matching the filters (an empty filter matches any).
bool holds(const User& user, const std::string& unit, const std::string& role) {
  return std::any_of(user.roles.begin(), user.roles.end(), [&](const UserRole& held) {
    return (unit.empty() || held.unit == unit) && (role.empty() || held.role == role);
  });
}

// GET /api/v1/users[?unit=U][&role=R]: with both, the holders of R at U (the candidates to
// offer as assignees of a case at U). Each user keeps all their roles.
ApiResponse list_users(Workspace& workspace, ApiRequest& request, RouteContext&) {
  for (const auto& [key, value] : request.query) {
    if (key != "unit" && key != "role")
      return error_response(http::status::bad_request, "invalid_argument",
                            "unknown query parameter " + in_quotes(key) + " (known: unit, role)");
  }
  const auto query = [&](const char* key) { return request.query.count(key) ? request.query.at(key) : std::string(); };
  const std::string unit = query("unit");
  const std::string role = query("role");
  DOCKET_TRY(users, workspace.directory().users(), error_response);
  ApiResponse response;
  response.body = json_text([&](Json& json) {
    json.StartObject();
    json.Key("items");
    json.StartArray();
    for (const auto& user : *users) {
      if ((!unit.empty() || !role.empty()) && !holds(user, unit, role)) continue;
      write_user(json, user);
    }
    json.EndArray();
    json.EndObject();
  });
  return response;
}

}  // namespace

void add_directory_routes(std::vector<Route>& routes) {
  using V = http::verb;
  routes.push_back({.method = V::get, .pattern = "/api/v1/workflows", .handle = list_workflows});
  routes.push_back({.method = V::get, .pattern = "/api/v1/workflows/{id}", .handle = get_workflow});
  routes.push_back({.method = V::get, .pattern = "/api/v1/units", .handle = list_units});
  routes.push_back({.method = V::get, .pattern = "/api/v1/users", .handle = list_users});
  add_spec_routes(routes);
}

}  // namespace docket::server
