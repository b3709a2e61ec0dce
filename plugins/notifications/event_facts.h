// The events people can be notified about, the placeholders a message template for each may
// use ({case_number}, {stage_label}, {due}, ...) and their values for one event. The rules
// loader checks templates against placeholders_for(); the plugin fills them with
// placeholder_values(), so a template never renders a placeholder it does not have.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.h"
#include "core/event.h"
#include "core/time.h"
#include "core/workflow.h"

namespace docket {

// A signed checkpoint of the audit chains was made (store/checkpoint.h): not an event of a case,
// but notified like one, to the level above that keeps it.
inline constexpr std::string_view kCheckpointEvent = "audit.checkpoint";

// case.opened, case.assigned, stage.changed, ..., deadline.reminder, deadline.breached,
// case.escalated, and audit.checkpoint. Not notification.delivered/failed: they are the
// notifications themselves.
const std::vector<std::string>& notifiable_event_types();
bool is_notifiable(std::string_view type);

// The placeholders a template for `type` may use, sorted; "link" only `with_link` (and never for
// audit.checkpoint, which has no case to link to).
std::vector<std::string> placeholders_for(std::string_view type, bool with_link);

// What a message about a signed checkpoint tells.
struct CheckpointFacts {
  std::string unit;       // the unit that signed, by id
  std::string unit_name;  // and by name
  Timestamp at{};
  std::int64_t log_seq = 0;  // the case log's newest event it covers
  std::int64_t event_count = 0;
  std::int64_t case_count = 0;
  std::string file_name;  // "checkpoint-20261207T015000Z-42.json"
};

// A value for every placeholder of placeholders_for("audit.checkpoint"), in `language`.
std::map<std::string, std::string> checkpoint_values(const CheckpointFacts& facts, const std::string& language);

struct FactContext {
  const Case& after;  // the case as the change left it
  const WorkflowDefinition& definition;
  const std::string& language;   // "vi" or "en": labels and dates are written in it
  const std::string& link_base;  // empty: no {link}
};

// A value for every placeholder of placeholders_for(event's type, !link_base.empty()).
// Empty values read "(none)" / "(không có)", never a blank.
std::map<std::string, std::string> placeholder_values(const Event& event, const FactContext& context);

}  // namespace docket
