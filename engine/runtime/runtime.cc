#include "runtime/runtime.h"

#include "store/calendar_registry.h"
#include "store/workflow_registry.h"

namespace docket {

Runtime::Runtime(std::unique_ptr<Database> database, const Clock& clock)
    : database_(std::move(database)), clock_(clock), directory_(*database_) {}

Result<std::unique_ptr<Runtime>> Runtime::open(const DatabaseOptions& options, const Clock& clock) {
  auto database = Database::open(options);
  if (!database) return database.error();
  std::unique_ptr<Runtime> runtime(new Runtime(std::move(database.value()), clock));
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
  cases_ = std::make_unique<CaseStore>(*database_, catalog_, clock_, std::vector<Plugin*>{&deadlines_}, &calendar_);
  return Ok{};
}

}  // namespace docket
