// apply() and fold() of state_machine.h: how each event changes a case.
#include <algorithm>

#include "core/state_machine.h"

namespace docket {
namespace {

void merge_fields(Case& state, const std::map<std::string, std::string>& fields) {
  for (const auto& [id, value] : fields) {
    if (value.empty()) {
      state.fields.erase(id);
    } else {
      state.fields[id] = value;
    }
  }
}

Recommendation* find(Case& state, int number) {
  const auto it = std::find_if(state.recommendations.begin(), state.recommendations.end(),
                               [&](const Recommendation& r) { return r.number == number; });
  return it == state.recommendations.end() ? nullptr : &*it;
}

struct Applier {
  Case& state;
  const Event& event;

  void operator()(const CaseOpened& opened) const {
    state = Case{};
    state.number = opened.number;
    state.workflow_id = opened.workflow_id;
    state.workflow_version = opened.workflow_version;
    state.title = opened.title;
    state.unit = opened.unit;
    state.stage = opened.stage;
    state.fields = opened.fields;
    state.opened_by = event.actor;
    state.opened_at = event.at;
    state.stage_entered_at = event.at;
  }
  void operator()(const CaseAssigned& assigned) const { state.assignee = assigned.assignee; }
  void operator()(const CaseUnassigned&) const { state.assignee.clear(); }
  void operator()(const StageChanged& changed) const {
    merge_fields(state, changed.fields);
    state.stage = changed.to;
    state.stage_entered_at = event.at;
    state.deadline.reset();  // the new stage's due date, if any, is recorded next
  }
  void operator()(const CommentAdded&) const {}
  void operator()(const FieldsSet& set) const { merge_fields(state, set.fields); }
  void operator()(const DocumentAttached& attached) const {
    state.documents.push_back(DocumentRecord{attached.kind, attached.file_name, attached.sha256, attached.size,
                                             attached.media_type, attached.version, event.at, event.actor});
  }
  void operator()(const DocumentIssued& issued) const {
    state.documents.push_back(DocumentRecord{issued.kind, issued.file_name, issued.sha256, issued.size,
                                             issued.media_type, issued.version, event.at, event.actor,
                                             issued.reference});
  }
  void operator()(const RecommendationAdded& added) const {
    Recommendation recommendation;
    recommendation.number = added.number;
    recommendation.addressee = added.addressee;
    recommendation.text = added.text;
    recommendation.made_at = event.at;
    if (added.draft) recommendation.status = RecommendationStatus::draft;
    state.recommendations.push_back(std::move(recommendation));
  }
  void operator()(const RecommendationsIssued& issued) const {
    for (const int number : issued.numbers) {
      if (Recommendation* recommendation = find(state, number)) recommendation->status = RecommendationStatus::sent;
    }
  }
  void operator()(const RecommendationAnswered& answered) const {
    if (Recommendation* recommendation = find(state, answered.number)) {
      recommendation->status = answered.status;
      recommendation->answer_text = answered.text;
      recommendation->answered_at = event.at;
      recommendation->reply_document = answered.reply_document;
    }
  }
  void operator()(const RecommendationUnanswered& marked) const {
    if (Recommendation* recommendation = find(state, marked.number))
      recommendation->status = RecommendationStatus::unanswered;
  }
  void operator()(const RecommendationEscalated& escalated) const {
    if (Recommendation* recommendation = find(state, escalated.number))
      recommendation->status = RecommendationStatus::escalated;
  }
  void operator()(const DeadlineSet& set) const {
    if (set.due.empty()) {
      state.deadline.reset();
      return;
    }
    CaseDeadline deadline;
    deadline.stage = set.stage;
    deadline.due = set.due;
    deadline.due_at = parse_datetime(set.due_at).value_or(Timestamp{});
    deadline.provisional = set.provisional;
    if (state.deadline && state.deadline->stage == set.stage) {  // a moved deadline keeps who is responsible
      deadline.escalated_to_role = state.deadline->escalated_to_role;
      deadline.escalated_to_unit = state.deadline->escalated_to_unit;
    }
    state.deadline = deadline;
  }
  void operator()(const DeadlineReminded&) const {}
  void operator()(const DeadlineBreached&) const {
    if (state.deadline) state.deadline->breached = true;
  }
  void operator()(const NotificationDelivered&) const {}
  void operator()(const NotificationFailed&) const {}
  void operator()(const CaseEscalated& escalated) const {
    if (!state.deadline) state.deadline = CaseDeadline{escalated.stage, escalated.due, {}, true, "", ""};
    state.deadline->escalated_to_role = escalated.role;
    state.deadline->escalated_to_unit = escalated.unit;
  }
};

}  // namespace

Case apply(Case current, const Event& event) {
  std::visit(Applier{current, event}, event.payload);
  current.version += 1;
  current.updated_at = event.at;
  return current;
}

Case fold(const std::vector<Event>& events) {
  Case state;
  for (const auto& event : events) state = apply(std::move(state), event);
  return state;
}

}  // namespace docket
