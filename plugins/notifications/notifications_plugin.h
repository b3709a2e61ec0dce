// The notifications plugin: inside the transaction of every change to a case, matches the
// rules against the change's events and queues one message per channel and recipient in the
// outbox (PluginContext::enqueue), rendered from the templates in the rule's language. It never
// sends anything: the dispatcher (dispatcher.h) delivers after commit, so a change that rolls
// back leaves nothing to send.
//
// One change gives a recipient at most one message per channel: when several of its events
// match (a breach and the escalation it causes), the message's subject is that of the first
// and its text tells each in turn. Its idempotency key is "<newest event seq of the change>:
// <channel>:<recipient>".
//
// Recipients on the e-mail channel are e-mail addresses; a user without one becomes
// "user:<id>", which the e-mail channel refuses (so the failure shows in the case history).
// On other channels users are their ids. Deliveries themselves (notification.*) are never
// notified about. Register it after the deadlines plugin so it sees the deadline events a
// change produces. Thread-safety: one call at a time, as the store makes them.
#pragma once

#include <string_view>

#include "notifications/addressbook.h"
#include "notifications/event_facts.h"
#include "notifications/notification_config.h"
#include "plugin/plugin.h"

namespace docket {

class NotificationsPlugin final : public Plugin {
 public:
  static constexpr std::string_view kName = "notifications";

  // `config` (loaded without errors) and `addressbook` must outlive the plugin.
  NotificationsPlugin(const NotificationsConfig& config, Addressbook& addressbook)
      : config_(config), addressbook_(addressbook) {}

  std::string_view name() const override { return kName; }
  Result<std::vector<Command>> after_change(const CaseChange& change, PluginContext& context) override;
  // The messages the audit.checkpoint rules ask for about one signed checkpoint, one per
  // channel and recipient, each carrying the checkpoint file (`file_text`) as its attachment;
  // for the caller to queue with Outbox::add_about under the file's name. A rule with a unit
  // applies only to checkpoints that unit signs.
  std::vector<OutgoingMessage> checkpoint_messages(const CheckpointFacts& facts, const std::string& file_text) const;

  // It schedules no timers.
  Result<std::vector<Command>> on_timer(const Timer&, const WorkflowDefinition&, const Case&, PluginContext&) override {
    return std::vector<Command>{};
  }

 private:
  struct Recipient {
    std::string address;
    std::string name;
  };

  const MessageTemplate* find_template(const std::string& type, const std::string& language) const;
  bool matches(const NotificationRule& rule, const std::string& type, const Case& after, PluginContext& context) const;
  // The recipients `spec` names for this change. Errors: the addressbook's.
  Result<std::vector<Recipient>> resolve(const NotificationRule& rule, const RecipientSpec& spec, const Case& after,
                                         PluginContext& context);
  Result<Recipient> user_recipient(const std::string& channel, const std::string& user);
  std::string party_address(const std::string& party) const;

  const NotificationsConfig& config_;
  Addressbook& addressbook_;
};

}  // namespace docket
