#include "app.h"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

#include "command_tree.h"
#include "server/build_info.h"

namespace docket::cli {
namespace {

constexpr const char* kExitCodesHelp =
    "Exit codes: 0 success; 1 refused (bad input, unknown case/user/unit/transition, a workflow rule,\n"
    "a broken audit chain); 2 usage error; 3 conflict (stale --expect-version); 4 busy (database\n"
    "locked past --busy-timeout); 5 storage or internal fault; 6 serve: the --listen address is in\n"
    "use by another program.\n"
    "Errors are one line on stderr: \"docket: <code>: <message>\". Help on a command: docket help CMD.";

void add_global_options(CLI::App& app, Context& context) {
  app.add_option("--workflows", context.workflows_dir, "Folder of workflow definition files (env DOCKET_WORKFLOWS)");
  app.add_option("--db", context.database_path, "The database file")->envname("DOCKET_DB");
  app.add_option("--as", context.acting_user, "The acting user (required by case commands)")->envname("DOCKET_USER");
  app.add_option("--format", "Output: table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->each([&context](const std::string& name) { context.format = *output_format_from_string(name); })
      ->default_str("table");
  app.add_flag("--utc", context.style.utc,
               "Show times in UTC (ISO 8601) rather than Vietnam time (dd/mm/yyyy HH:MM); JSON is always UTC");
  app.add_option("--headers", "Column titles of tables and CSV: keys, vi or en")
      ->check(CLI::IsMember({"keys", "vi", "en"}))
      ->each([&context](const std::string& name) {
        context.style.headers = name == "vi" ? Headers::vi : name == "en" ? Headers::en : Headers::keys;
      })
      ->default_str("keys");
  app.add_flag_function(
      "--bom,!--no-bom", [&context](std::int64_t count) { context.style.bom = count > 0; },
      "Start CSV with a UTF-8 byte order mark, for Excel (default: on for report, off otherwise)");
  app.add_flag_function(
      "--progress,!--no-progress", [&context](std::int64_t count) { context.progress = count > 0; },
      "Show the progress of long work on stderr (default: when stderr is a terminal)");
  app.add_option("--busy-timeout", context.busy_timeout_ms, "Milliseconds to wait for another writer's lock")
      ->envname("DOCKET_BUSY_TIMEOUT_MS")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--notifications", context.notifications_path,
                 "Notification rules file: changes queue their messages in the outbox (docs/notifications.md)")
      ->envname("DOCKET_NOTIFICATIONS");
  app.add_option("--channel-plugin", context.channel_plugins,
                 "A library adding a notification channel (repeat for several)");
}

// CLI11 reports usage errors with its own exit codes (105, 106, ...); docket promises 2. A
// missing or mistyped command is named, with the nearest one.
int report_usage_error(CLI::App& app, const CLI::ParseError& problem, Context& context, int argc,
                       const char* const* argv) {
  if (problem.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success))
    return app.exit(problem, context.out, context.err);
  const std::optional<std::string> command = command_problem(app, problem, argc, argv);
  context.err << "docket: usage: " << (command ? *command : std::string(problem.what())) << "\n";
  return kExitUsage;
}

}  // namespace

int exit_code_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::conflict:
      return kExitConflict;
    case ErrorCode::busy:
      return kExitBusy;
    case ErrorCode::storage:
    case ErrorCode::storage_corrupt:
    case ErrorCode::integrity:
    case ErrorCode::storage_full:
    case ErrorCode::internal:
      return kExitFault;
    default:
      return kExitRefused;
  }
}

void report(Context& context, const Error& error) {
  context.err << "docket: " << to_string(error.code) << ": " << error.message << "\n";
  context.exit_code = exit_code_for(error.code);
}

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  const char* from_environment = std::getenv("DOCKET_WORKFLOWS");
  const SystemClock clock;
  Context context{out, err, clock, from_environment != nullptr ? from_environment : default_workflows_dir()};
  context.progress = &err == &std::cerr && isatty(STDERR_FILENO) == 1;  // silent in pipes and files

  CLI::App app{"Docket: supervision and social-critique cases for Fatherland Front committees", "docket"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the sub-command
  app.option_defaults()->always_capture_default();
  app.footer(kExitCodesHelp);
  app.set_version_flag("--version", "docket " + server::describe(server::build_info()),
                       "Print the version (and the git commit it was built from) and exit");
  add_global_options(app, context);
  add_workflow_commands(app, context);
  add_demo_command(app, context);
  add_init_command(app, context);
  add_org_commands(app, context);
  add_user_commands(app, context);
  add_case_commands(app, context);
  add_search_command(app, context);
  add_audit_commands(app, context);
  add_serve_command(app, context);
  add_token_commands(app, context);
  add_password_command(app, context);
  add_deadline_commands(app, context);
  add_report_command(app, context);
  add_document_commands(app, context);
  add_register_commands(app, context);
  add_outbox_commands(app, context);
  add_backup_command(app, context);
  add_migrate_command(app, context);
  add_help_commands(app, context);  // listed last in the help

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& problem) {
    return report_usage_error(app, problem, context, argc, argv);
  }
  return context.exit_code;
}

}  // namespace docket::cli
