// What every CLI command shares: opening the database (one Workspace per invocation, owned by
// the one thread that runs the command), the acting user, the --field option, reading files.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app.h"
#include "core/clock.h"
#include "core/command.h"
#include "notifications/notifications_setup.h"
#include "store/access_policy.h"
#include "store/case_store.h"
#include "store/database.h"
#include "store/directory.h"
#include "workspace/workspace.h"

namespace docket::cli {

// Opens the existing database at context.database_path with its workflows; with
// --notifications, loads the rules (checked against the installed workflows) so that changes
// queue their messages. Fails with not_found (saying to run `docket init`) when there is no
// database there, with the store's error (storage, busy) when it cannot be opened, or with
// invalid_argument listing the problems of the rules file.
Result<std::unique_ptr<Workspace>> open_workspace(const Context& context);

// The database options the global flags ask for.
DatabaseOptions database_options(const Context& context, bool create);

// The notification rules and channel plugins the global flags name.
NotificationsSetup notifications_setup(const Context& context);

// Opens a workspace and runs `command` on it; reports an error that opening or the command
// returns (or a storage exception it lets escape), and sets the exit code.
void with_workspace(Context& context, const std::function<Status(Workspace&)>& command);

// The acting user (--as); throws CLI::RequiredError, a usage error, when none was given.
const std::string& require_acting_user(const Context& context);

// Who the administrative log names for a change made by this command (store/admin_log.h): the
// acting user (--as) when given, else the operating-system account running docket as
// "os:NAME" (a Docket user id cannot hold ':'), else "system". The CLI authenticates no one:
// whoever can write the database file can change it, and the OS account is what is known.
std::string admin_actor(const Context& context);

// Opens a workspace and runs `read` as the acting user (--as; a usage error without it) in one
// read snapshot, so that what it prints comes from one commit even while a server writes to
// the file. Reports not_found when there is no such user. `read` sees the cases that reader may
// read as the API shows them (Workspace::access).
void read_as_acting_user(Context& context, const std::function<Status(Workspace&, const Reader&)>& read);

// The bytes of the file at `path`. Errors: not_found naming the file when it does not exist,
// invalid_argument when it is not a regular file or cannot be read.
Result<std::string> read_file_content(const std::string& path);

// Adds the repeatable option --field KEY=VALUE to `command`, collecting into `arguments`. An
// argument without '=' (or with an empty key) is a usage error naming it.
void add_field_option(CLI::App& command, std::vector<std::string>& arguments, const std::string& description);

// The --field arguments as a map, each split at its first '='; a key given twice throws
// CLI::ValidationError (a usage error) naming it.
FieldValues field_values(const std::vector<std::string>& arguments);

}  // namespace docket::cli
