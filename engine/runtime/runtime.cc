#include "runtime/runtime.h"

#include "store/calendar_registry.h"
#include "store/workflow_registry.h"

namespace docket {

Runtime::Runtime(std::unique_ptr<Database> database, const Clock& clock,
                 std::shared_ptr<const NotificationsConfig> notifications)
    : database_(std::move(database)),
      clock_(clock),
      directory_(*database_),
      notifications_config_(std::move(notifications)),
      addressbook_(directory_) {
  if (notifications_config_) notifications_ = std::make_unique<NotificationsPlugin>(*notifications_config_, addressbook_);
}

Result<std::unique_ptr<Runtime>> Runtime::open(const DatabaseOptions& options, const Clock& clock,
                                               std::shared_ptr<const NotificationsConfig> notifications) {
  auto database = Database::open(options);
  if (!database) return database.error();
  std::unique_ptr<Runtime> runtime(new Runtime(std::move(database.value()), clock, std::move(notifications)));
  if (const Status loaded = runtime->reload(); !loaded) return loaded.error();
  return runtime;
}

Status Runtime::reload() {
  auto catalog = WorkflowRegistry(*database_).catalog();
  if (!catalog) return catalog.error();
  auto calendar = CalendarRegistry(*database_).calendar();
  if (!calendar) return calendar.error();
  catalog_ = std::move(catalog.value());
  calendar_ = std::move(calendar.value());
  std::vector<Plugin*> plugins{&deadlines_};
  if (notifications_) plugins.push_back(notifications_.get());
  cases_ = std::make_unique<CaseStore>(*database_, catalog_, clock_, std::move(plugins), &calendar_);
  return Ok{};
}

}  // namespace docket
