#include "notifications/notifications_plugin.h"

#include <algorithm>
#include <map>
#include <set>

#include "notifications/event_facts.h"
#include "notifications/message_template.h"
#include "notifications/notification_message.h"

namespace docket {
namespace {

constexpr int kMaxUnitDepth = 32;  // guards the walk up the unit tree against a cycle

// The message one recipient will get on one channel from this change, being put together.
struct Draft {
  NotificationMessage message;
  std::set<std::size_t> events;  // indexes into the change's events already told
};

using Drafts = std::map<std::pair<std::string, std::string>, Draft>;  // (channel, address)

bool within(const std::string& unit, const std::string& ancestor, PluginContext& context) {
  std::optional<std::string> current = unit;
  for (int depth = 0; current && depth < kMaxUnitDepth; ++depth) {
    if (*current == ancestor) return true;
    current = context.parent_unit(*current);
  }
  return false;
}

struct Rendered {
  std::string subject;
  std::string text;
};

Rendered render(const MessageTemplate& message, const std::map<std::string, std::string>& values) {
  return {render_template(message.subject, values), render_template(message.text, values)};
}

NotificationMessage new_message(const Case& after, const std::string& language, const std::string& link_base) {
  NotificationMessage message;
  message.case_number = after.number;
  message.title = after.title;
  message.workflow = after.workflow_id;
  message.stage = after.stage;
  message.unit = after.unit;
  message.language = language;
  message.link = link_base.empty() ? "" : link_base + after.number;
  return message;
}

}  // namespace

Result<std::vector<Command>> NotificationsPlugin::after_change(const CaseChange& change, PluginContext& context) {
  Drafts drafts;
  for (std::size_t i = 0; i < change.events.size(); ++i) {
    const Event& event = change.events[i];
    const std::string type = event_type(event.payload);
    if (!is_notifiable(type)) continue;
    // A reminder skipped because its deadline had passed has nothing to tell anyone.
    if (const auto* reminder = std::get_if<DeadlineReminded>(&event.payload); reminder && !reminder->skipped.empty())
      continue;
    for (const NotificationRule& rule : config_.rules) {
      if (!matches(rule, type, change.after, context)) continue;
      const MessageTemplate* message = find_template(type, rule.language);
      if (message == nullptr) continue;  // the loader refuses such rules; a hand-made config may not
      const FactContext facts{change.after, change.definition, rule.language, config_.link_base};
      const Rendered rendered = render(*message, placeholder_values(event, facts));
      for (const RecipientSpec& spec : rule.recipients) {
        DOCKET_TRY(recipients, resolve(rule, spec, change.after, context));
        for (const Recipient& recipient : *recipients) {
          auto [slot, fresh] = drafts.try_emplace({rule.channel, recipient.address});
          Draft& draft = slot->second;
          if (fresh) {
            draft.message = new_message(change.after, rule.language, config_.link_base);
            draft.message.recipient_name = recipient.name;
            draft.message.subject = rendered.subject;
          }
          if (!draft.events.insert(i).second) continue;  // told already, through another rule
          draft.message.events.push_back(type);
          draft.message.text += (draft.message.text.empty() ? "" : "\n\n") + rendered.text;
        }
      }
    }
  }
  for (const auto& [where, draft] : drafts)
    context.enqueue(OutgoingMessage{0, where.first, where.second, to_json(draft.message)});
  return std::vector<Command>{};
}

std::vector<OutgoingMessage> NotificationsPlugin::checkpoint_messages(const CheckpointFacts& facts,
                                                                      const std::string& file_text) const {
  const std::string type(kCheckpointEvent);
  std::map<std::pair<std::string, std::string>, NotificationMessage> messages;  // (channel, address)
  for (const NotificationRule& rule : config_.rules) {
    if (std::find(rule.events.begin(), rule.events.end(), type) == rule.events.end()) continue;
    if (!rule.unit.empty() && rule.unit != facts.unit) continue;
    const MessageTemplate* message = find_template(type, rule.language);
    if (message == nullptr) continue;
    const Rendered rendered = render(*message, checkpoint_values(facts, rule.language));
    for (const RecipientSpec& spec : rule.recipients) {
      if (spec.kind != RecipientKind::address && spec.kind != RecipientKind::endpoint) continue;  // loader refuses
      auto [slot, fresh] = messages.try_emplace({rule.channel, spec.value});
      if (!fresh) continue;  // one copy per channel and recipient
      NotificationMessage& made = slot->second;
      made.unit = facts.unit;
      made.language = rule.language;
      made.events = {type};
      made.subject = rendered.subject;
      made.text = rendered.text;
      made.attachment_name = facts.file_name;
      made.attachment = file_text;
    }
  }
  std::vector<OutgoingMessage> queued;
  for (const auto& [where, message] : messages) queued.push_back({0, where.first, where.second, to_json(message)});
  return queued;
}

const MessageTemplate* NotificationsPlugin::find_template(const std::string& type, const std::string& language) const {
  const auto by_type = config_.templates.find(type);
  if (by_type == config_.templates.end()) return nullptr;
  const auto found = by_type->second.find(language);
  return found != by_type->second.end() ? &found->second : nullptr;
}

bool NotificationsPlugin::matches(const NotificationRule& rule, const std::string& type, const Case& after,
                                  PluginContext& context) const {
  if (std::find(rule.events.begin(), rule.events.end(), type) == rule.events.end()) return false;
  if (!rule.workflow.empty() && rule.workflow != after.workflow_id) return false;
  if (!rule.stage.empty() && rule.stage != after.stage) return false;
  return rule.unit.empty() || within(after.unit, rule.unit, context);
}

Result<std::vector<NotificationsPlugin::Recipient>> NotificationsPlugin::resolve(const NotificationRule& rule,
                                                                                 const RecipientSpec& spec,
                                                                                 const Case& after,
                                                                                 PluginContext& context) {
  std::vector<Recipient> found;
  switch (spec.kind) {
    case RecipientKind::assignee:
      if (!after.assignee.empty()) {
        DOCKET_TRY(recipient, user_recipient(rule.channel, after.assignee));
        found.push_back(std::move(recipient.value()));
      }
      break;
    case RecipientKind::role: {
      const auto unit = spec.at_parent ? context.parent_unit(after.unit) : std::optional<std::string>(after.unit);
      if (!unit) break;
      DOCKET_TRY(users, addressbook_.users_with_role(*unit, spec.value));
      for (const auto& user : *users) {
        DOCKET_TRY(recipient, user_recipient(rule.channel, user));
        found.push_back(std::move(recipient.value()));
      }
      break;
    }
    case RecipientKind::party: {
      const auto value = after.fields.find(spec.value);
      if (value == after.fields.end() || value->second.empty()) break;
      const std::string address = party_address(value->second);
      found.push_back({address.empty() ? "party:" + value->second : address, value->second});
      break;
    }
    case RecipientKind::address:
    case RecipientKind::endpoint:
      found.push_back({spec.value, ""});
      break;
  }
  return found;
}

Result<NotificationsPlugin::Recipient> NotificationsPlugin::user_recipient(const std::string& channel,
                                                                           const std::string& user) {
  DOCKET_TRY(name, addressbook_.name(user));
  if (channel != kEmailChannel) return Recipient{user, *name};
  DOCKET_TRY(email, addressbook_.email(user));
  return Recipient{email->empty() ? "user:" + user : *email, *name};
}

// "Sở Tư pháp <vanthu@stp.gov.vn>" carries its own address; otherwise the contacts list.
std::string NotificationsPlugin::party_address(const std::string& party) const {
  const auto open = party.rfind('<');
  const auto close = party.rfind('>');
  if (open != std::string::npos && close != std::string::npos && open < close) {
    const std::string inside = party.substr(open + 1, close - open - 1);
    if (inside.find('@') != std::string::npos && inside.find_first_of(" \r\n") == std::string::npos) return inside;
  }
  const auto listed = config_.contacts.find(party);
  return listed != config_.contacts.end() ? listed->second : "";
}

}  // namespace docket
