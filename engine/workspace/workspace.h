// A workspace: one open connection to a Docket database with everything that works through it
// (the installed workflows and calendar, the directory, the access policy, the built-in plugins:
// deadlines always, notifications when rules are given) and the case store wired to them. The
// CLI opens one per command; the server one per storage and I/O thread (a connection is used by
// one thread only).
// Thread-safety: none; owned by one thread.
#pragma once

#include <memory>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/workflow_catalog.h"
#include "deadlines/deadlines_plugin.h"
#include "notifications/directory_addressbook.h"
#include "notifications/notification_config.h"
#include "notifications/notifications_plugin.h"
#include "store/access_policy.h"
#include "store/case_store.h"
#include "store/checkpoint.h"
#include "store/database.h"
#include "store/directory.h"

namespace docket {

class Workspace {
 public:
  // Opens the database (migrating it) and reads its workflows and calendar. With
  // `notifications` (rules loaded without errors), every change made through this workspace also
  // queues its messages in the outbox, in the change's own transaction.
  static Result<std::unique_ptr<Workspace>> open(const DatabaseOptions& options, const Clock& clock,
                                                 std::shared_ptr<const NotificationsConfig> notifications = nullptr);

  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  Database& database() { return *database_; }
  const WorkflowCatalog& catalog() const { return catalog_; }
  const Calendar& calendar() const { return calendar_; }
  Directory& directory() { return directory_; }
  // Who may read which case, over this workspace's directory and workflows.
  AccessPolicy& access() { return access_; }
  CaseStore& cases() { return *cases_; }
  DeadlinesPlugin& deadlines() { return deadlines_; }
  // Turns on the notifications plugin for the changes made from now on (for rules that had to
  // be checked against this workspace's catalog first). `config` must be loaded without errors.
  void enable_notifications(std::shared_ptr<const NotificationsConfig> config);
  // The notifications plugin, or null when the workspace was opened without rules.
  NotificationsPlugin* notifications() { return notifications_.get(); }
  // The rules the notifications plugin follows, or null when none were given.
  const std::shared_ptr<const NotificationsConfig>& notifications_config() const { return notifications_config_; }
  const Clock& clock() const { return clock_; }

  // Reads the installed workflows and calendar again (after init or calendar reload).
  Status reload();

 private:
  Workspace(std::unique_ptr<Database> database, const Clock& clock);
  // (Re)builds the case store over the current catalog, calendar and plugins.
  void wire_cases();

  std::unique_ptr<Database> database_;
  const Clock& clock_;
  WorkflowCatalog catalog_;
  Calendar calendar_;
  Directory directory_;
  AccessPolicy access_;  // over directory_ and catalog_
  DeadlinesPlugin deadlines_;
  std::shared_ptr<const NotificationsConfig> notifications_config_;
  DirectoryAddressbook addressbook_;
  std::unique_ptr<NotificationsPlugin> notifications_;  // after deadlines_: it sees their events
  std::unique_ptr<CaseStore> cases_;
};

// A signed checkpoint (store/checkpoint.h) written into a folder and, when the workspace's
// notification rules send audit.checkpoint anywhere, queued in the outbox for the level above.
struct IssuedCheckpoint {
  WrittenCheckpoint written;
  int queued = 0;  // outbox messages carrying it
};

// Reads the heads of the chains now, signs them for `unit` with `key`, writes the file into
// `folder`, then queues one message per checkpoint rule recipient (topic: the file's name) with
// the file attached. Errors: those of write_checkpoint; busy or storage when the messages cannot
// be queued (the file is written all the same, and the message says so).
Result<IssuedCheckpoint> issue_checkpoint(Workspace& workspace, const SigningKey& key, const std::string& unit,
                                          const std::filesystem::path& folder);

}  // namespace docket
