// Reads a notifications rules file (format: docs/notifications.md). Every problem is reported
// with its JSON path, as for workflow files: unknown keys, unknown event types or channels,
// recipients a channel cannot reach, templates using a placeholder their event type does not
// have, and rules whose event has no template in the rule's language. A file with errors
// gives no config: a message is never sent with a blank where a placeholder should be.
// Thread-safe (no shared state; the environment is read through `environment`).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/workflow_catalog.h"
#include "core/workflow_validator.h"
#include "notifications/notification_config.h"

namespace docket {

struct NotificationsLoadOptions {
  // Channels added outside the file (external plugins named on the command line).
  std::vector<std::string> extra_channels;
  // When given, workflow, stage, role and party-field names in rules must exist in it.
  const WorkflowCatalog* catalog = nullptr;
  // Secrets named by "secret_env"/"password_env" are read through this (default: getenv).
  std::function<std::optional<std::string>(const std::string&)> environment;
  // Relative plugin paths and CA files are read from here (load_notifications_file: the
  // file's folder).
  std::filesystem::path base_dir;
};

struct LoadedNotifications {
  std::optional<NotificationsConfig> config;  // set only when there are no errors
  std::vector<Diagnostic> diagnostics;
};

LoadedNotifications parse_notifications(std::string_view json, const NotificationsLoadOptions& options);
LoadedNotifications load_notifications_file(const std::filesystem::path& path, NotificationsLoadOptions options);

// "<file>: <path>: <message>" per diagnostic, one per line.
std::string describe_diagnostics(const std::filesystem::path& file, const std::vector<Diagnostic>& diagnostics);

}  // namespace docket
