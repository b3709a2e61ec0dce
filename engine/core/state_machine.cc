#include "core/state_machine.h"

#include <algorithm>

#include "core/acting.h"
#include "core/command_text.h"
#include "core/field_value.h"
#include "core/recommendation_rules.h"

namespace docket {
namespace {

using Events = std::vector<Event>;

std::string join(const std::vector<std::string>& items) {
  std::string joined;
  for (const auto& item : items) joined += (joined.empty() ? "" : ", ") + item;
  return joined.empty() ? "(none)" : joined;
}

std::string field_ids(const WorkflowDefinition& definition) {
  std::vector<std::string> ids;
  for (const auto& field : definition.fields) ids.push_back(field.id);
  return join(ids);
}

// Checks each supplied value against its field and returns the canonical values.
// `allowed` (when not null) limits which fields may be supplied; empty values clear a field.
Result<FieldValues> canonical_fields(const WorkflowDefinition& definition, const FieldValues& supplied,
                                     const std::vector<std::string>* allowed, const std::string& context) {
  FieldValues canonical;
  for (const auto& [id, raw] : supplied) {
    const FieldDefinition* field = definition.field(id);
    if (field == nullptr) {
      return make_error(ErrorCode::invalid_field, "unknown field " + in_quotes(id) + " in workflow " +
                                                      in_quotes(definition.id) + " (fields: " + field_ids(definition) +
                                                      ")");
    }
    if (allowed != nullptr && std::find(allowed->begin(), allowed->end(), id) == allowed->end()) {
      return make_error(ErrorCode::invalid_field,
                        "field " + in_quotes(id) + " is not set by " + context + " (it sets: " + join(*allowed) + ")");
    }
    if (raw.empty()) {
      if (field->required_at_open) {
        return make_error(ErrorCode::field_missing, "field " + in_quotes(id) + " is required and cannot be cleared");
      }
      canonical[id] = "";
      continue;
    }
    auto value = canonical_field_value(*field, raw);
    if (!value) return value.error();
    canonical[id] = std::move(value.value());
  }
  return canonical;
}

Event stamp(EventPayload payload, const Actor& actor, Timestamp at) {
  return Event{std::move(payload), at, actor.user};
}

Result<Events> decide_open(const WorkflowDefinition& definition, const Actor& actor, Timestamp at,
                           const OpenCase& open) {
  if (const Status allowed =
          require_role(actor, Case{}, definition.permissions.open, "open a " + definition.id + " case");
      !allowed) {
    return allowed.error();
  }
  if (open.number.empty()) return make_error(ErrorCode::invalid_argument, "a new case needs a number");
  if (open.unit.empty()) return make_error(ErrorCode::invalid_argument, "a new case needs an organisation unit");
  if (const Status title = check_text("title", open.title, kMaxShortText, false); !title) return title.error();
  auto fields = canonical_fields(definition, open.fields, nullptr, "");
  if (!fields) return fields.error();
  for (const auto& field : definition.fields) {
    const auto it = fields->find(field.id);
    if (field.required_at_open && (it == fields->end() || it->second.empty())) {
      return make_error(ErrorCode::field_missing,
                        "field " + in_quotes(field.id) + " is required to open a " + definition.id + " case");
    }
  }
  std::erase_if(*fields, [](const auto& entry) { return entry.second.empty(); });
  const StageDefinition* initial = definition.initial_stage();
  if (initial == nullptr)
    return make_error(ErrorCode::internal, "workflow " + in_quotes(definition.id) + " has no initial stage");
  return Events{stamp(CaseOpened{open.number, definition.id, definition.version, open.title, open.unit, initial->id,
                                 std::move(*fields)},
                      actor, at)};
}

}  // namespace

std::vector<Error> unmet_requirements(const Case& after_fields, const TransitionDefinition& transition) {
  std::vector<Error> unmet;
  const Requirements& requires_ = transition.requires_;
  for (const auto& id : requires_.fields) {
    const auto it = after_fields.fields.find(id);
    if (it == after_fields.fields.end() || it->second.empty()) {
      unmet.push_back(make_error(ErrorCode::field_missing,
                                 "transition " + in_quotes(transition.id) + " requires field " + in_quotes(id)));
    }
  }
  for (const auto& condition : requires_.field_values) {
    const auto it = after_fields.fields.find(condition.field);
    const std::string value = it == after_fields.fields.end() ? "" : it->second;
    if (std::find(condition.values.begin(), condition.values.end(), value) == condition.values.end()) {
      unmet.push_back(make_error(ErrorCode::field_missing,
                                 "transition " + in_quotes(transition.id) + " requires field " +
                                     in_quotes(condition.field) + " to be one of: " + join(condition.values) +
                                     (value.empty() ? " (it is not set)" : " (it is " + in_quotes(value) + ")")));
    }
  }
  for (const auto& kind : requires_.documents) {
    if (!after_fields.has_document(kind)) {
      unmet.push_back(make_error(
          ErrorCode::document_missing,
          "transition " + in_quotes(transition.id) + " requires a document of kind " + in_quotes(kind) + " attached"));
    }
  }
  if (requires_.all_recommendations_answered) {
    for (const auto& recommendation : after_fields.recommendations) {
      if (!is_answered(recommendation.status)) {
        unmet.push_back(make_error(
            ErrorCode::recommendations_open,
            "transition " + in_quotes(transition.id) + " requires every recommendation answered; recommendation " +
                std::to_string(recommendation.number) + " is " + to_string(recommendation.status)));
      }
    }
  }
  return unmet;
}

namespace {

// One refusal naming every requirement of `transition` that is not met: its code is the first
// problem's, its message names each in turn, and `problems` lists them one by one.
Error every_unmet(const std::string& transition, std::vector<Error> missing) {
  if (missing.size() == 1) return std::move(missing.front());
  const std::string prefix = "transition " + in_quotes(transition) + " ";
  std::string message = prefix + "is missing " + std::to_string(missing.size()) + " requirements: ";
  for (std::size_t i = 0; i < missing.size(); ++i) {
    const std::string& one = missing[i].message;
    message += (i == 0 ? "" : "; ") + (one.starts_with(prefix) ? one.substr(prefix.size()) : one);
  }
  Error error = make_error(missing.front().code, std::move(message));
  error.problems = std::move(missing);
  return error;
}

// The fields the transition stamps with the moment it is made (the validator allows only date
// and datetime fields there, none of them supplied by the command).
void stamp_fields(const WorkflowDefinition& definition, const TransitionDefinition& transition, Timestamp at,
                  FieldValues& fields) {
  for (const auto& id : transition.stamps) {
    const FieldDefinition* field = definition.field(id);
    const bool is_date = field == nullptr || field->type == FieldType::date;
    fields[id] = is_date ? format_date(vietnam_date(at)) : format_timestamp(at);
  }
}

Result<Events> decide_move(const WorkflowDefinition& definition, const Case& current, const Actor& actor, Timestamp at,
                           const MoveCase& move) {
  const TransitionDefinition* transition = definition.transition(move.transition);
  if (transition == nullptr) {
    return make_error(ErrorCode::not_found,
                      "workflow " + in_quotes(definition.id) + " has no transition " + in_quotes(move.transition));
  }
  const StageDefinition* stage = definition.stage(current.stage);
  if (stage == nullptr || !transition->leaves_from(stage->id, stage->terminal)) {
    std::vector<std::string> possible;
    for (const auto* candidate : definition.transitions_from(current.stage)) possible.push_back(candidate->id);
    return make_error(ErrorCode::transition_not_allowed, "transition " + in_quotes(move.transition) +
                                                             " cannot be made from stage " + in_quotes(current.stage) +
                                                             " (possible: " + join(possible) + ")");
  }
  if (const Status allowed =
          require_role(actor, current, transition->roles, "make transition " + in_quotes(transition->id));
      !allowed) {
    return allowed.error();
  }
  auto fields = canonical_fields(definition, move.fields, &transition->sets, "transition " + in_quotes(transition->id));
  if (!fields) return fields.error();
  if (!move.comment.empty()) {
    if (const Status text = check_text("comment", move.comment, kMaxLongText, true); !text) return text.error();
  }
  std::vector<Error> missing;
  for (const auto& id : transition->sets) {
    const auto it = fields->find(id);
    if (it == fields->end() || it->second.empty()) {
      missing.push_back(make_error(ErrorCode::field_missing, "transition " + in_quotes(transition->id) +
                                                                 " needs a value for field " + in_quotes(id)));
    }
  }
  stamp_fields(definition, *transition, at, *fields);
  Events events{stamp(StageChanged{transition->id, current.stage, transition->to, std::move(*fields)}, actor, at)};
  for (Error& unmet : unmet_requirements(apply(current, events.front()), *transition))
    missing.push_back(std::move(unmet));
  if (!missing.empty()) return every_unmet(transition->id, std::move(missing));
  if (transition->issues_recommendations && !drafts(current).empty())
    events.push_back(stamp(RecommendationsIssued{drafts(current)}, actor, at));
  if (!move.comment.empty()) events.push_back(stamp(CommentAdded{move.comment}, actor, at));
  return events;
}

Result<const Recommendation*> find_recommendation(const Case& current, int number) {
  const Recommendation* found = current.recommendation(number);
  if (found == nullptr) {
    return make_error(ErrorCode::not_found,
                      "case " + current.number + " has no recommendation " + std::to_string(number));
  }
  return found;
}

Result<Events> decide_answer(const WorkflowDefinition& definition, const Case& current, const Actor& actor,
                             Timestamp at, const AnswerRecommendation& answer) {
  auto found = find_recommendation(current, answer.number);
  if (!found) return found.error();
  auto recorded_for = answering_for(definition, current, actor, **found);
  if (!recorded_for) return recorded_for.error();
  const auto status = recommendation_status_from_string(answer.status);
  if (!status || !is_answered(*status)) {
    return make_error(ErrorCode::invalid_argument, "answer status " + in_quotes(answer.status) +
                                                       " is not one of: accepted, partly_accepted, not_accepted");
  }
  if (is_answered((*found)->status)) {
    return make_error(ErrorCode::invalid_argument, "recommendation " + std::to_string(answer.number) +
                                                       " is already answered (" + to_string((*found)->status) + ")");
  }
  if (*status == RecommendationStatus::not_accepted && answer.text.empty()) {
    return make_error(ErrorCode::invalid_argument, "a recommendation not accepted needs the explanation (--text)");
  }
  if (!answer.text.empty()) {
    if (const Status text = check_text("answer text", answer.text, kMaxLongText, true); !text) return text.error();
  }
  return Events{stamp(
      RecommendationAnswered{answer.number, *status, answer.text, answer.reply_document, std::move(*recorded_for)},
      actor, at)};
}

Result<Events> decide_scheduled(const Case& current, const Actor& actor, Timestamp at, int number, bool escalate) {
  if (!actor.is_system) {
    return make_error(ErrorCode::role_not_allowed, "only the scheduler marks recommendations unanswered or escalated");
  }
  auto found = find_recommendation(current, number);
  if (!found) return found.error();
  const RecommendationStatus expected = escalate ? RecommendationStatus::unanswered : RecommendationStatus::sent;
  if ((*found)->status != expected) {
    return make_error(ErrorCode::invalid_argument, "recommendation " + std::to_string(number) + " is " +
                                                       to_string((*found)->status) + ", not " + to_string(expected));
  }
  if (escalate) return Events{stamp(RecommendationEscalated{number}, actor, at)};
  return Events{stamp(RecommendationUnanswered{number}, actor, at)};
}

// The guards and events of every command on an existing, open case.
struct Decider {
  const WorkflowDefinition& definition;
  const Case& current;
  const Actor& actor;
  Timestamp at;

  Result<Events> operator()(const OpenCase&) const {
    return make_error(ErrorCode::already_exists, "case " + current.number + " is already open");
  }
  Result<Events> operator()(const AssignCase& assign) const {
    if (const Status allowed = require_role(actor, current, definition.permissions.assign, "assign cases", true);
        !allowed)
      return allowed.error();
    if (assign.assignee.empty()) {
      return make_error(ErrorCode::invalid_argument,
                        "assign needs a user; to leave case " + current.number + " unassigned, unassign it");
    }
    if (assign.assignee == current.assignee) {
      return make_error(ErrorCode::invalid_argument,
                        "case " + current.number + " is already assigned to " + in_quotes(assign.assignee));
    }
    if (const Status assignable = check_assignee(definition, current, assign); !assignable) return assignable.error();
    return Events{stamp(CaseAssigned{assign.assignee, current.assignee}, actor, at)};
  }
  Result<Events> operator()(const UnassignCase&) const {
    if (const Status allowed = require_role(actor, current, definition.permissions.assign, "unassign cases", true);
        !allowed)
      return allowed.error();
    if (current.assignee.empty())
      return make_error(ErrorCode::invalid_argument, "case " + current.number + " is not assigned to anyone");
    return Events{stamp(CaseUnassigned{current.assignee}, actor, at)};
  }
  Result<Events> operator()(const MoveCase& move) const { return decide_move(definition, current, actor, at, move); }
  Result<Events> operator()(const AddComment& comment) const {
    if (const Status allowed = require_role(actor, current, definition.permissions.comment, "comment", true); !allowed)
      return allowed.error();
    if (const Status text = check_text("comment", comment.text, kMaxLongText, true); !text) return text.error();
    return Events{stamp(CommentAdded{comment.text}, actor, at)};
  }
  Result<Events> operator()(const SetFields& set) const {
    if (const Status allowed = require_role(actor, current, definition.permissions.set_fields, "set fields"); !allowed)
      return allowed.error();
    if (set.fields.empty()) return make_error(ErrorCode::invalid_argument, "no field to set");
    auto fields = canonical_fields(definition, set.fields, nullptr, "");
    if (!fields) return fields.error();
    return Events{stamp(FieldsSet{std::move(*fields)}, actor, at)};
  }
  Result<Events> operator()(const AttachDocument& attach) const {
    if (const Status allowed = require_role(actor, current, definition.permissions.attach, "attach documents");
        !allowed)
      return allowed.error();
    if (definition.document_kind(attach.kind) == nullptr) {
      std::vector<std::string> kinds;
      for (const auto& kind : definition.document_kinds) kinds.push_back(kind.id);
      return make_error(ErrorCode::invalid_argument,
                        "unknown document kind " + in_quotes(attach.kind) + " (kinds: " + join(kinds) + ")");
    }
    if (const Status name = check_text("file name", attach.file_name, kMaxShortText, false); !name) return name.error();
    if (attach.sha256.size() != 64)
      return make_error(ErrorCode::invalid_argument, "a document needs its SHA-256 (64 hex digits)");
    const auto same_kind = std::count_if(current.documents.begin(), current.documents.end(),
                                         [&](const DocumentRecord& d) { return d.kind == attach.kind; });
    return Events{stamp(DocumentAttached{attach.kind, attach.file_name, attach.sha256, attach.size, attach.media_type,
                                         static_cast<int>(same_kind) + 1},
                        actor, at)};
  }
  Result<Events> operator()(const IssueDocument& issue) const {
    if (const Status allowed = require_role(actor, current, definition.permissions.issue, "issue documents"); !allowed)
      return allowed.error();
    if (const Status kind = check_text("document kind", issue.kind, kMaxShortText, false); !kind) return kind.error();
    if (const Status name = check_text("file name", issue.file_name, kMaxShortText, false); !name) return name.error();
    if (const Status title = check_text("title", issue.title, kMaxShortText, false); !title) return title.error();
    if (issue.register_kind.empty() || issue.symbol.empty())
      return make_error(ErrorCode::invalid_argument, "an issued document needs its register and symbol");
    if (issue.sha256.size() != 64)
      return make_error(ErrorCode::invalid_argument, "a document needs its SHA-256 (64 hex digits)");
    if (issue.number < 1 || issue.year < 1)
      return make_error(ErrorCode::internal, "the store gives an issued document its number");
    const auto same_kind = std::count_if(current.documents.begin(), current.documents.end(),
                                         [&](const DocumentRecord& d) { return d.kind == issue.kind; });
    return Events{stamp(DocumentIssued{issue.kind, issue.file_name, issue.sha256, issue.size, issue.media_type,
                                       static_cast<int>(same_kind) + 1, issue.register_kind, issue.year, issue.number,
                                       std::to_string(issue.number) + "/" + issue.symbol, issue.title},
                        actor, at)};
  }
  Result<Events> operator()(const AddRecommendation& add) const {
    if (const Status allowed = require_role(actor, current, definition.permissions.recommend, "add recommendations");
        !allowed) {
      return allowed.error();
    }
    if (const Status open = may_add_recommendation(current); !open) return open.error();
    if (const Status to = check_text("addressee", add.addressee, kMaxShortText, false); !to) return to.error();
    if (const Status text = check_text("recommendation text", add.text, kMaxLongText, true); !text) return text.error();
    const int number = static_cast<int>(current.recommendations.size()) + 1;
    return Events{
        stamp(RecommendationAdded{number, add.addressee, add.text, adds_as_draft(definition, current)}, actor, at)};
  }
  Result<Events> operator()(const AnswerRecommendation& answer) const {
    if (const Status allowed = require_role(actor, current, definition.permissions.answer, "answer recommendations");
        !allowed) {
      return allowed.error();
    }
    return decide_answer(definition, current, actor, at, answer);
  }
  Result<Events> operator()(const MarkRecommendationUnanswered& mark) const {
    return decide_scheduled(current, actor, at, mark.number, false);
  }
  Result<Events> operator()(const EscalateRecommendation& escalate) const {
    return decide_scheduled(current, actor, at, escalate.number, true);
  }
  Result<Events> operator()(const RecordDeadline& record) const {
    if (const Status allowed = for_current_stage(record.stage); !allowed) return allowed.error();
    const std::string previous = current.deadline ? current.deadline->due : "";
    if (record.due == previous && current.deadline && format_timestamp(current.deadline->due_at) == record.due_at &&
        current.deadline->provisional == record.provisional) {
      return make_error(ErrorCode::invalid_argument,
                        "the due date of stage " + in_quotes(record.stage) + " is already " + previous);
    }
    return Events{stamp(
        DeadlineSet{record.stage, record.due, record.due_at, previous, record.reason, record.provisional}, actor, at)};
  }
  Result<Events> operator()(const RecordReminder& reminder) const {
    if (const Status allowed = for_current_stage(reminder.stage); !allowed) return allowed.error();
    return Events{stamp(
        DeadlineReminded{reminder.stage, reminder.due, reminder.days_before, reminder.days_left, reminder.skipped},
        actor, at)};
  }
  Result<Events> operator()(const RecordBreach& breach) const {
    if (const Status allowed = for_current_stage(breach.stage); !allowed) return allowed.error();
    return Events{stamp(DeadlineBreached{breach.stage, breach.due}, actor, at)};
  }
  Result<Events> operator()(const EscalateCase& escalate) const {
    if (const Status allowed = for_current_stage(escalate.stage); !allowed) return allowed.error();
    if (escalate.role.empty())
      return make_error(ErrorCode::invalid_argument, "an escalation names the role made responsible");
    return Events{stamp(CaseEscalated{escalate.stage, escalate.due, escalate.role, escalate.unit}, actor, at)};
  }
  Result<Events> operator()(const RecordDelivery& record) const {
    if (!actor.is_system) return make_error(ErrorCode::role_not_allowed, "only the dispatcher records deliveries");
    if (record.delivered) {
      return Events{stamp(
          NotificationDelivered{record.channel, record.recipient, record.idempotency_key, record.attempts}, actor, at)};
    }
    return Events{stamp(
        NotificationFailed{record.channel, record.recipient, record.idempotency_key, record.attempts, record.error},
        actor, at)};
  }

 private:
  // Deadline facts come from the scheduler and concern the stage the case is in.
  Status for_current_stage(const std::string& stage) const {
    if (!actor.is_system)
      return make_error(ErrorCode::role_not_allowed, "only the scheduler records deadlines, reminders and breaches");
    if (stage != current.stage) {
      return make_error(ErrorCode::invalid_argument,
                        "case " + current.number + " is no longer in stage " + in_quotes(stage));
    }
    return Ok{};
  }
};

}  // namespace

Result<std::vector<Event>> decide(const WorkflowDefinition& definition, const Case& current, const Actor& actor,
                                  Timestamp at, const Command& typed) {
  const Command command = with_nfc_text(typed);  // the one place text typed by people enters a case
  if (const auto* open = std::get_if<OpenCase>(&command); open != nullptr && current.version == 0) {
    return decide_open(definition, actor, at, *open);
  }
  if (current.version == 0) return make_error(ErrorCode::not_found, "the case does not exist yet; open it first");
  if (current.workflow_id != definition.id || current.workflow_version != definition.version) {
    return make_error(ErrorCode::internal, "case " + current.number + " follows " + current.workflow_id + " v" +
                                               std::to_string(current.workflow_version) + ", not " + definition.id +
                                               " v" + std::to_string(definition.version));
  }
  const StageDefinition* stage = definition.stage(current.stage);
  if (stage != nullptr && stage->terminal) {
    return make_error(ErrorCode::case_closed,
                      "case " + current.number + " is closed (stage " + in_quotes(current.stage) + ")");
  }
  return std::visit(Decider{definition, current, actor, at}, command);
}

Result<Outcome> execute(const WorkflowDefinition& definition, const Case& current, const Actor& actor, Timestamp at,
                        const Command& command) {
  auto events = decide(definition, current, actor, at, command);
  if (!events) return events.error();
  Case state = current;
  for (const auto& event : *events) state = apply(std::move(state), event);
  return Outcome{std::move(state), std::move(events.value())};
}

}  // namespace docket
