// A delivery channel: one way of getting a rendered message to a recipient (webhook, e-mail,
// log, or a channel from a shared library). The dispatcher hands it one message at a time and
// acts on the outcome: delivered, retry later, or failed for good.
// Thread-safety: a channel is used by one dispatcher thread at a time.
#pragma once

#include <string>
#include <string_view>

#include "core/time.h"
#include "notifications/notification_message.h"

namespace docket {

struct Delivery {
  std::string idempotency_key;  // "<event seq>:<channel>:<recipient>", carried to the receiver
  std::string recipient;        // address, endpoint name or user id, as the plugin resolved it
  NotificationMessage message;
  int attempt = 1;  // 1 for the first try
  Timestamp now{};  // the dispatcher's clock
};

enum class DeliveryStatus {
  delivered,  // the receiver took it
  retry,      // a transient failure: timeout, connection refused, HTTP 429/5xx, SMTP 4xx
  failed,     // it will never work as it is: HTTP 4xx, SMTP 5xx, no address for the recipient
};

struct DeliveryOutcome {
  DeliveryStatus status = DeliveryStatus::failed;
  std::string detail;  // what the receiver said or what went wrong, one line
};

class Channel {
 public:
  virtual ~Channel() = default;
  virtual std::string_view name() const = 0;
  // Tries once; blocks no longer than the channel's timeouts. Does not throw.
  virtual DeliveryOutcome deliver(const Delivery& delivery) = 0;
};

}  // namespace docket
