// docket outbox list|retry|dispatch: the notifications waiting in the outbox, delivered or
// dead-lettered; putting a dead letter back; and one delivery round of the dispatcher
// (plugins/notifications, docs/notifications.md).
#include <spdlog/sinks/ostream_sink.h>
#include <CLI/CLI.hpp>

#include <memory>

#include "app.h"
#include "command_support.h"
#include "notifications/dispatcher.h"
#include "notifications/notifications_setup.h"
#include "store/outbox.h"

namespace docket::cli {
namespace {

std::string optional_time(const std::optional<Timestamp>& at) { return at ? format_timestamp(*at) : ""; }

Table outbox_table(const std::vector<OutboxEntry>& entries) {
  Table table{{{"id", true},
               {"status"},
               {"attempts", true},
               {"channel"},
               {"recipient"},
               {"case"},
               {"idempotency_key"},
               {"next_attempt_at", false, Moment::time},
               {"delivered_at", false, Moment::time},
               {"last_error"}},
              {}};
  for (const OutboxEntry& entry : entries) {
    const bool pending = entry.status == OutboxStatus::pending;
    table.rows.push_back({std::to_string(entry.id), to_string(entry.status), std::to_string(entry.attempts),
                          entry.channel, entry.recipient, entry.case_number, entry.idempotency_key(),
                          pending ? format_timestamp(entry.next_attempt_at) : "", optional_time(entry.delivered_at),
                          entry.last_error});
  }
  return table;
}

Status list(Context& context, Workspace& workspace, bool failed_only) {
  auto entries = Outbox(workspace.database()).list({failed_only, 1000});
  if (!entries) return entries.error();
  print_table(context.out, outbox_table(*entries), context.format, context.style);
  return Ok{};
}

Status retry(Context& context, Workspace& workspace, std::int64_t id) {
  auto queued = Outbox(workspace.database()).retry(id, context.clock.now());
  if (!queued) return queued.error();
  print_record(context.out,
               {{"id", std::to_string(id)},
                {"status", to_string(queued->status)},
                {"idempotency_key", queued->idempotency_key()}},
               context.format, context.style);
  return Ok{};
}

Status dispatch(Context& context, Workspace& workspace) {
  if (!workspace.notifications_config()) {
    return make_error(ErrorCode::invalid_argument,
                      "outbox dispatch needs the rules file: --notifications FILE (or DOCKET_NOTIFICATIONS)");
  }
  auto logger =
      std::make_shared<spdlog::logger>("notifications", std::make_shared<spdlog::sinks::ostream_sink_mt>(context.err));
  auto channels = load_all_channels(*workspace.notifications_config(), notifications_setup(context), logger);
  if (!channels) return channels.error();
  Outbox outbox(workspace.database());
  Dispatcher dispatcher(outbox, workspace.cases(), *workspace.notifications(),
                        workspace.notifications_config()->delivery, context.clock);
  for (auto& channel : *channels) dispatcher.add_channel(std::move(channel));
  auto report = dispatcher.dispatch_due();
  if (!report) return report.error();
  print_record(context.out,
               {{"delivered", std::to_string(report->delivered)},
                {"retried", std::to_string(report->retried)},
                {"dead", std::to_string(report->dead)}},
               context.format, context.style);
  return Ok{};
}

}  // namespace

void add_outbox_commands(CLI::App& app, Context& context) {
  CLI::App* outbox =
      app.add_subcommand("outbox", "Notifications waiting, delivered or dead-lettered: list, retry, dispatch");
  outbox->require_subcommand(1);
  outbox->option_defaults()->always_capture_default(false);

  auto failed_only = std::make_shared<bool>(false);
  CLI::App* list_command = outbox->add_subcommand("list", "List outbox messages, oldest first");
  list_command->add_flag("--failed", *failed_only, "Only dead letters and messages whose last attempt failed");
  list_command->callback([&context, failed_only] {
    with_workspace(context, [&](Workspace& s) { return list(context, s, *failed_only); });
  });

  auto id = std::make_shared<std::int64_t>(0);
  CLI::App* retry_command =
      outbox->add_subcommand("retry", "Put a dead (or waiting) message back in the queue, due now");
  retry_command->add_option("id", *id, "The message id (outbox list)")->required()->check(CLI::PositiveNumber);
  retry_command->callback(
      [&context, id] { with_workspace(context, [&](Workspace& s) { return retry(context, s, *id); }); });

  CLI::App* dispatch_command =
      outbox->add_subcommand("dispatch", "Deliver every message due now, once, and exit (needs --notifications FILE)");
  dispatch_command->callback(
      [&context] { with_workspace(context, [&](Workspace& s) { return dispatch(context, s); }); });
}

}  // namespace docket::cli
