// The webhook channel: POSTs the message as JSON to a named endpoint over HTTP or HTTPS
// (Boost.Beast; HTTPS through OpenSSL, verifying the certificate and host name). Every request
// carries "Idempotency-Key: <key>" and "X-Docket-Signature: sha256=<hex>", the HMAC-SHA256 of
// the exact body bytes under the endpoint's secret. 2xx is delivered; 429 and 5xx, timeouts and
// connection failures are retried; any other status fails at once. Redirects are not followed.
// Thread-safety: one delivery at a time per object.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "notifications/channel.h"
#include "notifications/notification_config.h"

namespace docket {

inline constexpr const char* kSignatureHeader = "X-Docket-Signature";
inline constexpr const char* kIdempotencyHeader = "Idempotency-Key";

// "sha256=" + lowercase hex of HMAC-SHA256(secret, body).
std::string webhook_signature(std::string_view secret, std::string_view body);

class WebhookChannel final : public Channel {
 public:
  explicit WebhookChannel(std::map<std::string, WebhookEndpoint> endpoints) : endpoints_(std::move(endpoints)) {}

  std::string_view name() const override { return kWebhookChannel; }
  // The recipient names the endpoint; an unknown one fails.
  DeliveryOutcome deliver(const Delivery& delivery) override;

 private:
  std::map<std::string, WebhookEndpoint> endpoints_;
};

}  // namespace docket
