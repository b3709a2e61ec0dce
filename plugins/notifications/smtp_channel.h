// The e-mail channel: SMTP to one configured relay over Boost.Asio. Upgrades with STARTTLS
// when the relay offers it (or insists on it with "starttls": "required"), verifying the
// relay's certificate; AUTH PLAIN only over TLS. The message is composed by mime.h: UTF-8
// subject and names as RFC 2047 encoded words, a base64 UTF-8 body, and the idempotency key in
// Message-ID and X-Docket-Idempotency-Key. Replies 4xx, timeouts and connection failures are
// retried; 5xx fails at once, as does a recipient without an address ("user:<id>",
// "party:<name>"). Thread-safety: one delivery at a time per object.
#pragma once

#include <string>
#include <string_view>

#include "notifications/channel.h"
#include "notifications/notification_config.h"

namespace docket {

class SmtpChannel final : public Channel {
 public:
  explicit SmtpChannel(SmtpSettings settings) : settings_(std::move(settings)) {}

  std::string_view name() const override { return kEmailChannel; }
  DeliveryOutcome deliver(const Delivery& delivery) override;

 private:
  SmtpSettings settings_;
};

}  // namespace docket
