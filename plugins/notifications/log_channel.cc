#include "notifications/log_channel.h"

namespace docket {

DeliveryOutcome LogChannel::deliver(const Delivery& delivery) {
  std::string events;
  for (const auto& type : delivery.message.events) events += (events.empty() ? "" : ",") + type;
  logger_->info("notification {} to {} [{}] {}: {}", delivery.idempotency_key, delivery.recipient, events,
                delivery.message.case_number, delivery.message.subject);
  return {DeliveryStatus::delivered, "logged"};
}

}  // namespace docket
