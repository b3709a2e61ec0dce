// The docket command line: builds the CLI11 command tree and runs one invocation.
// Each sub-command lives in its own file and registers itself on the tree here.
//
// Exit codes (also in `docket --help`):
//   0 success; 1 the command was refused (bad input, an unknown case, user, unit, workflow or
//   transition, a guard of the workflow, or a broken audit chain); 2 a usage error (unknown
//   option, missing argument, malformed --field); 3 conflict (the case changed since
//   --expect-version: read it again); 4 busy (the database stayed locked past the busy
//   timeout: try again); 5 a storage or internal fault; 6 `serve` cannot listen: another program
//   holds the --listen address ("docket: address_in_use: ...").
// Every error is one line on stderr: "docket: <code>: <message>", <code> as in core/result.h,
// or "usage" for a usage error, or "audit_broken" when `audit verify` finds a broken event.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "output.h"

namespace CLI {
class App;
}

namespace docket::cli {

// What every command needs: where to write, the clock, where the workflow files and the
// database are, who is acting and how to print. Filled from the global options before a
// command runs.
struct Context {
  std::ostream& out;
  std::ostream& err;
  const Clock& clock;         // the one time source of the invocation (what it records is stamped with it)
  std::string workflows_dir;  // --workflows, DOCKET_WORKFLOWS, or default_workflows_dir()
  std::string database_path = "var/docket.db";  // --db, DOCKET_DB
  std::string acting_user{};                    // --as, DOCKET_USER; empty when not given
  OutputFormat format = OutputFormat::table;    // --format
  Style style{};                                // --utc, --headers, --bom/--no-bom
  bool progress = false;                        // progress lines on stderr (a terminal, no --quiet)
  int busy_timeout_ms = 5000;                   // --busy-timeout, DOCKET_BUSY_TIMEOUT_MS
  std::string notifications_path{};             // --notifications, DOCKET_NOTIFICATIONS; empty: none
  std::vector<std::string> channel_plugins{};   // --channel-plugin (repeatable)
  int exit_code = 0;
};

inline constexpr int kExitRefused = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitConflict = 3;
inline constexpr int kExitBusy = 4;
inline constexpr int kExitFault = 5;
inline constexpr int kExitAddressInUse = 6;

// Runs `docket ARGS...`; returns the process exit code (see above).
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// The exit code for a command refused with `code`.
int exit_code_for(ErrorCode code);

// Prints "docket: <code>: <message>" on context.err and sets context.exit_code.
void report(Context& context, const Error& error);

void add_workflow_commands(CLI::App& app, Context& context);
void add_demo_command(CLI::App& app, Context& context);
void add_init_command(CLI::App& app, Context& context);
void add_org_commands(CLI::App& app, Context& context);
void add_user_commands(CLI::App& app, Context& context);
void add_case_commands(CLI::App& app, Context& context);
void add_search_command(CLI::App& app, Context& context);
void add_audit_commands(CLI::App& app, Context& context);
void add_serve_command(CLI::App& app, Context& context);
void add_token_commands(CLI::App& app, Context& context);    // after add_user_commands
void add_password_command(CLI::App& app, Context& context);  // after add_user_commands
void add_deadline_commands(CLI::App& app, Context& context);
void add_report_command(CLI::App& app, Context& context);
void add_outbox_commands(CLI::App& app, Context& context);
void add_help_commands(CLI::App& app, Context& context);  // help, completion
void add_backup_command(CLI::App& app, Context& context);
void add_migrate_command(CLI::App& app, Context& context);
void add_document_commands(CLI::App& app, Context& context);
void add_register_commands(CLI::App& app, Context& context);

// The built-in workflows folder: share/docket/workflows beside the folder of the running
// binary when installed (cmake --install), else the source tree's workflows/ it was built from.
std::string default_workflows_dir();

}  // namespace docket::cli
