// /api/v1 workflows, organisation units, users, audit and /metrics.
#include <sstream>

#include "server/api.h"
#include "server/build_info.h"
#include "server/process_metrics.h"
#include "store/admin_log.h"
#include "store/audit.h"
#include "store/audit_state.h"
#include "store/outbox.h"
#include "store/sign_in.h"

namespace docket::server {
namespace {

void write_deadline(Json& json, const DeadlineSpec& d) {
  json.StartObject();
  put(json, "anchor", d.anchor);
  json.Key("offset"), json.Int(d.offset);
  put(json, "unit", d.unit == DeadlineUnit::days ? "days" : "working_days");
  put(json, "direction", d.direction == DeadlineDirection::after ? "after" : "before");
  json.Key("roll_to_working_day"), json.Bool(d.roll_to_working_day);
  json.Key("reminders");
  json.StartArray();
  for (int r : d.reminders) json.Int(r);
  json.EndArray();
  if (d.escalate_after) {
    json.Key("escalate_after"), json.Int(*d.escalate_after);
    put(json, "escalate_to", d.escalate_to);
  }
  json.EndObject();
}

void write_strings(Json& json, const char* key, const std::vector<std::string>& items) {
  json.Key(key);
  json.StartArray();
  for (const auto& item : items) json.String(item.c_str(), static_cast<rapidjson::SizeType>(item.size()));
  json.EndArray();
}

void write_workflow(Json& json, const WorkflowDefinition& def, bool graph) {
  json.StartObject();
  put(json, "id", def.id);
  json.Key("version"), json.Int(def.version);
  put_label(json, "title", def.title);
  put(json, "case_prefix", def.case_prefix);
  if (graph) {
    json.Key("fields");
    json.StartArray();
    for (const auto& f : def.fields) {
      json.StartObject();
      put(json, "id", f.id);
      put_label(json, "label", f.label);
      put(json, "type", to_string(f.type));
      json.Key("required_at_open"), json.Bool(f.required_at_open);
      if (!f.values.empty()) {
        json.Key("values");
        json.StartArray();
        for (const auto& v : f.values) json.String(v.id.c_str());
        json.EndArray();
      }
      json.EndObject();
    }
    json.EndArray();
    json.Key("stages");
    json.StartArray();
    for (const auto& s : def.stages) {
      json.StartObject();
      put(json, "id", s.id);
      put_label(json, "label", s.label);
      json.Key("initial"), json.Bool(s.initial);
      json.Key("terminal"), json.Bool(s.terminal);
      json.Key("deadline");
      if (s.deadline)
        write_deadline(json, *s.deadline);
      else
        json.Null();
      json.EndObject();
    }
    json.EndArray();
    json.Key("transitions");
    json.StartArray();
    for (const auto& t : def.transitions) {
      json.StartObject();
      put(json, "id", t.id);
      put_label(json, "label", t.label);
      std::vector<std::string> from;
      for (const auto& s : def.stages) {
        if (t.leaves_from(s.id, s.terminal)) from.push_back(s.id);
      }
      write_strings(json, "from", from);
      put(json, "to", t.to);
      write_strings(json, "roles", t.roles);
      write_strings(json, "sets", t.sets);
      json.EndObject();
    }
    json.EndArray();
  }
  json.EndObject();
}

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

// The member "roles" of a user's JSON: [{"unit": ..., "role": ...}, ...].
void write_roles(Json& json, const std::vector<UserRole>& roles) {
  json.Key("roles");
  json.StartArray();
  for (const auto& held : roles) {
    json.StartObject();
    put(json, "unit", held.unit);
    put(json, "role", held.role);
    json.EndObject();
  }
  json.EndArray();
}

ApiResponse list_users(Workspace& workspace, ApiRequest&, RouteContext&) {
  DOCKET_TRY(users, workspace.directory().users(), error_response);
  ApiResponse response;
  response.body = json_text([&](Json& json) {
    json.StartObject();
    json.Key("items");
    json.StartArray();
    for (const auto& user : *users) {
      json.StartObject();
      put(json, "id", user.id);
      put(json, "name", user.name);
      write_roles(json, user.roles);
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
  });
  return response;
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
  routes.push_back({.method = V::get, .pattern = "/api/v1/workflows", .handle = list_workflows});
  routes.push_back({.method = V::get, .pattern = "/api/v1/workflows/{id}", .handle = get_workflow});
  routes.push_back({.method = V::get, .pattern = "/api/v1/units", .handle = list_units});
  routes.push_back(
      {.method = V::post, .pattern = "/api/v1/units", .writes = true, .admin_only = true, .handle = add_unit});
  routes.push_back({.method = V::get, .pattern = "/api/v1/users", .admin_only = true, .handle = list_users});
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
