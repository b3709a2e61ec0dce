// Administration, for administrators (`docket user admin`): units (add, rename), users (add,
// give and take roles, set a password, end every token and session), the working-day
// calendar of a year, and the notifications given up on (retry). Each change goes through the
// Directory, SignIn or Outbox method the CLI and the API use, in the writer's group commit, and
// is recorded in the administrative log with the administrator as its actor.
#include <charconv>
#include <set>

#include "store/outbox.h"
#include "store/sign_in.h"
#include "web/case_data.h"
#include "web/web_app.h"

namespace docket::web {
namespace {

namespace http = server::http;

ApiResponse forbidden(const WebRequest& request) {
  return message_page(request, http::status::forbidden, text(request.language, "admins_only"),
                      text(request.language, "admins_only_text"));
}

ActionOutcome refused_unless_admin(const WebRequest& request) {
  return {"", make_error(ErrorCode::role_not_allowed, text(request.language, "admins_only_text")), "/admin"};
}

// Back to the administration page, or the page again with why it was refused.
ActionOutcome outcome(const Status& done, const std::string& what) {
  if (!done) return {"", done.error(), "/admin"};
  return {"/admin?done=" + what, std::nullopt, "/admin"};
}

Data users_data(Workspace& workspace) {
  List users{Data::type::list};
  if (auto all = workspace.directory().users()) {
    for (const User& user : *all) {
      Data item;
      item.set("id", user.id);
      item.set("name", user.name);
      List roles{Data::type::list};
      for (const UserRole& held : user.roles) {
        Data role;
        role.set("role", held.role);
        role.set("unit", held.unit);
        role.set("user", user.id);
        roles.push_back(role);
      }
      item.set("roles", roles);
      users.push_back(item);
    }
  }
  return users;
}

ApiResponse admin_page(Workspace& workspace, WebRequest& request) {
  if (!request.viewer.admin) return forbidden(request);
  const Language& language = request.language;
  Data data;
  data.set("users", users_data(workspace));
  List units{Data::type::list};
  if (auto all = workspace.directory().units()) {
    for (const OrgUnit& unit : *all) {
      Data item;
      item.set("id", unit.id);
      item.set("name", unit.name);
      item.set("level", unit.level);
      item.set("parent", unit.parent);
      units.push_back(item);
    }
  }
  data.set("units", units);
  List roles{Data::type::list};
  std::set<std::string> seen;
  for (const WorkflowDefinition* definition : workspace.catalog().latest_of_each()) {
    for (const Choice& role : definition->roles) {
      if (!seen.insert(role.id).second) continue;
      Data item;
      item.set("id", role.id);
      item.set("label", label(language, role.label));
      roles.push_back(item);
    }
  }
  data.set("all_roles", roles);
  OutboxFilter failed;
  failed.failed_only = true;
  failed.limit = 200;
  List dead{Data::type::list};
  if (auto entries = Outbox(workspace.database()).list(failed)) {
    for (const OutboxEntry& entry : *entries) {
      if (entry.status != OutboxStatus::dead) continue;
      Data item;
      item.set("id", std::to_string(entry.id));
      item.set("case_number", entry.case_number);
      item.set("channel", entry.channel);
      item.set("recipient", entry.recipient);
      item.set("error", entry.last_error);
      item.set("attempts", std::to_string(entry.attempts));
      dead.push_back(item);
    }
  }
  data.set("dead", dead);
  int year = static_cast<int>(vietnam_date(workspace.clock().now()).year());
  if (const std::string asked = request.query_value("year"); !asked.empty())
    std::from_chars(asked.data(), asked.data() + asked.size(), year);
  data.set("year", std::to_string(year));
  List days{Data::type::list};
  for (const auto& [day, status] : workspace.calendar().named_days(year)) {
    Data item;
    item.set("date", show_date(day));
    item.set("reason", status.reason);
    if (status.is_working()) item.set("worked", true);
    days.push_back(item);
  }
  data.set("days", days);
  if (!workspace.calendar().covers(year)) data.set("uncovered", true);
  if (request.refused) data.set("refused", request.refused->message);
  if (!request.query_value("done").empty()) data.set("done", text(language, "done_" + request.query_value("done")));
  return html(render_page("admin", data, language, request.viewer, text(language, "admin"), request.path));
}

std::vector<std::string> one_role(const std::string& role) {
  return role.empty() ? std::vector<std::string>{} : std::vector<std::string>{role};
}

ActionOutcome add_user(Workspace& workspace, WebRequest& request) {
  if (!request.viewer.admin) return refused_unless_admin(request);
  const Form& form = request.form;
  return outcome(workspace.directory().add_user(form.value("id"), form.value("name"), form.value("unit"),
                                                one_role(form.value("role")), request.viewer.user),
                 "user_added");
}

ActionOutcome add_role(Workspace& workspace, WebRequest& request) {
  if (!request.viewer.admin) return refused_unless_admin(request);
  auto user = workspace.directory().user(request.params.at("id"));
  if (!user) return outcome(user.error(), "");
  return outcome(workspace.directory().add_user(user->id, user->name, request.form.value("unit"),
                                                one_role(request.form.value("role")), request.viewer.user),
                 "role_added");
}

ActionOutcome remove_role(Workspace& workspace, WebRequest& request) {
  if (!request.viewer.admin) return refused_unless_admin(request);
  return outcome(workspace.directory().remove_roles(request.params.at("id"), request.form.value("unit"),
                                                    one_role(request.form.value("role")), request.viewer.user),
                 "role_removed");
}

ActionOutcome set_password(Workspace& workspace, WebRequest& request) {
  if (!request.viewer.admin) return refused_unless_admin(request);
  SignIn sign_in(workspace.database(), workspace.clock());
  return outcome(sign_in.set_password(request.params.at("id"), request.form.value("password"), request.viewer.user),
                 "password_set");
}

ActionOutcome revoke(Workspace& workspace, WebRequest& request) {
  if (!request.viewer.admin) return refused_unless_admin(request);
  auto revoked = workspace.directory().revoke_tokens(request.params.at("id"), request.viewer.user);
  return outcome(revoked ? Status(Ok{}) : Status(revoked.error()), "revoked");
}

ActionOutcome add_unit(Workspace& workspace, WebRequest& request) {
  if (!request.viewer.admin) return refused_unless_admin(request);
  const Form& form = request.form;
  return outcome(
      workspace.directory().add_unit({form.value("id"), form.value("name"), form.value("level"), form.value("parent")},
                                     request.viewer.user),
      "unit_added");
}

ActionOutcome rename_unit(Workspace& workspace, WebRequest& request) {
  if (!request.viewer.admin) return refused_unless_admin(request);
  const Date today = vietnam_date(workspace.clock().now());
  return outcome(workspace.directory().rename_unit(request.params.at("id"), request.form.value("name"), today,
                                                   request.viewer.user),
                 "unit_renamed");
}

ActionOutcome retry(Workspace& workspace, WebRequest& request) {
  if (!request.viewer.admin) return refused_unless_admin(request);
  std::int64_t id = 0;
  const std::string& given = request.params.at("id");
  std::from_chars(given.data(), given.data() + given.size(), id);
  auto queued = Outbox(workspace.database()).retry(id, workspace.clock().now());
  return outcome(queued ? Status(Ok{}) : Status(queued.error()), "retried");
}

}  // namespace

void add_admin_pages(std::vector<WebRoute>& routes) {
  routes.push_back({.method = verb::get, .pattern = "/admin", .page = admin_page});
  routes.push_back({.method = verb::post, .pattern = "/admin/users", .action = add_user});
  routes.push_back({.method = verb::post, .pattern = "/admin/users/{id}/roles", .action = add_role});
  routes.push_back({.method = verb::post, .pattern = "/admin/users/{id}/unrole", .action = remove_role});
  routes.push_back({.method = verb::post, .pattern = "/admin/users/{id}/password", .action = set_password});
  routes.push_back({.method = verb::post, .pattern = "/admin/users/{id}/revoke", .action = revoke});
  routes.push_back({.method = verb::post, .pattern = "/admin/units", .action = add_unit});
  routes.push_back({.method = verb::post, .pattern = "/admin/units/{id}/rename", .action = rename_unit});
  routes.push_back({.method = verb::post, .pattern = "/admin/outbox/{id}/retry", .action = retry});
}

}  // namespace docket::web
