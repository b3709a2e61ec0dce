// Internal to the config loader: reads and checks the "rules" and "templates" sections.
// Not thread-safe: one reader per document.
#pragma once

#include <rapidjson/document.h>

#include <set>
#include <string>
#include <vector>

#include "core/workflow_catalog.h"
#include "loader/json_reader.h"
#include "notifications/notification_config.h"

namespace docket {

// What the rest of the file declares, for checking rules against it.
struct RuleContext {
  std::set<std::string> channels;   // every channel a rule may name
  std::set<std::string> endpoints;  // webhook endpoint names
  const WorkflowCatalog* catalog = nullptr;
};

std::vector<NotificationRule> read_rules(JsonReader& in, const rapidjson::Value& root, const RuleContext& context);

// `with_link`: the file has a link_base, so templates may use {link}.
TemplateSet read_templates(JsonReader& in, const rapidjson::Value& root, bool with_link);

// Every event of every rule has a template in the rule's language.
void check_templates_cover_rules(JsonReader& in, const std::vector<NotificationRule>& rules,
                                 const TemplateSet& templates);

}  // namespace docket
