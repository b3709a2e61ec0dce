// The body of an outbox message: what the plugin rendered for one recipient from one change,
// as JSON. The dispatcher reads it back to build the webhook document, the e-mail or the log
// line. Plain values; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace docket {

struct NotificationMessage {
  std::string case_number;
  std::string title;
  std::string workflow;  // id
  std::string stage;     // id, after the change
  std::string unit;
  std::string language;             // "vi" or "en"
  std::string link;                 // empty without a link_base
  std::vector<std::string> events;  // the event types it tells about, in order
  std::string recipient_name;       // empty for fixed addresses and endpoints
  std::string subject;
  std::string text;
  // A file sent with the message (a signed checkpoint): its name and its UTF-8 text; the e-mail
  // channel attaches it, the webhook document carries it as "attachment": {"name", "text"}.
  std::string attachment_name;  // empty: none
  std::string attachment;
};

// Compact JSON with the members above ("attachment" only when there is one). With a non-empty
// `idempotency_key` it is the first member (the webhook document).
std::string to_json(const NotificationMessage& message, const std::string& idempotency_key = "");

// invalid_argument when `json` is not such a document.
Result<NotificationMessage> parse_notification_message(const std::string& json);

}  // namespace docket
