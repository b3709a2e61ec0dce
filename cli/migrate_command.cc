// docket migrate: upgrades the database to this docket's schema, after a verified backup next to
// it. Every other command (but init) refuses an older file (needs_migration), so an upgrade
// happens only when an administrator asks for it, with a copy to go back to.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <sstream>
#include <string>

#include "app.h"
#include "backup_command.h"
#include "command_support.h"
#include "store/database.h"

namespace docket::cli {
namespace {

Status migrate(const Context& context, std::ostream& out) {
  DOCKET_TRY(before, Database::schema_version_on_disk(context.database_path));
  if (!*before) {
    return make_error(ErrorCode::not_found, "no database at " + context.database_path + " (run `docket init` first)");
  }
  const int version = **before;
  if (version == schema_version()) {
    out << "database " << context.database_path << " is up to date (schema version " << version << ")\n";
    return Ok{};
  }
  if (version < schema_version()) {
    if (const Status saved = back_up_before_migrating(context, version, out); !saved) return saved;
  }
  DatabaseOptions options = database_options(context, /*create=*/false);
  options.older_schema = OlderSchema::migrate;
  DOCKET_TRY(migrated, Database::open(options));  // a newer file is refused here, naming both versions
  out << "migrated database " << context.database_path << " from schema version " << version << " to "
      << schema_version() << "\n";
  return Ok{};
}

}  // namespace

void add_migrate_command(CLI::App& app, Context& context) {
  app.add_subcommand("migrate", "Back up the database next to it, then upgrade it to this docket's schema")
      ->callback([&context] {
        std::ostringstream out;
        const Status done = migrate(context, out);
        context.out << out.str();  // a backup taken is said even when the migration then failed
        if (!done) report(context, done.error());
      });
}

}  // namespace docket::cli
