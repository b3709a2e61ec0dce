#include "server/api_json.h"

#include "core/time.h"
#include "web/event_text.h"

namespace docket::server {
namespace {

void write_strings(Json& json, const char* key, const std::vector<std::string>& items) {
  json.Key(key);
  json.StartArray();
  for (const auto& item : items) json.String(item.c_str(), static_cast<rapidjson::SizeType>(item.size()));
  json.EndArray();
}

void write_choices(Json& json, const char* key, const std::vector<Choice>& choices) {
  json.Key(key);
  json.StartArray();
  for (const Choice& choice : choices) {
    json.StartObject();
    put(json, "id", choice.id);
    put_label(json, "label", choice.label);
    json.EndObject();
  }
  json.EndArray();
}

void write_deadline(Json& json, const DeadlineSpec& d) {
  json.StartObject();
  put(json, "anchor", d.anchor);
  json.Key("offset"), json.Int(d.offset);
  put(json, "unit", d.unit == DeadlineUnit::days ? "days" : "working_days");
  put(json, "direction", d.direction == DeadlineDirection::after ? "after" : "before");
  json.Key("roll_to_working_day"), json.Bool(d.roll_to_working_day);
  json.Key("reminders");
  json.StartArray();
  for (int r : d.reminders) json.Int(r);
  json.EndArray();
  if (d.escalate_after) {
    json.Key("escalate_after"), json.Int(*d.escalate_after);
    put(json, "escalate_to", d.escalate_to);
  }
  json.EndObject();
}

void write_fields(Json& json, const WorkflowDefinition& def) {
  json.Key("fields");
  json.StartArray();
  for (const auto& f : def.fields) {
    json.StartObject();
    put(json, "id", f.id);
    put_label(json, "label", f.label);
    put(json, "type", to_string(f.type));
    json.Key("required_at_open"), json.Bool(f.required_at_open);
    if (!f.values.empty()) {
      json.Key("values");
      json.StartArray();
      for (const auto& v : f.values) json.String(v.id.c_str());
      json.EndArray();
    }
    json.EndObject();
  }
  json.EndArray();
}

void write_stages(Json& json, const WorkflowDefinition& def) {
  json.Key("stages");
  json.StartArray();
  for (const auto& s : def.stages) {
    json.StartObject();
    put(json, "id", s.id);
    put_label(json, "label", s.label);
    json.Key("initial"), json.Bool(s.initial);
    json.Key("terminal"), json.Bool(s.terminal);
    json.Key("deadline");
    if (s.deadline)
      write_deadline(json, *s.deadline);
    else
      json.Null();
    json.EndObject();
  }
  json.EndArray();
}

void write_requirements(Json& json, const Requirements& requires_) {
  json.Key("requires");
  json.StartObject();
  write_strings(json, "fields", requires_.fields);
  json.Key("field_values");
  json.StartArray();
  for (const auto& condition : requires_.field_values) {
    json.StartObject();
    put(json, "field", condition.field);
    write_strings(json, "values", condition.values);
    json.EndObject();
  }
  json.EndArray();
  write_strings(json, "documents", requires_.documents);
  json.Key("all_recommendations_answered"), json.Bool(requires_.all_recommendations_answered);
  json.EndObject();
}

void write_transitions(Json& json, const WorkflowDefinition& def) {
  json.Key("transitions");
  json.StartArray();
  for (const auto& t : def.transitions) {
    json.StartObject();
    put(json, "id", t.id);
    put_label(json, "label", t.label);
    std::vector<std::string> from;
    for (const auto& s : def.stages) {
      if (t.leaves_from(s.id, s.terminal)) from.push_back(s.id);
    }
    write_strings(json, "from", from);
    put(json, "to", t.to);
    write_strings(json, "roles", t.roles);
    write_strings(json, "sets", t.sets);
    write_requirements(json, t.requires_);
    json.EndObject();
  }
  json.EndArray();
}

void write_permissions(Json& json, const Permissions& p) {
  json.Key("permissions");
  json.StartObject();
  write_strings(json, "open", p.open);
  write_strings(json, "assign", p.assign);
  write_strings(json, "comment", p.comment);
  write_strings(json, "set_fields", p.set_fields);
  write_strings(json, "attach", p.attach);
  write_strings(json, "recommend", p.recommend);
  write_strings(json, "answer", p.answer);
  write_strings(json, "issue", p.issue);
  write_strings(json, "read_below", p.read_below);
  write_strings(json, "outside_parties", p.outside_parties);
  json.EndObject();
}

}  // namespace

void write_workflow(Json& json, const WorkflowDefinition& def, bool graph) {
  json.StartObject();
  put(json, "id", def.id);
  json.Key("version"), json.Int(def.version);
  put_label(json, "title", def.title);
  put(json, "case_prefix", def.case_prefix);
  if (graph) {
    write_fields(json, def);
    write_choices(json, "roles", def.roles);
    write_choices(json, "document_kinds", def.document_kinds);
    write_stages(json, def);
    write_transitions(json, def);
    write_permissions(json, def.permissions);
  }
  json.EndObject();
}

void write_roles(Json& json, const std::vector<UserRole>& roles) {
  json.Key("roles");
  json.StartArray();
  for (const auto& held : roles) {
    json.StartObject();
    put(json, "unit", held.unit);
    put(json, "role", held.role);
    json.EndObject();
  }
  json.EndArray();
}

void write_user(Json& json, const User& user) {
  json.StartObject();
  put(json, "id", user.id);
  put(json, "name", user.name);
  write_roles(json, user.roles);
  json.EndObject();
}

void write_actions(Json& json, const CaseActions& actions) {
  json.StartObject();
  json.Key("transitions");
  json.StartArray();
  for (const TransitionChoice& choice : actions.transitions) {
    json.StartObject();
    put(json, "id", choice.transition->id);
    put_label(json, "label", choice.transition->label);
    put(json, "to", choice.transition->to);
    write_strings(json, "sets", choice.transition->sets);
    json.Key("possible"), json.Bool(choice.unmet.empty());
    json.Key("unmet");
    write_problems(json, choice.unmet);
    json.EndObject();
  }
  json.EndArray();
  json.Key("comment"), json.Bool(actions.comment);
  json.Key("assign"), json.Bool(actions.assign);
  json.Key("set_fields"), json.Bool(actions.set_fields);
  json.Key("attach"), json.Bool(actions.attach);
  json.Key("recommend"), json.Bool(actions.recommend);
  json.Key("issue"), json.Bool(actions.issue);
  json.Key("answer");
  json.StartArray();
  for (const int number : actions.answerable) json.Int(number);
  json.EndArray();
  json.EndObject();
}

void write_event(Json& json, Workspace& workspace, const WorkflowDefinition* definition, const StoredEvent& stored) {
  json.StartObject();
  json.Key("seq"), json.Int64(stored.case_seq);
  put(json, "type", stored.type);
  put(json, "at", format_timestamp(stored.event.at));
  put(json, "actor", stored.event.actor);
  json.Key("payload");
  json.RawValue(stored.payload_json.c_str(), stored.payload_json.size(), rapidjson::kObjectType);
  put(json, "hash", stored.case_hash);
  // The sentences need the case's workflow version; without it installed, the type stands in.
  const Label label = definition == nullptr
                          ? Label{stored.type, stored.type}
                          : Label{web::describe(workspace, *definition, stored.event, web::Language{"vi"}),
                                  web::describe(workspace, *definition, stored.event, web::Language{"en"})};
  put_label(json, "label", label);
  json.EndObject();
}

}  // namespace docket::server
