// docket audit verify|export: the tamper-evident history, the case log (store/audit.h) and the
// administrative log (store/admin_log.h); docs/audit.md.
#include <CLI/CLI.hpp>

#include <memory>

#include "app.h"
#include "checkpoint_commands.h"
#include "command_support.h"
#include "store/admin_log.h"
#include "store/audit.h"

namespace docket::cli {
namespace {

void say_broken(Context& context, const std::string& what, const std::string& problem) {
  context.err << "docket: audit_broken: " << what << problem << "\n";
  context.exit_code = kExitRefused;
}

// Both logs; the text output counts the case log's events, as it did before the administrative
// log existed (json and csv give both counts).
Status verify(Context& context, Workspace& workspace) {
  DOCKET_TRY(verified, verify_audit(workspace.database()));
  const AuditReport& report = *verified;
  if (!report.ok) {
    say_broken(context,
               (report.seq == 0 ? "case " + report.case_number + ", from sequence " + std::to_string(report.case_seq) +
                                      ", is broken: "
                                : "event " + std::to_string(report.seq) + " (case " + report.case_number +
                                      ", sequence " + std::to_string(report.case_seq) + ") is broken: "),
               report.problem);
    return Ok{};
  }
  DOCKET_TRY(administrative, verify_admin_log(workspace.database()));
  const AdminLogReport& admin = *administrative;
  if (!admin.ok) {
    say_broken(
        context,
        admin.seq == 0 ? "administrative log: " : "administrative event " + std::to_string(admin.seq) + " is broken: ",
        admin.problem);
    return Ok{};
  }
  if (context.format == OutputFormat::table) {
    context.out << report.events_checked << " events verified\n";
    return Ok{};
  }
  print_record(context.out,
               {{"events_verified", std::to_string(report.events_checked)},
                {"admin_events_verified", std::to_string(admin.events_checked)}},
               context.format);
  return Ok{};
}

}  // namespace

void add_audit_commands(CLI::App& app, Context& context) {
  CLI::App* audit = app.add_subcommand("audit", "Verify or export the hash-chained event history");
  audit->require_subcommand(1);
  audit->option_defaults()->always_capture_default(false);  // no "=-1" or "=[]" in the help

  auto checkpoints = std::make_shared<std::string>();
  auto public_key = std::make_shared<std::string>();
  CLI::App* verify_command = audit->add_subcommand(
      "verify", "Recompute every hash chain (cases and administrative); exit 1 naming the first broken event");
  verify_command->add_option("--checkpoints", *checkpoints,
                             "Also check that the log still extends every signed checkpoint in this folder");
  verify_command->add_option("--public-key", *public_key, "The signing unit's public key (audit keygen's NAME.pub)")
      ->needs("--checkpoints");
  verify_command->callback([&context, checkpoints, public_key] {
    with_workspace(context, [&](Workspace& s) {
      const Status verified = verify(context, s);
      if (!verified || context.exit_code != 0 || checkpoints->empty()) return verified;
      return verify_checkpoints(context, s, *checkpoints, *public_key);
    });
  });
  add_checkpoint_commands(*audit, context);

  auto case_number = std::make_shared<std::string>();
  auto admin = std::make_shared<bool>(false);
  CLI::App* export_command = audit->add_subcommand("export", "Every event as JSON Lines, with its hashes");
  export_command->add_option("--case", *case_number, "Only this case's events");
  export_command->add_flag("--admin", *admin, "The administrative log instead (units, users, roles, tokens, ...)")
      ->excludes("--case");
  export_command->callback([&context, case_number, admin] {
    with_workspace(context, [&](Workspace& workspace) {
      if (*admin) return export_admin_log(workspace.database(), context.out);
      const auto only = case_number->empty() ? std::nullopt : std::optional<std::string>(*case_number);
      return export_audit(workspace.database(), only, context.out);
    });
  });
}

}  // namespace docket::cli
