#include "notifications/event_facts.h"

#include <algorithm>
#include <cstdio>

#include "core/deadline.h"

namespace docket {
namespace {

using Values = std::map<std::string, std::string>;

const std::vector<std::string> kCommon = {"case_number", "title",    "workflow", "workflow_id", "stage", "stage_label",
                                          "unit",        "assignee", "actor",    "event",       "at"};
const std::vector<std::string> kRecommendation = {"recommendation_number", "addressee", "recommendation"};
const std::vector<std::string> kCheckpoint = {"at", "cases", "event", "events", "file", "log_seq", "unit", "unit_name"};

// The placeholders each notifiable event type offers beyond kCommon, in file order of event.h.
const std::vector<std::pair<std::string, std::vector<std::string>>>& extras() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> table = {
      {"case.opened", {}},
      {"case.assigned", {"previous_assignee"}},
      {"case.unassigned", {"previous_assignee"}},
      {"stage.changed", {"from_stage", "from_label", "transition", "transition_label"}},
      {"comment.added", {"comment"}},
      {"fields.set", {}},
      {"document.attached", {"document_kind", "document_label", "file_name"}},
      {"document.issued", {"document_kind", "document_label", "file_name", "reference"}},
      {"recommendation.added", kRecommendation},
      {"recommendations.issued", {"recommendations"}},
      {"recommendation.answered",
       {"recommendation_number", "addressee", "recommendation", "answer_status", "answer", "recorded_for"}},
      {"recommendation.unanswered", kRecommendation},
      {"recommendation.escalated", kRecommendation},
      {"deadline.set", {"due", "previous_due", "reason"}},
      {"deadline.changed", {"due", "previous_due", "reason"}},
      {"deadline.reminder", {"due", "days_before", "time_left"}},
      {"deadline.breached", {"due"}},
      {"case.escalated", {"due", "role", "role_label", "escalated_unit"}},
  };
  return table;
}

const std::string& in(const Label& label, const std::string& language) {
  return language == "en" ? label.en : label.vi;
}

// "2026-06-29" as a reader of `language` writes it: 29/06/2026 in Vietnamese.
std::string written_date(const std::string& iso, const std::string& language) {
  if (language != "vi" || iso.size() != 10) return iso;
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

// The wall-clock time in Vietnam: "29/06/2026 08:30" (vi) or "2026-06-29 08:30 (UTC+7)" (en).
std::string written_time(Timestamp at, const std::string& language) {
  const auto local = at + kVietnamOffset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::hh_mm_ss clock{local - day};
  char hour[8];
  std::snprintf(hour, sizeof hour, "%02d:%02d", static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()));
  const std::string date = format_date(std::chrono::year_month_day{day});
  return language == "vi" ? written_date(date, language) + " " + hour : date + " " + hour + " (UTC+7)";
}

std::string stage_label(const WorkflowDefinition& definition, const std::string& stage, const std::string& language) {
  const StageDefinition* found = definition.stage(stage);
  return found != nullptr ? in(found->label, language) : stage;
}

void add_recommendation(Values& values, const Case& after, int number) {
  values["recommendation_number"] = std::to_string(number);
  const Recommendation* made = after.recommendation(number);
  values["addressee"] = made != nullptr ? made->addressee : "";
  values["recommendation"] = made != nullptr ? made->text : "";
}

// Fills the placeholders particular to each event type.
struct Extras {
  Values& values;
  const FactContext& context;
  const std::string& language = context.language;

  void operator()(const CaseAssigned& e) const { values["previous_assignee"] = e.previous; }
  void operator()(const CaseUnassigned& e) const { values["previous_assignee"] = e.previous; }
  void operator()(const StageChanged& e) const {
    values["from_stage"] = e.from;
    values["from_label"] = stage_label(context.definition, e.from, language);
    values["transition"] = e.transition;
    const TransitionDefinition* transition = context.definition.transition(e.transition);
    values["transition_label"] = transition != nullptr ? in(transition->label, language) : e.transition;
  }
  void operator()(const CommentAdded& e) const { values["comment"] = e.text; }
  void operator()(const DocumentAttached& e) const {
    values["document_kind"] = e.kind;
    const Choice* kind = context.definition.document_kind(e.kind);
    values["document_label"] = kind != nullptr ? in(kind->label, language) : e.kind;
    values["file_name"] = e.file_name;
  }
  void operator()(const DocumentIssued& e) const {
    values["document_kind"] = e.kind;
    values["document_label"] = e.title;
    values["file_name"] = e.file_name;
    values["reference"] = e.reference;
  }
  void operator()(const RecommendationAdded& e) const { add_recommendation(values, context.after, e.number); }
  void operator()(const RecommendationsIssued& e) const {
    std::string numbers;
    for (const int number : e.numbers) numbers += (numbers.empty() ? "" : ", ") + std::to_string(number);
    values["recommendations"] = numbers;
  }
  void operator()(const RecommendationAnswered& e) const {
    add_recommendation(values, context.after, e.number);
    values["answer_status"] = to_string(e.status);
    values["answer"] = e.text;
    values["recorded_for"] = e.recorded_for;
  }
  void operator()(const RecommendationUnanswered& e) const { add_recommendation(values, context.after, e.number); }
  void operator()(const RecommendationEscalated& e) const { add_recommendation(values, context.after, e.number); }
  void operator()(const DeadlineSet& e) const {
    values["due"] = written_date(e.due, language);
    values["previous_due"] = written_date(e.previous_due, language);
    values["reason"] = e.reason;
  }
  void operator()(const DeadlineReminded& e) const {
    values["due"] = written_date(e.due, language);
    values["days_before"] = std::to_string(e.days_before);
    values["time_left"] = time_left(e);
  }
  // "còn 3 ngày làm việc" / "in 3 working days", in the unit the stage's deadline counts;
  // "hôm nay" / "today" when the reminder came on the due day.
  std::string time_left(const DeadlineReminded& e) const {
    const StageDefinition* stage = context.definition.stage(e.stage);
    const DeadlineUnit unit = stage != nullptr && stage->deadline ? stage->deadline->unit : DeadlineUnit::days;
    const int left = e.days_left.value_or(e.days_before);
    if (left == 0) return language == "vi" ? "hôm nay" : "today";
    return (language == "vi" ? "còn " : "in ") + day_count(left, unit, language);
  }
  void operator()(const DeadlineBreached& e) const { values["due"] = written_date(e.due, language); }
  void operator()(const CaseEscalated& e) const {
    values["due"] = written_date(e.due, language);
    values["role"] = e.role;
    const Choice* role = context.definition.role(e.role);
    values["role_label"] = role != nullptr ? in(role->label, language) : e.role;
    values["escalated_unit"] = e.unit;
  }
  template <typename Other>
  void operator()(const Other&) const {}
};

}  // namespace

const std::vector<std::string>& notifiable_event_types() {
  static const std::vector<std::string> types = [] {
    std::vector<std::string> names;
    for (const auto& [type, placeholders] : extras()) names.push_back(type);
    names.emplace_back(kCheckpointEvent);
    return names;
  }();
  return types;
}

bool is_notifiable(std::string_view type) {
  const auto& types = notifiable_event_types();
  return std::find(types.begin(), types.end(), type) != types.end();
}

std::vector<std::string> placeholders_for(std::string_view type, bool with_link) {
  if (type == kCheckpointEvent) return kCheckpoint;  // sorted
  std::vector<std::string> names = kCommon;
  for (const auto& [known, placeholders] : extras()) {
    if (known == type) names.insert(names.end(), placeholders.begin(), placeholders.end());
  }
  if (with_link) names.push_back("link");
  std::sort(names.begin(), names.end());
  return names;
}

std::map<std::string, std::string> placeholder_values(const Event& event, const FactContext& context) {
  const Case& after = context.after;
  Values values{{"case_number", after.number},
                {"title", after.title},
                {"workflow", in(context.definition.title, context.language)},
                {"workflow_id", after.workflow_id},
                {"stage", after.stage},
                {"stage_label", stage_label(context.definition, after.stage, context.language)},
                {"unit", after.unit},
                {"assignee", after.assignee},
                {"actor", event.actor},
                {"event", event_type(event.payload)},
                {"at", written_time(event.at, context.language)}};
  if (!context.link_base.empty()) values["link"] = context.link_base + after.number;
  std::visit(Extras{values, context}, event.payload);
  const std::string none = context.language == "vi" ? "(không có)" : "(none)";
  for (auto& [name, value] : values) {
    if (value.empty()) value = none;
  }
  return values;
}

std::map<std::string, std::string> checkpoint_values(const CheckpointFacts& facts, const std::string& language) {
  Values values{{"at", written_time(facts.at, language)},
                {"cases", std::to_string(facts.case_count)},
                {"event", std::string(kCheckpointEvent)},
                {"events", std::to_string(facts.event_count)},
                {"file", facts.file_name},
                {"log_seq", std::to_string(facts.log_seq)},
                {"unit", facts.unit},
                {"unit_name", facts.unit_name.empty() ? facts.unit : facts.unit_name}};
  return values;
}

}  // namespace docket
