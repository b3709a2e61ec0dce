// docket audit verify|export: the tamper-evident history, the case log (store/audit.h) and the
// administrative log (store/admin_log.h); docs/audit.md.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <memory>

#include "app.h"
#include "checkpoint_commands.h"
#include "command_support.h"
#include "progress.h"
#include "store/admin_log.h"
#include "store/audit.h"
#include "store/audit_state.h"

namespace docket::cli {
namespace {

void say_broken(Context& context, const std::string& what, const std::string& problem) {
  context.err << "docket: audit_broken: " << what << problem << "\n";
  context.exit_code = kExitRefused;
}

// SQLite's own check of the file, before anything read from it is trusted. False when it is
// damaged (said on context.err, exit 5, as a write refused on such a file).
Result<bool> file_is_sound(Context& context, Workspace& workspace) {
  DOCKET_TRY(messages, check_file_integrity(workspace.database()));
  if (messages->empty()) return true;
  std::string said;
  for (const std::string& message : *messages) said += (said.empty() ? "" : "; ") + message;
  context.err << "docket: storage_corrupt: the database file is damaged; SQLite's integrity_check says: " << said
              << ". Stop writing to it: restore the latest backup, then run `docket audit verify` on the copy\n";
  context.exit_code = exit_code_for(ErrorCode::storage_corrupt);
  return false;
}

// The case rows and stored documents against the events (store/audit_state.h). False when they
// differ (said as a broken audit).
Result<bool> state_matches_events(Context& context, Workspace& workspace, StateReport& state) {
  DOCKET_TRY(verified, verify_case_state(workspace.database()));
  state = *verified;
  if (!state.ok) say_broken(context, "", state.problem);
  return state.ok;
}

// Both logs; the text output counts the case log's events, as it did before the administrative
// log existed (json and csv give both counts).
Status verify(Context& context, Workspace& workspace) {
  const Database::ReadSnapshot snapshot(workspace.database());  // every check sees one commit
  Progress progress(context.err, context.progress, "audit verify");
  progress.step("checking the file (SQLite integrity_check)");
  DOCKET_TRY(sound, file_is_sound(context, workspace));
  if (!*sound) return Ok{};
  progress.step("recomputing the case hash chains");
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
  progress.step("recomputing the administrative log's chain");
  DOCKET_TRY(administrative, verify_admin_log(workspace.database()));
  const AdminLogReport& admin = *administrative;
  if (!admin.ok) {
    say_broken(
        context,
        admin.seq == 0 ? "administrative log: " : "administrative event " + std::to_string(admin.seq) + " is broken: ",
        admin.problem);
    return Ok{};
  }
  progress.step("checking each case's state and document against its events");
  StateReport state;
  DOCKET_TRY(matches, state_matches_events(context, workspace, state));
  if (!*matches) return Ok{};
  progress.clear();
  if (context.format == OutputFormat::table) {
    context.out << report.events_checked << " events verified\n";
    return Ok{};
  }
  print_record(context.out,
               {{"events_verified", std::to_string(report.events_checked)},
                {"admin_events_verified", std::to_string(admin.events_checked)},
                {"cases_verified", std::to_string(state.cases_checked)},
                {"documents_verified", std::to_string(state.documents_checked)}},
               context.format, context.style);
  return Ok{};
}

}  // namespace

void add_audit_commands(CLI::App& app, Context& context) {
  CLI::App* audit = app.add_subcommand("audit", "Verify or export the hash-chained event history");
  audit->require_subcommand(1);
  audit->option_defaults()->always_capture_default(false);  // no "=-1" or "=[]" in the help

  auto checkpoints = std::make_shared<std::string>();
  auto public_key = std::make_shared<std::string>();
  CLI::App* verify_command =
      audit->add_subcommand("verify",
                            "Check the file (SQLite), every hash chain (cases and administrative), each case's state "
                            "against its events and each document's bytes; exit 1 naming the first difference");
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
      // Only while stdout goes elsewhere (a file): lines on the same terminal would interleave.
      Progress progress(context.err, context.progress && isatty(STDOUT_FILENO) != 1, "audit export");
      LineCounter counter(context.out.rdbuf(), progress, "events");
      std::ostream out(&counter);
      if (*admin) return export_admin_log(workspace.database(), out);
      const auto only = case_number->empty() ? std::nullopt : std::optional<std::string>(*case_number);
      return export_audit(workspace.database(), only, out);
    });
  });
}

}  // namespace docket::cli
