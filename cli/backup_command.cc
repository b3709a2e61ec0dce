#include "backup_command.h"

#include <CLI/CLI.hpp>

#include <iomanip>
#include <memory>
#include <sstream>
#include <string>

#include "command_support.h"
#include "progress.h"
#include "store/backup.h"

namespace docket::cli {
namespace {

std::string in_mebibytes(std::int64_t bytes) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(1) << static_cast<double>(bytes) / (1024.0 * 1024.0) << " MiB";
  return text.str();
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
}

}  // namespace docket::cli
