// What a process loads once at start to send notifications: the rules file, checked against
// the installed workflows and against the channels that plugins named on the command line add,
// and then the channels a dispatcher delivers through. Used by `docket serve` and by the CLI.
// Thread-safe (no shared state).
#pragma once

#include <spdlog/logger.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/workflow_catalog.h"
#include "notifications/channel.h"
#include "notifications/notification_config.h"

namespace docket {

struct NotificationsSetup {
  std::filesystem::path rules;               // the rules file (docs/notifications.md)
  std::vector<std::string> channel_plugins;  // libraries adding channels (--channel-plugin)
};

// Loads the channel plugins (to learn their channel names) and the rules file. Errors:
// invalid_argument whose message lists every problem of the file, one "<file>: <path>:
// <message>" per line; not_found or invalid_argument for a plugin that cannot be loaded.
Result<std::shared_ptr<const NotificationsConfig>> load_notifications(const NotificationsSetup& setup,
                                                                      const WorkflowCatalog& catalog);

// Every channel a dispatcher needs for `config`: log, e-mail and webhook as configured, the
// plugins the rules file names and those of `setup.channel_plugins`.
Result<std::vector<std::unique_ptr<Channel>>> load_all_channels(const NotificationsConfig& config,
                                                                const NotificationsSetup& setup,
                                                                std::shared_ptr<spdlog::logger> logger);

}  // namespace docket
