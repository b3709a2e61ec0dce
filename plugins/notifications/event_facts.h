// The events people can be notified about, the placeholders a message template for each may
// use ({case_number}, {stage_label}, {due}, ...) and their values for one event. The rules
// loader checks templates against placeholders_for(); the plugin fills them with
// placeholder_values(), so a template never renders a placeholder it does not have.
// Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.h"
#include "core/event.h"
#include "core/workflow.h"

namespace docket {

// case.opened, case.assigned, stage.changed, ..., deadline.reminder, deadline.breached,
// case.escalated. Not notification.delivered/failed: they are the notifications themselves.
const std::vector<std::string>& notifiable_event_types();
bool is_notifiable(std::string_view type);

// The placeholders a template for `type` may use, sorted; "link" only `with_link`.
std::vector<std::string> placeholders_for(std::string_view type, bool with_link);

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
