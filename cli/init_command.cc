// docket init: creates the database (or migrates an older one) and installs the workflows and
// calendars. Refused, it leaves nothing: the workflows and calendars install together or not at
// all, and a database file (and folders) it created is removed again.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <sstream>

#include "app.h"
#include "backup_command.h"
#include "command_support.h"
#include "store/calendar_registry.h"
#include "store/database.h"
#include "store/workflow_registry.h"

namespace docket::cli {
namespace {

namespace fs = std::filesystem;

void say_what_happened_to_schema(const Context& context, std::optional<int> before, std::ostream& out) {
  const std::string path = context.database_path;
  if (!before) {
    out << "created database " << path << " (schema version " << schema_version() << ")\n";
  } else if (*before < schema_version()) {
    out << "migrated database " << path << " from schema version " << *before << " to " << schema_version() << "\n";
  } else {
    out << "database " << path << " is up to date (schema version " << schema_version() << ")\n";
  }
}

Status install_workflows(const Context& context, Database& database, std::ostream& out) {
  WorkflowRegistry registry(database, context.clock);
  DOCKET_TRY(installed, registry.install_directory(context.workflows_dir, admin_actor(context)));
  out << "installed " << *installed << " new workflow version(s) from " << context.workflows_dir << "\n";
  DOCKET_TRY(catalog, registry.catalog());
  for (const WorkflowDefinition* definition : catalog->latest_of_each()) {
    out << "  " << definition->id << " v" << definition->version << " (" << definition->case_prefix << ") "
        << definition->title.vi << "\n";
  }
  return Ok{};
}

Status install_calendars(const Context& context, Database& database, std::ostream& out) {
  const fs::path calendars = fs::path(context.workflows_dir) / "calendars";
  if (!fs::is_directory(calendars)) return Ok{};
  DOCKET_TRY(installed, CalendarRegistry(database, context.clock).install_directory(calendars, admin_actor(context)));
  out << "installed " << *installed << " new calendar file version(s) from " << calendars.string() << "\n";
  return Ok{};
}

// What init created on the way to the database file: the file (with SQLite's companions) when
// there was none, and the folders above it that did not exist. Taken before anything is made.
class Created {
 public:
  explicit Created(const fs::path& database) : database_(database) {
    std::error_code ignored;
    file_ = !fs::exists(database, ignored);
    for (fs::path folder = database.parent_path(); !folder.empty() && !fs::exists(folder, ignored);
         folder = folder.parent_path()) {
      folders_.push_back(folder);
      if (folder == folder.parent_path()) break;
    }
  }
  // Removes them again (the database must be closed); folders only when empty.
  void remove() const {
    if (!file_) return;
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(database_.string() + suffix, ignored);
    for (const fs::path& folder : folders_) fs::remove(folder, ignored);  // innermost first
  }

 private:
  fs::path database_;
  bool file_ = false;
  std::vector<fs::path> folders_;
};

// Everything init does; what it would print goes to `out`, printed only when all of it is done.
Status initialise(Context& context, std::ostream& out) {
  auto before = Database::schema_version_on_disk(context.database_path);
  // An older file is upgraded as `docket migrate` does it: after a verified copy beside it.
  if (before && *before && **before > 0 && **before < schema_version()) {
    if (const Status saved = back_up_before_migrating(context, **before, out); !saved) return saved;
  }
  DatabaseOptions options = database_options(context, /*create=*/true);
  options.older_schema = OlderSchema::migrate;
  DOCKET_TRY(database, Database::open(options));  // says more than `before`
  if (!before) return before.error();
  say_what_happened_to_schema(context, *before, out);
  return (*database)->write([&]() -> Status {
    if (const Status installed = install_workflows(context, **database, out); !installed) return installed;
    return install_calendars(context, **database, out);
  });
}

void init(Context& context) {
  const Created created(context.database_path);
  std::ostringstream out;
  if (const Status done = initialise(context, out); !done) {
    created.remove();
    return report(context, done.error());
  }
  context.out << out.str();
}

}  // namespace

void add_init_command(CLI::App& app, Context& context) {
  app.add_subcommand("init", "Create or migrate the database and install the workflows folder")->callback([&context] {
    init(context);
  });
}

}  // namespace docket::cli
