// docket init: creates the database (or migrates an older one) and installs the workflows.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>

#include "app.h"
#include "command_support.h"
#include "store/calendar_registry.h"
#include "store/database.h"
#include "store/workflow_registry.h"

namespace docket::cli {
namespace {

void say_what_happened_to_schema(Context& context, std::optional<int> before) {
  const std::string path = context.database_path;
  if (!before) {
    context.out << "created database " << path << " (schema version " << schema_version() << ")\n";
  } else if (*before < schema_version()) {
    context.out << "migrated database " << path << " from schema version " << *before << " to " << schema_version()
                << "\n";
  } else {
    context.out << "database " << path << " is up to date (schema version " << schema_version() << ")\n";
  }
}

Status install_workflows(Context& context, Database& database) {
  WorkflowRegistry registry(database, context.clock);
  auto installed = registry.install_directory(context.workflows_dir);
  if (!installed) return installed.error();
  context.out << "installed " << *installed << " new workflow version(s) from " << context.workflows_dir << "\n";
  auto catalog = registry.catalog();
  if (!catalog) return catalog.error();
  for (const WorkflowDefinition* definition : catalog->latest_of_each()) {
    context.out << "  " << definition->id << " v" << definition->version << " (" << definition->case_prefix << ") "
                << definition->title.vi << "\n";
  }
  return Ok{};
}

void init(Context& context) {
  const auto before = Database::schema_version_on_disk(context.database_path);
  auto database = Database::open(database_options(context, /*create=*/true));
  if (!database) return report(context, database.error());  // says more than `before` could
  if (!before) return report(context, before.error());
  say_what_happened_to_schema(context, before.value());
  if (const Status installed = install_workflows(context, **database); !installed)
    return report(context, installed.error());
  const std::filesystem::path calendars = std::filesystem::path(context.workflows_dir) / "calendars";
  if (!std::filesystem::is_directory(calendars)) return;
  auto calendar = CalendarRegistry(**database, context.clock).install_directory(calendars);
  if (!calendar) return report(context, calendar.error());
  context.out << "installed " << *calendar << " new calendar file version(s) from " << calendars.string() << "\n";
}

}  // namespace

void add_init_command(CLI::App& app, Context& context) {
  app.add_subcommand("init", "Create or migrate the database and install the workflows folder")->callback([&context] {
    init(context);
  });
}

}  // namespace docket::cli
