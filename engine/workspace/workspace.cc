#include "workspace/workspace.h"

#include "store/calendar_registry.h"
#include "store/outbox.h"
#include "store/workflow_registry.h"

namespace docket {

Workspace::Workspace(std::unique_ptr<Database> database, const Clock& clock)
    : database_(std::move(database)),
      clock_(clock),
      directory_(*database_, clock),
      access_(directory_, catalog_),
      addressbook_(directory_) {}

Result<std::unique_ptr<Workspace>> Workspace::open(const DatabaseOptions& options, const Clock& clock,
                                                   std::shared_ptr<const NotificationsConfig> notifications) {
  auto database = Database::open(options);
  if (!database) return database.error();
  std::unique_ptr<Workspace> workspace(new Workspace(std::move(database.value()), clock));
  if (const Status loaded = workspace->reload(); !loaded) return loaded.error();
  if (notifications) workspace->enable_notifications(std::move(notifications));
  return workspace;
}

Status Workspace::reload() {
  auto catalog = WorkflowRegistry(*database_, clock_).catalog();
  if (!catalog) return catalog.error();
  auto calendar = CalendarRegistry(*database_, clock_).calendar();
  if (!calendar) return calendar.error();
  catalog_ = std::move(catalog.value());
  calendar_ = std::move(calendar.value());
  wire_cases();
  return Ok{};
}

void Workspace::enable_notifications(std::shared_ptr<const NotificationsConfig> config) {
  notifications_config_ = std::move(config);
  notifications_ = std::make_unique<NotificationsPlugin>(*notifications_config_, addressbook_);
  wire_cases();
}

void Workspace::wire_cases() {
  std::vector<Plugin*> plugins{&deadlines_};
  if (notifications_) plugins.push_back(notifications_.get());
  cases_ = std::make_unique<CaseStore>(*database_, catalog_, clock_, std::move(plugins), &calendar_);
}

Result<IssuedCheckpoint> issue_checkpoint(Workspace& workspace, const SigningKey& key, const std::string& unit,
                                          const std::filesystem::path& folder) {
  const Timestamp now = workspace.clock().now();
  DOCKET_TRY(written, write_checkpoint(workspace.database(), key, unit, now, folder));
  IssuedCheckpoint issued{std::move(written.value()), 0};
  const NotificationsPlugin* notifications = workspace.notifications();
  if (notifications == nullptr) return issued;
  const Checkpoint& made = issued.written.checkpoint;
  CheckpointFacts facts{
      made.unit, "", now, made.log_seq, made.event_count, made.case_count, issued.written.file.filename().string()};
  if (auto signer = workspace.directory().unit(made.unit)) facts.unit_name = signer->name;
  const std::vector<OutgoingMessage> messages = notifications->checkpoint_messages(facts, checkpoint_text(made));
  if (messages.empty()) return issued;
  const std::string topic = issued.written.file.stem().string();
  Outbox outbox(workspace.database());
  const Status queued = workspace.database().write([&]() -> Status {
    for (const OutgoingMessage& message : messages) {
      if (Status added = outbox.add_about(topic, message, now); !added) return added;
    }
    return Ok{};
  });
  if (!queued) {
    return make_error(queued.error().code,
                      "checkpoint " + issued.written.file.string() +
                          " was written but not queued for the level above: " + queued.error().message);
  }
  issued.queued = static_cast<int>(messages.size());
  return issued;
}

}  // namespace docket
