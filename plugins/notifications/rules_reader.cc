#include "notifications/rules_reader.h"

#include <algorithm>

#include "notifications/event_facts.h"
#include "notifications/message_template.h"

namespace docket {
namespace {

using rapidjson::Value;

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

std::string joined(const std::set<std::string>& names) {
  return joined(std::vector<std::string>(names.begin(), names.end()));
}

// Reads one rule and checks it against the file and, when known, the workflows.
class RuleReader {
 public:
  RuleReader(JsonReader& in, const RuleContext& context) : in_(in), context_(context) {}

  NotificationRule read(const Value& v, const std::string& path) {
    NotificationRule rule;
    if (!in_.object(v, path, {"events", "workflow", "stage", "unit", "channel", "language", "recipients"},
                    {"events", "channel", "recipients"})) {
      return rule;
    }
    rule.events = in_.strings(v, "events", path);
    rule.workflow = in_.string(v, "workflow", path);
    rule.stage = in_.string(v, "stage", path);
    rule.unit = in_.string(v, "unit", path);
    rule.channel = in_.string(v, "channel", path);
    if (v.HasMember("language")) rule.language = in_.string(v, "language", path);
    check_events(rule, path);
    if (about_checkpoints(rule)) check_checkpoint_rule(v, rule, path);
    check_scope(rule, path);
    check_channel(rule, path);
    if (rule.language != "vi" && rule.language != "en")
      in_.error(path + ".language", in_quotes(rule.language) + " is not one of: vi, en");
    rule.recipients = in_.list<RecipientSpec>(
        v, "recipients", path, [&](const Value& r, const std::string& where) { return recipient(r, where, rule); });
    if (v.HasMember("recipients") && v["recipients"].IsArray() && v["recipients"].Empty())
      in_.error(path + ".recipients", "a rule needs at least one recipient");
    return rule;
  }

 private:
  void check_events(const NotificationRule& rule, const std::string& path) {
    if (rule.events.empty()) in_.error(path + ".events", "a rule needs at least one event type");
    for (std::size_t i = 0; i < rule.events.size(); ++i) {
      if (is_notifiable(rule.events[i])) continue;
      const std::string why =
          rule.events[i].rfind("notification.", 0) == 0 ? " (deliveries are not notified about)" : "";
      in_.error(path + ".events[" + std::to_string(i) + "]", "unknown event type " + in_quotes(rule.events[i]) + why +
                                                                 "; known: " + joined(notifiable_event_types()));
    }
  }

  static bool about_checkpoints(const NotificationRule& rule) {
    return std::find(rule.events.begin(), rule.events.end(), kCheckpointEvent) != rule.events.end();
  }

  // A checkpoint is about no case: its rule names no case event, workflow or stage, and sends to
  // the level above at a fixed address or endpoint (recipient() checks the kinds).
  void check_checkpoint_rule(const Value& v, const NotificationRule& rule, const std::string& path) {
    if (rule.events.size() > 1)
      in_.error(path + ".events", "audit.checkpoint is about no case: give it a rule of its own, without case events");
    for (const char* scope : {"workflow", "stage"}) {
      if (v.HasMember(scope))
        in_.error(path + "." + scope, std::string("a checkpoint has no ") + scope + ": leave it out of this rule");
    }
  }

  // The workflows the rule can apply to: its own, or all.
  std::vector<const WorkflowDefinition*> workflows(const NotificationRule& rule) const {
    if (context_.catalog == nullptr) return {};
    if (rule.workflow.empty()) return context_.catalog->latest_of_each();
    const WorkflowDefinition* one = context_.catalog->latest(rule.workflow);
    return one != nullptr ? std::vector<const WorkflowDefinition*>{one} : std::vector<const WorkflowDefinition*>{};
  }

  void check_scope(const NotificationRule& rule, const std::string& path) {
    if (context_.catalog == nullptr) return;
    if (!rule.workflow.empty() && context_.catalog->latest(rule.workflow) == nullptr) {
      std::vector<std::string> ids;
      for (const auto* definition : context_.catalog->latest_of_each()) ids.push_back(definition->id);
      in_.error(path + ".workflow",
                "unknown workflow " + in_quotes(rule.workflow) + " (installed: " + joined(ids) + ")");
      return;
    }
    const auto candidates = workflows(rule);
    if (!rule.stage.empty() &&
        std::none_of(candidates.begin(), candidates.end(), [&](auto* d) { return d->stage(rule.stage) != nullptr; })) {
      in_.error(path + ".stage", "no stage " + in_quotes(rule.stage) + " in " +
                                     (rule.workflow.empty() ? "any workflow" : rule.workflow));
    }
  }

  void check_channel(const NotificationRule& rule, const std::string& path) {
    if (rule.channel.empty() || context_.channels.count(rule.channel)) return;
    in_.error(path + ".channel",
              "unknown channel " + in_quotes(rule.channel) + " (configured: " + joined(context_.channels) + ")");
  }

  RecipientSpec recipient(const Value& v, const std::string& path, const NotificationRule& rule) {
    RecipientSpec spec;
    if (!in_.object(v, path, {"assignee", "role", "at", "party", "address", "endpoint"}, {})) return spec;
    const int kinds = v.HasMember("assignee") + v.HasMember("role") + v.HasMember("party") + v.HasMember("address") +
                      v.HasMember("endpoint");
    if (kinds != 1) {
      in_.error(path, "a recipient is exactly one of: assignee, role, party, address, endpoint");
      return spec;
    }
    if (v.HasMember("at") && !v.HasMember("role")) in_.error(path + ".at", "\"at\" goes with \"role\" only");
    if (v.HasMember("assignee")) {
      if (!in_.boolean(v, "assignee", path)) in_.error(path + ".assignee", "write \"assignee\": true");
    } else if (v.HasMember("role")) {
      spec = {RecipientKind::role, in_.string(v, "role", path), false};
      spec.at_parent = in_.one_of<bool>(v, "at", path, {{"unit", false}, {"parent", true}});
      check_role(spec.value, path + ".role", rule);
    } else if (v.HasMember("party")) {
      spec = {RecipientKind::party, in_.string(v, "party", path), false};
      check_party_field(spec.value, path + ".party", rule);
    } else if (v.HasMember("address")) {
      spec = {RecipientKind::address, in_.string(v, "address", path), false};
      check_address(spec.value, path + ".address", rule);
    } else {
      spec = {RecipientKind::endpoint, in_.string(v, "endpoint", path), false};
      if (!context_.endpoints.count(spec.value)) {
        in_.error(path + ".endpoint", "unknown webhook endpoint " + in_quotes(spec.value) +
                                          " (declared in $.channels.webhook.endpoints: " + joined(context_.endpoints) +
                                          ")");
      }
    }
    if (about_checkpoints(rule) && spec.kind != RecipientKind::address && spec.kind != RecipientKind::endpoint) {
      in_.error(
          path,
          "a checkpoint goes to the level above at a fixed address or endpoint, not to an assignee, role or party");
    }
    check_channel_reaches(spec, path, rule);
    return spec;
  }

  void check_channel_reaches(const RecipientSpec& spec, const std::string& path, const NotificationRule& rule) {
    const bool webhook = rule.channel == kWebhookChannel;
    if (webhook && spec.kind != RecipientKind::endpoint) {
      in_.error(path, "the webhook channel delivers to endpoints only (write {\"endpoint\": NAME})");
    } else if (!webhook && spec.kind == RecipientKind::endpoint) {
      in_.error(path + ".endpoint", "endpoints are for the webhook channel, not " + in_quotes(rule.channel));
    }
  }

  void check_address(const std::string& address, const std::string& path, const NotificationRule& rule) {
    const bool bad = address.empty() || address.find_first_of(" \r\n<>") != std::string::npos ||
                     (rule.channel == kEmailChannel && address.find('@') == std::string::npos);
    if (bad)
      in_.error(path,
                in_quotes(address) + " is not an address" + (rule.channel == kEmailChannel ? " (name@domain)" : ""));
  }

  void check_role(const std::string& role, const std::string& path, const NotificationRule& rule) {
    const auto candidates = workflows(rule);
    if (context_.catalog == nullptr || candidates.empty()) return;
    if (std::any_of(candidates.begin(), candidates.end(), [&](auto* d) { return d->role(role) != nullptr; })) return;
    in_.error(path, "no role " + in_quotes(role) + " in " + (rule.workflow.empty() ? "any workflow" : rule.workflow));
  }

  void check_party_field(const std::string& field, const std::string& path, const NotificationRule& rule) {
    const auto candidates = workflows(rule);
    if (context_.catalog == nullptr || candidates.empty()) return;
    const bool found = std::any_of(candidates.begin(), candidates.end(), [&](auto* d) {
      const FieldDefinition* f = d->field(field);
      return f != nullptr && f->type == FieldType::party;
    });
    if (!found)
      in_.error(path, "no party field " + in_quotes(field) + " in " +
                          (rule.workflow.empty() ? "any workflow" : rule.workflow));
  }

  JsonReader& in_;
  const RuleContext& context_;
};

// Checks the placeholders of one template text against what its event type offers.
void check_placeholders(JsonReader& in, const std::string& text, const std::string& path, const std::string& type,
                        bool with_link) {
  auto names = template_placeholders(text);
  if (!names) {
    in.error(path, names.error().message);
    return;
  }
  const auto offered = placeholders_for(type, with_link);
  for (const auto& name : *names) {
    if (std::binary_search(offered.begin(), offered.end(), name)) continue;
    const std::string hint = name == "link" ? " ({link} needs $.link_base)" : "";
    in.error(path,
             "placeholder {" + name + "} is not available for " + type + hint + "; available: " + joined(offered));
  }
}

MessageTemplate read_template(JsonReader& in, const Value& v, const std::string& path, const std::string& type,
                              bool with_link) {
  MessageTemplate message;
  if (!in.object(v, path, {"subject", "text"}, {"subject", "text"})) return message;
  message.subject = in.string(v, "subject", path);
  message.text = in.string(v, "text", path);
  if (message.subject.find_first_of("\r\n") != std::string::npos) in.error(path + ".subject", "a subject is one line");
  check_placeholders(in, message.subject, path + ".subject", type, with_link);
  check_placeholders(in, message.text, path + ".text", type, with_link);
  return message;
}

}  // namespace

std::vector<NotificationRule> read_rules(JsonReader& in, const Value& root, const RuleContext& context) {
  RuleReader reader(in, context);
  return in.list<NotificationRule>(root, "rules", "$",
                                   [&](const Value& v, const std::string& path) { return reader.read(v, path); });
}

TemplateSet read_templates(JsonReader& in, const Value& root, bool with_link) {
  TemplateSet templates;
  if (!root.HasMember("templates")) return templates;
  const Value& all = root["templates"];
  if (!all.IsObject()) {
    in.error("$.templates", "expected an object keyed by event type");
    return templates;
  }
  for (const auto& member : all.GetObject()) {
    const std::string type = member.name.GetString();
    const std::string path = "$.templates[\"" + type + "\"]";
    if (!is_notifiable(type)) {
      in.error(path, "unknown event type " + in_quotes(type) + "; known: " + joined(notifiable_event_types()));
      continue;
    }
    if (!in.object(member.value, path, {"vi", "en"}, {})) continue;
    for (const char* language : {"vi", "en"}) {
      if (member.value.HasMember(language)) {
        templates[type][language] = read_template(in, member.value[language], path + "." + language, type, with_link);
      }
    }
  }
  return templates;
}

void check_templates_cover_rules(JsonReader& in, const std::vector<NotificationRule>& rules,
                                 const TemplateSet& templates) {
  for (std::size_t r = 0; r < rules.size(); ++r) {
    const NotificationRule& rule = rules[r];
    for (std::size_t e = 0; e < rule.events.size(); ++e) {
      const auto found = templates.find(rule.events[e]);
      if (!is_notifiable(rule.events[e]) || (found != templates.end() && found->second.count(rule.language))) continue;
      in.error("$.rules[" + std::to_string(r) + "].events[" + std::to_string(e) + "]",
               "no template for " + rule.events[e] + " in " + rule.language + " (add $.templates[\"" + rule.events[e] +
                   "\"]." + rule.language + ")");
    }
  }
}

}  // namespace docket
