// docket audit verify|export: the tamper-evident history (store/audit.h, docs/audit.md).
#include <CLI/CLI.hpp>

#include <memory>

#include "app.h"
#include "command_support.h"
#include "store/audit.h"

namespace docket::cli {
namespace {

Status verify(Context& context, Workspace& workspace) {
  DOCKET_TRY(verified, verify_audit(workspace.database()));
  const AuditReport& report = *verified;
  if (!report.ok) {
    context.err << "docket: audit_broken: event " << report.seq << " (case " << report.case_number << ", sequence "
                << report.case_seq << ") is broken: " << report.problem << "\n";
    context.exit_code = kExitRefused;
    return Ok{};
  }
  context.out << report.events_checked << " events verified\n";
  return Ok{};
}

}  // namespace

void add_audit_commands(CLI::App& app, Context& context) {
  CLI::App* audit = app.add_subcommand("audit", "Verify or export the hash-chained event history");
  audit->require_subcommand(1);
  audit->option_defaults()->always_capture_default(false);  // no "=-1" or "=[]" in the help

  audit->add_subcommand("verify", "Recompute every hash chain; exit 1 naming the first broken event")
      ->callback([&context] { with_workspace(context, [&](Workspace& s) { return verify(context, s); }); });

  auto case_number = std::make_shared<std::string>();
  CLI::App* export_command = audit->add_subcommand("export", "Every event as JSON Lines, with its hashes");
  export_command->add_option("--case", *case_number, "Only this case's events");
  export_command->callback([&context, case_number] {
    with_workspace(context, [&](Workspace& workspace) {
      const auto only = case_number->empty() ? std::nullopt : std::optional<std::string>(*case_number);
      return export_audit(workspace.database(), only, context.out);
    });
  });
}

}  // namespace docket::cli
