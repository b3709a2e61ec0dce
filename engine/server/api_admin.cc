// /api/v1 administration (units, users, passwords), audit and /metrics.
#include <sstream>

#include "server/api.h"
#include "server/api_json.h"
#include "server/build_info.h"
#include "server/process_metrics.h"
#include "store/admin_log.h"
#include "store/audit.h"
#include "store/audit_state.h"
#include "store/outbox.h"
#include "store/sign_in.h"

namespace docket::server {
namespace {

ApiResponse add_unit(Workspace& workspace, ApiRequest& request, RouteContext&) {
  auto body = parse_object(request.body);
  if (!body) return error_response(body.error());
  if (const Status known = only_members(*body, {"id", "name", "level", "parent"}); !known)
    return error_response(known.error());
  DOCKET_TRY(id, string_member(*body, "id", true), error_response);
  DOCKET_TRY(name, string_member(*body, "name", true), error_response);
  DOCKET_TRY(level, string_member(*body, "level", true), error_response);
  DOCKET_TRY(parent, string_member(*body, "parent", false), error_response);
  if (const Status added = workspace.directory().add_unit({*id, *name, *level, *parent}, request.user); !added)
    return error_response(added.error());
  return ApiResponse{http::status::created,
                     json_text([&](Json& json) {
                       json.StartObject();
                       put(json, "id", *id);
                       json.EndObject();
                     }),
                     "application/json",
                     {{"Location", "/api/v1/units/" + *id}},
                     {}};
}

// The member "roles" of a request body: a list of role ids.
Result<std::vector<std::string>> roles_member(const rapidjson::Value& body) {
  std::vector<std::string> roles;
  const auto list = body.FindMember("roles");
  if (list == body.MemberEnd() || !list->value.IsArray())
    return make_error(ErrorCode::invalid_argument, "member \"roles\" must be a list of role ids");
  for (const auto& role : list->value.GetArray()) {
    if (!role.IsString()) return make_error(ErrorCode::invalid_argument, "member \"roles\" must be a list of strings");
    roles.emplace_back(role.GetString());
  }
  return roles;
}

ApiResponse add_user(Workspace& workspace, ApiRequest& request, RouteContext&) {
  auto body = parse_object(request.body);
  if (!body) return error_response(body.error());
  if (const Status known = only_members(*body, {"id", "name", "unit", "roles"}); !known)
    return error_response(known.error());
  DOCKET_TRY(id, string_member(*body, "id", true), error_response);
  DOCKET_TRY(name, string_member(*body, "name", true), error_response);
  DOCKET_TRY(unit, string_member(*body, "unit", true), error_response);
  DOCKET_TRY(roles, roles_member(*body), error_response);
  if (const Status added = workspace.directory().add_user(*id, *name, *unit, *roles, request.user); !added)
    return error_response(added.error());
  return ApiResponse{http::status::created,
                     "{\"id\":\"" + *id + "\"}",
                     "application/json",
                     {{"Location", "/api/v1/users/" + *id}},
                     {}};
}

ApiResponse remove_roles(Workspace& workspace, ApiRequest& request, RouteContext&) {
  auto body = parse_object(request.body);
  if (!body) return error_response(body.error());
  if (const Status known = only_members(*body, {"unit", "roles"}); !known) return error_response(known.error());
  DOCKET_TRY(unit, string_member(*body, "unit", true), error_response);
  DOCKET_TRY(roles, roles_member(*body), error_response);
  const std::string& id = request.params.at("id");
  if (const Status removed = workspace.directory().remove_roles(id, *unit, *roles, request.user); !removed)
    return error_response(removed.error());
  DOCKET_TRY(user, workspace.directory().user(id), error_response);
  ApiResponse response;
  response.body = json_text([&](Json& json) {
    json.StartObject();
    put(json, "id", user->id);
    write_roles(json, user->roles);
    json.EndObject();
  });
  return response;
}

// Hashing the password takes tens of milliseconds on the writer: an administrator's rare act.
ApiResponse set_password(Workspace& workspace, ApiRequest& request, RouteContext&) {
  auto body = parse_object(request.body);
  if (!body) return error_response(body.error());
  if (const Status known = only_members(*body, {"password"}); !known) return error_response(known.error());
  DOCKET_TRY(password, string_member(*body, "password", true), error_response);
  const std::string& id = request.params.at("id");
  SignIn sign_in(workspace.database(), workspace.clock());
  if (const Status set = sign_in.set_password(id, *password, request.user); !set) return error_response(set.error());
  ApiResponse response;
  response.body = json_text([&](Json& json) {
    json.StartObject();
    put(json, "id", id);
    json.EndObject();
  });
  return response;
}

// Clears the server's one-verification flag when the verification ends, however it ends.
struct VerifyingNow {
  std::atomic<bool>& flag;
  ~VerifyingNow() { flag.store(false); }
};

ApiResponse audit_verify(Workspace& workspace, ApiRequest&, RouteContext& context) {
  // A verification reads and hashes the whole database on two threads: one at a time, so that
  // callers repeating it cannot take the cores the case reads need.
  if (context.audit_verifying.exchange(true)) {
    ApiResponse busy = error_response(http::status::conflict, "verify_running",
                                      "an audit verification is already running on this server; ask again when it "
                                      "has answered");
    busy.headers.emplace_back("Retry-After", "5");
    return busy;
  }
  const VerifyingNow verifying{context.audit_verifying};
  DOCKET_TRY(integrity, check_file_integrity(workspace.database()), error_response);
  if (!integrity->empty())
    return error_response(
        make_error(ErrorCode::storage_corrupt, "the database file is damaged; SQLite's integrity_check says: " +
                                                   integrity->front() + ". Restore the latest backup"));
  DOCKET_TRY(verified, verify_audit(workspace.database()), error_response);
  DOCKET_TRY(administrative, verify_admin_log(workspace.database()), error_response);
  const AuditReport& report = *verified;
  const AdminLogReport& admin = *administrative;
  StateReport state;
  if (report.ok && admin.ok) {
    DOCKET_TRY(compared, verify_case_state(workspace.database()), error_response);
    state = std::move(*compared);
  }
  ApiResponse response;
  response.body = json_text([&](Json& json) {
    json.StartObject();
    json.Key("ok"), json.Bool(report.ok && admin.ok && state.ok);
    json.Key("events_checked"), json.Int64(report.events_checked);
    json.Key("admin_events_checked"), json.Int64(admin.events_checked);
    json.Key("cases_checked"), json.Int64(state.cases_checked);
    json.Key("documents_checked"), json.Int64(state.documents_checked);
    if (!state.ok) {
      put(json, "case", state.case_number);
      put(json, "column", state.column);
      put(json, "problem", state.problem);
    } else if (!report.ok) {
      put(json, "case", report.case_number);
      json.Key("case_seq"), json.Int64(report.case_seq);
      put(json, "problem", report.problem);
    } else if (!admin.ok) {
      json.Key("admin_seq"), json.Int64(admin.seq);
      put(json, "problem", admin.problem);
    }
    json.EndObject();
  });
  return response;
}

ApiResponse audit_export(Workspace& workspace, ApiRequest& request, RouteContext&) {
  std::ostringstream out;
  const auto which = request.query.find("case");
  const auto log = request.query.find("log");
  if (log != request.query.end() && log->second != "cases" && log->second != "admin")
    return error_response(http::status::bad_request, "invalid_argument",
                          "log=" + in_quotes(log->second) + ": expected \"cases\" or \"admin\"");
  const bool admin = log != request.query.end() && log->second == "admin";
  if (admin && which != request.query.end())
    return error_response(http::status::bad_request, "invalid_argument", "log=admin has no case= (it holds no case)");
  const Status done =
      admin ? export_admin_log(workspace.database(), out)
            : export_audit(workspace.database(),
                           which == request.query.end() ? std::nullopt : std::optional(which->second), out);
  if (!done) return error_response(done.error());
  return ApiResponse{http::status::ok, out.str(), "application/x-ndjson", {}, {}};
}

ApiResponse metrics(Workspace& workspace, ApiRequest&, RouteContext& context) {
  const auto backlog = Outbox(workspace.database()).backlog();
  if (!backlog) return error_response(backlog.error());
  const auto dead_letters = Outbox(workspace.database()).dead_letters();
  if (!dead_letters) return error_response(dead_letters.error());
  const auto timers_due = workspace.cases().moments_due();
  if (!timers_due) return error_response(timers_due.error());
  return ApiResponse{http::status::ok,
                     context.metrics.render({{"docket_outbox_backlog", backlog.value()},
                                             {"docket_outbox_dead_letters", dead_letters.value()},
                                             {"docket_timers_due", timers_due.value()}}) +
                         process_metrics(build_info()),
                     "text/plain; version=0.0.4",
                     {},
                     {}};
}

}  // namespace

void add_admin_routes(std::vector<Route>& routes) {
  using V = http::verb;
  add_directory_routes(routes);  // api_directory.cc: what every signed-in caller reads
  routes.push_back(
      {.method = V::post, .pattern = "/api/v1/units", .writes = true, .admin_only = true, .handle = add_unit});
  routes.push_back(
      {.method = V::post, .pattern = "/api/v1/users", .writes = true, .admin_only = true, .handle = add_user});
  routes.push_back({.method = V::post,
                    .pattern = "/api/v1/users/{id}/unrole",
                    .writes = true,
                    .admin_only = true,
                    .handle = remove_roles});
  routes.push_back({.method = V::put,
                    .pattern = "/api/v1/users/{id}/password",
                    .writes = true,
                    .admin_only = true,
                    .handle = set_password});
  // Both read the whole audit log: on the long readers.
  routes.push_back({.method = V::get,
                    .pattern = "/api/v1/audit/verify",
                    .auditors_only = true,
                    .handle = audit_verify,
                    .long_read = always_long});
  routes.push_back({.method = V::get,
                    .pattern = "/api/v1/audit/export",
                    .admin_only = true,
                    .handle = audit_export,
                    .long_read = always_long});
  routes.push_back({.method = V::get, .pattern = "/metrics", .handle = metrics});
}

}  // namespace docket::server
