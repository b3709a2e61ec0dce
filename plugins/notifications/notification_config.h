// What the notifications rules file (notifications.json, docs/notifications.md) says: which
// events are sent to whom on which channel, the message templates in Vietnamese and English,
// how hard the dispatcher tries, and how each channel is reached. Plain values, read by
// config_loader.h; safe to share between threads as const.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace docket {

inline constexpr const char* kEmailChannel = "email";
inline constexpr const char* kWebhookChannel = "webhook";
inline constexpr const char* kLogChannel = "log";

enum class RecipientKind {
  assignee,  // the user the case is assigned to
  role,      // the users holding `value` (a role) at the case's unit, or at its parent
  party,     // the contact of the outside body named in the case field `value`
  address,   // a fixed address (e-mail, or what an external channel understands)
  endpoint,  // a webhook endpoint, by name
};

struct RecipientSpec {
  RecipientKind kind = RecipientKind::assignee;
  std::string value;
  bool at_parent = false;  // role only: the unit above the case's unit
};

struct NotificationRule {
  std::vector<std::string> events;  // event types, e.g. "deadline.reminder"
  std::string workflow;             // optional filters; empty matches any
  std::string stage;                // the stage the case is in after the change
  std::string unit;                 // the case's unit or a unit above it
  std::string channel;
  std::string language = "vi";  // "vi" or "en"
  std::vector<RecipientSpec> recipients;
};

struct MessageTemplate {
  std::string subject;
  std::string text;
};

// event type -> language -> template
using TemplateSet = std::map<std::string, std::map<std::string, MessageTemplate>>;

struct DeliveryPolicy {
  int max_attempts = 5;                      // then the message is dead-lettered
  std::chrono::seconds initial_backoff{60};  // before the 2nd attempt; doubles each time
  std::chrono::seconds max_backoff{std::chrono::hours{6}};
  std::chrono::seconds lease{300};  // a claimed message is not due again before this
  int batch_size = 100;             // messages claimed at a time
};

enum class StartTls { when_offered, required, never };

struct SmtpSettings {
  std::string host = "127.0.0.1";
  int port = 25;
  std::string helo = "docket.localdomain";  // the name we greet the relay with
  std::string from_address;
  std::string from_name;  // UTF-8, e.g. "Ủy ban MTTQ tỉnh Ninh Bình"
  StartTls starttls = StartTls::when_offered;
  std::string ca_file;   // trust this CA for the relay (else the system's)
  std::string username;  // AUTH PLAIN, only over TLS; empty: no AUTH
  std::string password;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds command_timeout{30000};  // for each reply of the relay
};

struct WebhookEndpoint {
  std::string name;
  std::string url;      // http:// or https://
  std::string secret;   // HMAC-SHA256 key for the signature header
  std::string ca_file;  // https: trust this CA (else the system's)
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds response_timeout{10000};
};

// A channel from a shared library (docket_channel_plugin.h).
struct ChannelPluginSpec {
  std::string path;
  std::string channel;      // the name it must report, used by rules
  std::string config_json;  // handed to the plugin as is
};

struct NotificationsConfig {
  std::string link_base;                        // "{link}" is link_base + case number
  std::map<std::string, std::string> contacts;  // outside body (party field value) -> address
  std::vector<NotificationRule> rules;
  TemplateSet templates;
  DeliveryPolicy delivery;
  std::optional<SmtpSettings> email;
  std::map<std::string, WebhookEndpoint> webhooks;
  std::vector<ChannelPluginSpec> plugins;
};

}  // namespace docket
