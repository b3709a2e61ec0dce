#include "backup_command.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iomanip>
#include <memory>
#include <sstream>
#include <string>

#include "command_support.h"
#include "core/time.h"
#include "progress.h"
#include "store/backup.h"

namespace docket::cli {
namespace {

std::string in_mebibytes(std::int64_t bytes) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(1) << static_cast<double>(bytes) / (1024.0 * 1024.0) << " MiB";
  return text.str();
}

// The time as YYYYMMDDTHHMMSSZ, for the names of the copies kept beside the database.
std::string compact_time(const Context& context) {
  std::string stamp = format_timestamp(context.clock.now());
  stamp.erase(std::remove_if(stamp.begin(), stamp.end(), [](char c) { return c == '-' || c == ':'; }), stamp.end());
  return stamp;
}

}  // namespace

Status back_up_database(const Context& context, const std::filesystem::path& target, std::ostream& out) {
  DatabaseOptions options = database_options(context, /*create=*/false);
  options.older_schema = OlderSchema::as_is;  // a copy changes nothing: any version may be copied
  DOCKET_TRY(source, Database::open(options));
  Progress progress(context.err, context.progress, "backup");
  BackupOptions backup_options;
  backup_options.progress = [&progress](std::int64_t copied, std::int64_t total) {
    progress.count(copied, total, "pages copied");
  };
  DOCKET_TRY(copied, back_up(**source, target, backup_options));
  out << "backed up " << context.database_path << " to " << target.string() << ": " << copied->pages << " pages ("
      << in_mebibytes(copied->bytes) << "), schema version " << copied->schema_version << "\n"
      << "verified the copy: integrity_check ok, " << copied->events_verified << " case events and "
      << copied->admin_events_verified << " administrative events chained\n";
  return Ok{};
}

Status back_up_before_migrating(const Context& context, int version, std::ostream& out) {
  const std::string copy =
      context.database_path + ".schema-" + std::to_string(version) + "." + compact_time(context) + ".bak";
  return back_up_database(context, copy, out);
}

namespace {

void say_checked(const BackupReport& checked, std::ostream& out) {
  out << checked.pages << " pages (" << in_mebibytes(checked.bytes) << "), schema version " << checked.schema_version
      << "; integrity_check ok, " << checked.events_verified << " case events and " << checked.admin_events_verified
      << " administrative events chained\n";
}

Status restore_database(const Context& context, const std::filesystem::path& backup, std::ostream& out) {
  const std::string keep = context.database_path + ".before-restore." + compact_time(context);
  DOCKET_TRY(done, restore(backup, context.database_path, keep, context.busy_timeout_ms));
  if (done->kept) {
    out << "kept the database it replaced as " << keep << ": ";
    say_checked(done->replaced, out);
  }
  out << "restored " << context.database_path << " from " << backup.string() << ": ";
  say_checked(done->restored, out);
  if (done->restored.schema_version < schema_version()) {
    out << "the backup has schema version " << done->restored.schema_version << ", this docket needs "
        << schema_version() << ": run `docket migrate` next\n";
  }
  return Ok{};
}

}  // namespace

void add_backup_command(CLI::App& app, Context& context) {
  auto target = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand(
      "backup", "Copy the database, while it is in use, to a new FILE and verify the copy (docs/operations.md)");
  command->add_option("FILE", *target, "The copy to write; it must not exist yet")->required();
  command->callback([&context, target] {
    std::ostringstream out;  // said only once the copy is verified and named
    if (const Status done = back_up_database(context, *target, out); !done) return report(context, done.error());
    context.out << out.str() << "done\n";
  });

  auto backup = std::make_shared<std::string>();
  CLI::App* restoring = app.add_subcommand(
      "restore",
      "Put a backup FILE in place of the database, which no program may have open (stop the server first); "
      "what it replaces is kept as DB.before-restore.<UTC time> (docs/operations.md)");
  restoring->add_option("FILE", *backup, "The backup to restore (made by `docket backup`), checked first")->required();
  restoring->callback([&context, backup] {
    std::ostringstream out;
    const Status done = restore_database(context, *backup, out);
    context.out << out.str();  // a copy kept is said even when restoring then failed
    if (!done) return report(context, done.error());
    context.out << "done\n";
  });
}

}  // namespace docket::cli
