// The log channel: one spdlog line per message, for installs without mail or webhooks (and
// as a trace beside them). Always delivers. Thread-safety: as the logger (spdlog's are).
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <string_view>

#include "notifications/channel.h"
#include "notifications/notification_config.h"

namespace docket {

class LogChannel final : public Channel {
 public:
  // REQUIRES: logger is not null.
  explicit LogChannel(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {}

  std::string_view name() const override { return kLogChannel; }
  // "notification <key> to <recipient> [<event types>] <case>: <subject>"
  DeliveryOutcome deliver(const Delivery& delivery) override;

 private:
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace docket
