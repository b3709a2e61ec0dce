// docket user add|unrole|list|admin: the people who act on cases, the roles they hold in each
// unit, and who administers (units and users over the API; reads every case).
#include <CLI/CLI.hpp>

#include <map>
#include <memory>

#include "app.h"
#include "command_support.h"

namespace docket::cli {
namespace {

struct NewUser {
  std::string id;
  std::string name;
  std::string unit;
  std::vector<std::string> roles;
  std::string email;  // empty: leave as it is
};

// "officer, expert @ gia-vien; standing_board @ ninh-binh"
std::string describe_roles(const std::vector<UserRole>& roles) {
  std::map<std::string, std::string> by_unit;
  for (const UserRole& role : roles) {
    std::string& listed = by_unit[role.unit];
    listed += (listed.empty() ? "" : ", ") + role.role;
  }
  std::string text;
  for (const auto& [unit, listed] : by_unit) text += (text.empty() ? "" : "; ") + listed + " @ " + unit;
  return text;
}

Status add(Context& context, Workspace& workspace, const NewUser& user) {
  // The user and the address are stored together or not at all.
  const Status added = workspace.database().write([&]() -> Status {
    const std::string actor = admin_actor(context);
    if (const Status roles = workspace.directory().add_user(user.id, user.name, user.unit, user.roles, actor); !roles)
      return roles;
    return user.email.empty() ? Status{Ok{}} : workspace.directory().set_email(user.id, user.email, actor);
  });
  if (!added) return added;
  DOCKET_TRY(stored, workspace.directory().user(user.id));
  DOCKET_TRY(email, workspace.directory().email(stored->id));
  print_record(
      context.out,
      {{"id", stored->id}, {"name", stored->name}, {"email", *email}, {"roles", describe_roles(stored->roles)}},
      context.format, context.style);
  return Ok{};
}

Status list(Context& context, Workspace& workspace) {
  Table table{{{"id"}, {"name"}, {"email"}, {"roles"}}, {}};
  DOCKET_TRY(users, workspace.directory().users());
  for (const User& user : *users) {
    DOCKET_TRY(email, workspace.directory().email(user.id));
    table.rows.push_back({user.id, user.name, *email, describe_roles(user.roles)});
  }
  print_table(context.out, table, context.format, context.style);
  return Ok{};
}

// docket user admin USER [--off].
void add_admin_command(CLI::App& user, Context& context) {
  auto id = std::make_shared<std::string>();
  auto off = std::make_shared<bool>(false);
  CLI::App* admin = user.add_subcommand(
      "admin", "Make USER an administrator (manages units and users over the API, reads every case)");
  admin->add_option("user", *id, "The user")->required();
  admin->add_flag("--off", *off, "Take the administrator right away instead");
  admin->callback([&context, id, off] {
    with_workspace(context, [&](Workspace& s) -> Status {
      if (const Status done = s.directory().set_admin(*id, !*off, admin_actor(context)); !done) return done;
      context.out << *id << (*off ? " is no longer" : " is now") << " an administrator\n";
      return Ok{};
    });
  });
}

// docket user unrole USER --unit UNIT --role ROLE...
void add_unrole_command(CLI::App& user, Context& context) {
  auto request = std::make_shared<NewUser>();
  CLI::App* unrole = user.add_subcommand("unrole", "Take roles at a unit away from USER (all or nothing)");
  unrole->add_option("user", request->id, "The user")->required();
  unrole->add_option("--unit", request->unit, "The unit where the roles are held")->required();
  unrole->add_option("--role", request->roles, "A role to take away (repeat for several)")->required();
  unrole->callback([&context, request] {
    with_workspace(context, [&](Workspace& s) -> Status {
      const Status removed =
          s.directory().remove_roles(request->id, request->unit, request->roles, admin_actor(context));
      if (!removed) return removed;
      DOCKET_TRY(stored, s.directory().user(request->id));
      print_record(context.out, {{"id", stored->id}, {"name", stored->name}, {"roles", describe_roles(stored->roles)}},
                   context.format, context.style);
      return Ok{};
    });
  });
}

}  // namespace

void add_user_commands(CLI::App& app, Context& context) {
  CLI::App* user =
      app.add_subcommand("user", "Users and their roles: add, unrole, list, admin, token, revoke, password");
  user->require_subcommand(1);
  user->option_defaults()->always_capture_default(false);  // no "=-1" or "=[]" in the help

  auto new_user = std::make_shared<NewUser>();
  CLI::App* add_command = user->add_subcommand("add", "Add a user, or give an existing user more roles at a unit");
  add_command->add_option("id", new_user->id, "Login, e.g. lan.nguyen")->required();
  add_command->add_option("--name", new_user->name, "Full name, e.g. \"Nguyễn Thị Lan\"")->required();
  add_command->add_option("--unit", new_user->unit, "The organisation unit where the roles apply")->required();
  add_command->add_option("--role", new_user->roles, "A role declared by a workflow (repeat for several)")->required();
  add_command->add_option("--email", new_user->email, "E-mail address for notifications, e.g. lan@mttq.vn");
  add_command->callback(
      [&context, new_user] { with_workspace(context, [&](Workspace& s) { return add(context, s, *new_user); }); });

  user->add_subcommand("list", "List the users and their roles")->callback([&context] {
    with_workspace(context, [&](Workspace& s) { return list(context, s); });
  });
  add_unrole_command(*user, context);
  add_admin_command(*user, context);
}

}  // namespace docket::cli
