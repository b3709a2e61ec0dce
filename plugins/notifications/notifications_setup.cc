#include "notifications/notifications_setup.h"

#include "core/text.h"
#include "notifications/channels.h"
#include "notifications/config_loader.h"

namespace docket {

Result<std::shared_ptr<const NotificationsConfig>> load_notifications(const NotificationsSetup& setup,
                                                                      const WorkflowCatalog& catalog) {
  auto plugins = load_channel_plugins(setup.channel_plugins);
  if (!plugins) return plugins.error();
  NotificationsLoadOptions options;
  options.catalog = &catalog;
  for (const auto& channel : *plugins) options.extra_channels.emplace_back(channel->name());
  auto loaded = load_notifications_file(setup.rules, options);
  if (loaded.config) return std::make_shared<const NotificationsConfig>(std::move(*loaded.config));
  std::string listed = describe_diagnostics(setup.rules, loaded.diagnostics);
  while (!listed.empty() && listed.back() == '\n') listed.pop_back();
  return make_error(ErrorCode::invalid_argument, "the notifications rules file " + in_quotes(setup.rules.string()) +
                                                     " has " + std::to_string(loaded.diagnostics.size()) +
                                                     " problem(s):\n" + listed);
}

Result<std::vector<std::unique_ptr<Channel>>> load_all_channels(const NotificationsConfig& config,
                                                                const NotificationsSetup& setup,
                                                                std::shared_ptr<spdlog::logger> logger) {
  auto channels = make_channels(config, std::move(logger));
  if (!channels) return channels.error();
  auto plugins = load_channel_plugins(setup.channel_plugins);
  if (!plugins) return plugins.error();
  for (auto& channel : *plugins) channels->push_back(std::move(channel));
  return channels;
}

}  // namespace docket
