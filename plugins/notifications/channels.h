// Builds the channels a rules file asks for: log always; e-mail when "channels.email" is set;
// webhook when endpoints are declared; and each external channel plugin. Thread-safe (no state).
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "notifications/channel.h"
#include "notifications/external_channel.h"
#include "notifications/notification_config.h"

namespace docket {

// Loads channel plugins named outside the rules file (--channel-plugin PATH), with config "{}".
// Their channel names are what the rules loader needs as extra channels. Errors: as
// ExternalChannel::load, naming the path.
Result<std::vector<std::unique_ptr<Channel>>> load_channel_plugins(const std::vector<std::string>& paths);

// The channels of `config`, its plugins loaded (each must report the channel name the file
// gives it). Errors: as ExternalChannel::load; invalid_argument for a name mismatch.
Result<std::vector<std::unique_ptr<Channel>>> make_channels(const NotificationsConfig& config,
                                                            std::shared_ptr<spdlog::logger> logger);

}  // namespace docket
