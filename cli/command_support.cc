#include "command_support.h"

#include <pwd.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/search_index.h"
#include "store/workflow_registry.h"

namespace docket::cli {

Result<std::unique_ptr<Workspace>> open_workspace(const Context& context) {
  auto workspace = Workspace::open(database_options(context, /*create=*/false), context.clock);
  if (!workspace) return workspace.error();
  if (context.notifications_path.empty()) return workspace;
  // The rules are checked against the installed workflows before any change can use them.
  auto rules = load_notifications(notifications_setup(context), (*workspace)->catalog());
  if (!rules) return rules.error();
  (*workspace)->enable_notifications(*rules);
  return workspace;
}

NotificationsSetup notifications_setup(const Context& context) {
  return NotificationsSetup{context.notifications_path, context.channel_plugins};
}

DatabaseOptions database_options(const Context& context, bool create) {
  DatabaseOptions options;
  options.path = context.database_path;
  options.create = create;
  options.busy_timeout_ms = context.busy_timeout_ms;
  return options;
}

void with_workspace(Context& context, const std::function<Status(Workspace&)>& command) {
  auto workspace = open_workspace(context);
  if (!workspace) return report(context, workspace.error());
  if (const Status done = command(**workspace); !done) return report(context, done.error());
  // What the command changed is indexed before it ends, as the store did before the index
  // was brought up to date in batches (docs/search.md): a CLI command makes one change or a
  // few, and no server may run to do it, so a thousand commands do not leave a thousand cases
  // for the next search. Should it fail, the change stands and the next search indexes it.
  (void)SearchIndex::catch_up((*workspace)->database());
}

Result<std::string> read_file_content(const std::string& path) {
  std::error_code problem;
  if (!std::filesystem::exists(path, problem)) {
    return make_error(ErrorCode::not_found, "file " + in_quotes(path) + " does not exist");
  }
  if (!std::filesystem::is_regular_file(path, problem)) {
    return make_error(ErrorCode::invalid_argument, in_quotes(path) + " is not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  if (!in) return make_error(ErrorCode::invalid_argument, "cannot read file " + in_quotes(path));
  return content.str();
}

const std::string& require_acting_user(const Context& context) {
  if (context.acting_user.empty()) throw CLI::RequiredError("--as USER (or env DOCKET_USER)");
  return context.acting_user;
}

std::string admin_actor(const Context& context) {
  if (!context.acting_user.empty()) return context.acting_user;
  const passwd* account = ::getpwuid(::geteuid());
  if (account != nullptr && account->pw_name != nullptr && *account->pw_name != '\0')
    return std::string("os:") + account->pw_name;
  return kSystemActor;
}

void read_as_acting_user(Context& context, const std::function<Status(Workspace&, const Reader&)>& read) {
  const std::string& user = require_acting_user(context);
  with_workspace(context, [&](Workspace& workspace) -> Status {
    const Database::ReadSnapshot snapshot(workspace.database());
    auto reader = workspace.access().reader(user);
    if (!reader) return reader.error();
    return read(workspace, *reader);
  });
}

void add_field_option(CLI::App& command, std::vector<std::string>& arguments, const std::string& description) {
  const CLI::Validator key_equals_value(
      [](std::string& argument) -> std::string {
        const auto equals = argument.find('=');
        if (equals == std::string::npos) return "expected KEY=VALUE, got \"" + argument + "\" (no '=')";
        if (equals == 0) return "expected KEY=VALUE, got \"" + argument + "\" (no key before '=')";
        return {};
      },
      "", "field");
  command.add_option("--field", arguments, description)->check(key_equals_value)->type_name("KEY=VALUE");
}

FieldValues field_values(const std::vector<std::string>& arguments) {
  FieldValues fields;
  for (const std::string& argument : arguments) {
    const auto equals = argument.find('=');
    const std::string key = argument.substr(0, equals);
    if (!fields.emplace(key, argument.substr(equals + 1)).second) {
      throw CLI::ValidationError("--field", "field \"" + key + "\" is given twice");
    }
  }
  return fields;
}

}  // namespace docket::cli
