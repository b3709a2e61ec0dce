// Fuzz target: a notifications rules file (notifications/config_loader.h), checked against the
// built-in workflows, then every template of what loaded rendered with a value for each
// placeholder its event type has. Any input must give a config or diagnostics; a loaded
// template uses only placeholders its event type fills (the loader's promise), or the target
// aborts.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "loader/workflow_loader.h"
#include "notifications/config_loader.h"
#include "notifications/event_facts.h"
#include "notifications/message_template.h"

namespace {

const docket::WorkflowCatalog& builtin_workflows() {
  static const docket::WorkflowCatalog catalog = [] {
    docket::WorkflowCatalog loaded;
    if (!docket::load_workflow_directory(DOCKET_WORKFLOWS_DIR, loaded).empty()) std::abort();
    return loaded;
  }();
  return catalog;
}

// Renders `text` with a value for each placeholder of `type`; aborts unless the text is well
// formed and every placeholder it uses has a value.
void render_filled(std::string_view text, const std::string& type, bool with_link) {
  std::map<std::string, std::string> values;
  for (const auto& name : docket::placeholders_for(type, with_link)) values[name] = "value";
  const auto placeholders = docket::template_placeholders(text);
  if (!placeholders.ok()) {
    std::fprintf(stderr, "a loaded template of %s is malformed: %s\n", type.c_str(),
                 placeholders.error().message.c_str());
    std::abort();
  }
  for (const auto& name : placeholders.value()) {
    if (values.count(name) > 0) continue;
    std::fprintf(stderr, "a loaded template of %s uses {%s}, which it has no value for\n", type.c_str(), name.c_str());
    std::abort();
  }
  docket::render_template(text, values);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  docket::NotificationsLoadOptions options;
  options.catalog = &builtin_workflows();
  options.environment = [](const std::string& name) -> std::optional<std::string> {
    if (name.empty() || name.front() == 'X') return std::nullopt;
    return "secret";
  };
  options.base_dir = "/nonexistent";
  const docket::LoadedNotifications loaded = docket::parse_notifications(json, options);
  docket::describe_diagnostics("rules.json", loaded.diagnostics);
  if (!loaded.config) return 0;
  const bool with_link = !loaded.config->link_base.empty();
  for (const auto& [type, languages] : loaded.config->templates) {
    for (const auto& [language, message] : languages) {
      render_filled(message.subject, type, with_link);
      render_filled(message.text, type, with_link);
    }
  }
  return 0;
}
