#include "notifications/channels.h"

#include "core/text.h"
#include "notifications/log_channel.h"
#include "notifications/smtp_channel.h"
#include "notifications/webhook_channel.h"

namespace docket {

Result<std::vector<std::unique_ptr<Channel>>> load_channel_plugins(const std::vector<std::string>& paths) {
  std::vector<std::unique_ptr<Channel>> loaded;
  for (const auto& path : paths) {
    auto channel = ExternalChannel::load(path, "{}");
    if (!channel) return channel.error();
    loaded.push_back(std::move(channel.value()));
  }
  return loaded;
}

Result<std::vector<std::unique_ptr<Channel>>> make_channels(const NotificationsConfig& config,
                                                            std::shared_ptr<spdlog::logger> logger) {
  std::vector<std::unique_ptr<Channel>> channels;
  channels.push_back(std::make_unique<LogChannel>(std::move(logger)));
  if (config.email) channels.push_back(std::make_unique<SmtpChannel>(*config.email));
  if (!config.webhooks.empty()) channels.push_back(std::make_unique<WebhookChannel>(config.webhooks));
  for (const ChannelPluginSpec& spec : config.plugins) {
    auto channel = ExternalChannel::load(spec.path, spec.config_json);
    if (!channel) return channel.error();
    if ((*channel)->name() != spec.channel) {
      return make_error(ErrorCode::invalid_argument, "channel plugin " + in_quotes(spec.path) + " provides channel " +
                                                         in_quotes(std::string((*channel)->name())) + ", not " +
                                                         in_quotes(spec.channel) + " as the rules file says");
    }
    channels.push_back(std::move(channel.value()));
  }
  return channels;
}

}  // namespace docket
