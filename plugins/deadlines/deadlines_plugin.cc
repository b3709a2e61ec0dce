#include "deadlines/deadlines_plugin.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/deadline.h"
#include "core/time.h"

namespace docket {
namespace {

constexpr const char* kReminder = "reminder";
constexpr const char* kBreach = "breach";
constexpr const char* kEscalation = "escalation";

bool waits_for_answers(const WorkflowDefinition& definition, const std::string& stage) {
  const auto transitions = definition.transitions_from(stage);
  return std::any_of(transitions.begin(), transitions.end(),
                     [](const TransitionDefinition* t) { return t->requires_.all_recommendations_answered; });
}

// Did one of the change's events give `field` a new value?
bool field_changed(const std::vector<Event>& events, const std::string& field) {
  return std::any_of(events.begin(), events.end(), [&](const Event& event) {
    if (const auto* set = std::get_if<FieldsSet>(&event.payload)) return set->fields.count(field) > 0;
    if (const auto* moved = std::get_if<StageChanged>(&event.payload)) return moved->fields.count(field) > 0;
    return false;
  });
}

Timer timer_for(const Case& current, const DueDate& due, const char* kind, Timestamp at) {
  Timer timer;
  timer.case_number = current.number;
  timer.plugin = std::string(DeadlinesPlugin::kName);
  timer.kind = kind;
  timer.stage = due.stage;
  timer.due_at = at;
  timer.attributes["due"] = format_date(due.due);
  return timer;
}

// The moments after the first travel with it, as JSON in its "then" attribute:
// [{"kind": ..., "due_at": ..., "attributes": {...}}, ...].
constexpr const char* kThen = "then";

std::string encode_chain(std::vector<Timer>::const_iterator from, std::vector<Timer>::const_iterator to) {
  rapidjson::StringBuffer text;
  rapidjson::Writer<rapidjson::StringBuffer> json(text);
  json.StartArray();
  for (auto timer = from; timer != to; ++timer) {
    json.StartObject();
    json.Key("kind");
    json.String(timer->kind.c_str(), static_cast<rapidjson::SizeType>(timer->kind.size()));
    const std::string due_at = format_timestamp(timer->due_at);
    json.Key("due_at");
    json.String(due_at.c_str(), static_cast<rapidjson::SizeType>(due_at.size()));
    json.Key("attributes");
    json.StartObject();
    for (const auto& [key, value] : timer->attributes) {
      json.Key(key.c_str(), static_cast<rapidjson::SizeType>(key.size()));
      json.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
    }
    json.EndObject();
    json.EndObject();
  }
  json.EndArray();
  return std::string(text.GetString(), text.GetSize());
}

// The timers `first` stands for: itself and those of its "then", in order. A moment that does
// not read back (not written by encode_chain) is skipped rather than fired wrong.
std::vector<Timer> decode_chain(const Timer& first) {
  std::vector<Timer> timers{first};
  timers.front().attributes.erase(kThen);
  timers.front().later_moments.clear();
  const auto then = first.attributes.find(kThen);
  if (then == first.attributes.end()) return timers;
  rapidjson::Document chain;
  chain.Parse(then->second.c_str(), then->second.size());
  if (chain.HasParseError() || !chain.IsArray()) return timers;
  for (const auto& moment : chain.GetArray()) {
    if (!moment.IsObject() || !moment.HasMember("kind") || !moment["kind"].IsString() || !moment.HasMember("due_at") ||
        !moment["due_at"].IsString())
      continue;
    const auto due_at = parse_datetime(moment["due_at"].GetString());
    if (!due_at) continue;
    Timer timer = first;
    timer.id = 0;
    timer.later_moments.clear();
    timer.kind = moment["kind"].GetString();
    timer.due_at = *due_at;
    timer.attributes.clear();
    if (moment.HasMember("attributes") && moment["attributes"].IsObject()) {
      for (const auto& member : moment["attributes"].GetObject()) {
        if (member.value.IsString()) timer.attributes[member.name.GetString()] = member.value.GetString();
      }
    }
    timers.push_back(std::move(timer));
  }
  return timers;
}

// Due order; equal moments keep their order (the breach before its escalation).
void sort_by_due(std::vector<Timer>& timers) {
  std::stable_sort(timers.begin(), timers.end(), [](const Timer& a, const Timer& b) { return a.due_at < b.due_at; });
}

// Schedules the first of `timers` (in due order) carrying the others: one pending row per case
// whatever the number of reminders, so a stage change rewrites one timer (and one entry of the
// due-time index) instead of five. on_timer schedules the next when one fires. The store is told
// when the others are due (later_moments), so that it counts them among the moments owed.
void schedule_chain(const std::vector<Timer>& timers, PluginContext& context) {
  if (timers.empty()) return;
  Timer first = timers.front();
  if (timers.size() > 1) first.attributes[kThen] = encode_chain(timers.begin() + 1, timers.end());
  first.later_moments.clear();
  for (auto later = timers.begin() + 1; later != timers.end(); ++later) first.later_moments.push_back(later->due_at);
  context.schedule(first);
}

// Replaces the case's timers with those of `due`. Moments already past are not scheduled again
// when the case has already been through them (a breach is recorded once).
void schedule(const Case& current, const DueDate& due, PluginContext& context) {
  context.cancel_timers(current.number);
  const Timestamp now = context.now();
  const bool same_moment = current.deadline && current.deadline->due_at == due.due_at;
  std::vector<Timer> timers;
  for (const Reminder& reminder : due.reminders) {
    if (reminder.at <= now) continue;  // a reminder for a day already gone is moot
    Timer timer = timer_for(current, due, kReminder, reminder.at);
    timer.attributes["days_before"] = std::to_string(reminder.days_before);
    timers.push_back(std::move(timer));
  }
  const bool breached = current.deadline && current.deadline->breached;
  if (!(breached && (same_moment || due.due_at <= now))) timers.push_back(timer_for(current, due, kBreach, due.due_at));
  const bool escalated = current.deadline && !current.deadline->escalated_to_role.empty();
  if (due.escalate_at && !(escalated && *due.escalate_at <= now)) {
    Timer timer = timer_for(current, due, kEscalation, *due.escalate_at);
    timer.attributes["role"] = due.escalate_to;
    timers.push_back(std::move(timer));
  }
  sort_by_due(timers);
  schedule_chain(timers, context);
}

// A RecordDeadline when the due date, its moment or whether it is provisional changed (a
// calendar loaded for a year it was counted through makes it final even when it did not move).
std::vector<Command> record(const Case& current, const DueDate& due, const std::string& reason) {
  const std::string due_text = format_date(due.due);
  const std::string due_at = format_timestamp(due.due_at);
  const std::string provisional = due.provisional();
  if (current.deadline && current.deadline->stage == due.stage && current.deadline->due == due_text &&
      format_timestamp(current.deadline->due_at) == due_at && current.deadline->provisional == provisional) {
    return {};
  }
  return {RecordDeadline{due.stage, due_text, due_at, reason, provisional}};
}

// The reminder a fired reminder timer records. One that fires once its deadline has passed (the
// scheduler was down, or the reminder moved past a due day that is not a working day) has
// nothing left to remind of: it is recorded as skipped, and not sent.
RecordReminder reminder_for(const Timer& timer, const StageDefinition* stage, const Case& current,
                            PluginContext& context) {
  const auto days = timer.attributes.find("days_before");
  const auto due = timer.attributes.find("due");
  RecordReminder reminder{timer.stage, due == timer.attributes.end() ? "" : due->second,
                          days == timer.attributes.end() ? 0 : std::stoi(days->second), std::nullopt, ""};
  const Timestamp now = context.now();
  if (current.deadline && now >= current.deadline->due_at) {
    reminder.skipped =
        "the deadline passed at " + format_timestamp(current.deadline->due_at) + " before the reminder was sent";
    return reminder;
  }
  const auto due_date = parse_date(reminder.due);
  if (due_date && stage != nullptr && stage->deadline)
    reminder.days_left = days_left(context.calendar(), vietnam_date(now), *due_date, stage->deadline->unit);
  return reminder;
}

Result<std::vector<Command>> set_deadline(const WorkflowDefinition& definition, const Case& current,
                                          PluginContext& context, const std::string& reason) {
  const StageDefinition* stage = definition.stage(current.stage);
  if (stage == nullptr || stage->terminal || !stage->deadline) {
    context.cancel_timers(current.number);
    return std::vector<Command>{};
  }
  auto due = compute_due_date(*stage, current, current.stage_entered_at, context.calendar());
  if (!due && due.error().code != ErrorCode::field_missing) return due.error();
  if (!due) {
    // The anchor field is empty: no due date until it is set.
    context.cancel_timers(current.number);
    if (current.deadline) return std::vector<Command>{RecordDeadline{current.stage, "", "", reason}};
    return std::vector<Command>{};
  }
  auto commands = record(current, *due, reason);
  if (!commands.empty() || context.pending_timers(current.number).empty()) schedule(current, *due, context);
  return commands;
}

}  // namespace

Result<std::vector<Command>> DeadlinesPlugin::after_change(const CaseChange& change, PluginContext& context) {
  const Case& after = change.after;
  const bool entered = change.before.version == 0 || change.before.stage != after.stage;
  if (entered) {
    context.cancel_timers(after.number);
    return set_deadline(change.definition, after, context, "stage entered");
  }
  const StageDefinition* stage = change.definition.stage(after.stage);
  if (stage == nullptr || !stage->deadline || stage->deadline->anchor == DeadlineSpec::kEntered)
    return std::vector<Command>{};
  const DeadlineSpec& spec = *stage->deadline;
  for (const std::string& field : {spec.anchor, spec.fallback_anchor}) {
    if (!field.empty() && field_changed(change.events, field))
      return set_deadline(change.definition, after, context, "field " + field + " changed");
  }
  return std::vector<Command>{};
}

Result<std::vector<Command>> DeadlinesPlugin::recompute(const WorkflowDefinition& definition, const Case& current,
                                                        PluginContext& context, const std::string& reason) {
  return set_deadline(definition, current, context, reason);
}

std::vector<Timer> DeadlinesPlugin::planned(const std::vector<Timer>& pending) {
  std::vector<Timer> timers;
  for (const Timer& timer : pending) {
    std::vector<Timer> chain = decode_chain(timer);
    timers.insert(timers.end(), chain.begin(), chain.end());
  }
  sort_by_due(timers);
  return timers;
}

Result<std::vector<Command>> DeadlinesPlugin::on_timer(const Timer& timer, const WorkflowDefinition& definition,
                                                       const Case& current, PluginContext& context) {
  std::vector<Command> commands;
  if (timer.stage != current.stage) return commands;  // the case moved on; nothing is due any more
  const std::vector<Timer> chain = decode_chain(timer);
  schedule_chain(std::vector<Timer>(chain.begin() + 1, chain.end()), context);
  const std::string due = timer.attributes.count("due") ? timer.attributes.at("due") : "";
  const bool answers = waits_for_answers(definition, current.stage);
  if (timer.kind == kReminder) {
    commands.push_back(reminder_for(timer, definition.stage(current.stage), current, context));
  } else if (timer.kind == kBreach) {
    commands.push_back(RecordBreach{timer.stage, due});
    for (const auto& recommendation : current.recommendations) {
      if (answers && recommendation.status == RecommendationStatus::sent)
        commands.push_back(MarkRecommendationUnanswered{recommendation.number});
    }
  } else if (timer.kind == kEscalation) {
    const std::string unit = context.parent_unit(current.unit).value_or(current.unit);
    const auto role = timer.attributes.find("role");
    commands.push_back(EscalateCase{timer.stage, due, role == timer.attributes.end() ? "" : role->second, unit});
    for (const auto& recommendation : current.recommendations) {
      if (answers && recommendation.status == RecommendationStatus::unanswered)
        commands.push_back(EscalateRecommendation{recommendation.number});
    }
  }
  return commands;
}

}  // namespace docket
