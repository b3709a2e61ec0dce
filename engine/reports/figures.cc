#include "reports/figures.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/state_machine.h"

namespace docket::reports {
namespace {

bool is_terminal(const WorkflowDefinition& definition, const std::string& stage) {
  const StageDefinition* found = definition.stage(stage);
  return found != nullptr && found->terminal;
}

bool has_due_date(const CaseDeadline& deadline) { return deadline.breached || deadline.due_at != Timestamp{}; }

// Past due at `at`: breached on record, or the moment the due date is breached has come (the
// scheduler may not have recorded the breach yet).
bool past_due(const CaseDeadline& deadline, Timestamp at) {
  return deadline.breached || (deadline.due_at != Timestamp{} && at >= deadline.due_at);
}

// The case leaves its current stage at `at`: on time or late, when the stage had a due date
// and the move falls in the period.
void count_stage_left(const Case& before, Timestamp at, const ReportPeriod& period, Figures& figures) {
  if (!before.deadline || before.deadline->stage != before.stage || !has_due_date(*before.deadline)) return;
  if (!period.contains(vietnam_date(at))) return;
  if (past_due(*before.deadline, at)) {
    ++figures.stages_late;
  } else {
    ++figures.stages_on_time;
  }
}

long long days_between(Timestamp from, Timestamp to) {
  return (std::chrono::sys_days{vietnam_date(to)} - std::chrono::sys_days{vietnam_date(from)}).count();
}

void count_recommendations(const Case& state, const std::set<int>& escalated, const ReportPeriod& period,
                           Figures& figures) {
  for (const Recommendation& recommendation : state.recommendations) {
    if (!period.contains(vietnam_date(recommendation.made_at))) continue;
    ++figures.recommendations_made;
    if (escalated.count(recommendation.number)) ++figures.escalated;
    if (!is_answered(recommendation.status) || !recommendation.answered_at) {
      ++figures.unanswered;
      continue;
    }
    ++figures.answered;
    figures.answer_days += days_between(recommendation.made_at, *recommendation.answered_at);
    if (recommendation.status == RecommendationStatus::accepted) ++figures.accepted;
    if (recommendation.status == RecommendationStatus::partly_accepted) ++figures.partly_accepted;
    if (recommendation.status == RecommendationStatus::not_accepted) ++figures.not_accepted;
  }
}

// What taking `moved` on `before` records as held (a dialogue or a conference), when in the period.
void count_held(const WorkflowDefinition& definition, const Case& before, const StageChanged& moved, Timestamp at,
                const ReportPeriod& period, Figures& figures) {
  const TransitionDefinition* transition = definition.transition(moved.transition);
  if (transition == nullptr || transition->held == Held::nothing || !period.contains(vietnam_date(at))) return;
  Held held = transition->held;
  if (held == Held::form) {
    const FieldDefinition* form = definition.form_field();
    const auto value = form == nullptr ? before.fields.end() : before.fields.find(form->id);
    if (value == before.fields.end()) return;
    held = value->second == "dialogue"     ? Held::dialogue
           : value->second == "conference" ? Held::conference
                                           : Held::nothing;
  }
  if (held == Held::dialogue) ++figures.dialogues_held;
  if (held == Held::conference) ++figures.conferences_held;
}

void count_late_dossier(const WorkflowDefinition& definition, const Case& state, const ReportPeriod& period,
                        Figures& figures) {
  if (!definition.late_dossier) return;
  const auto date_of = [&](const std::string& field) -> std::optional<Date> {
    const auto value = state.fields.find(field);
    return value == state.fields.end() ? std::nullopt : parse_date(value->second);
  };
  const auto received = date_of(definition.late_dossier->received);
  const auto due = date_of(definition.late_dossier->due);
  if (!received || !due || !period.contains(*received)) return;
  const auto days_before = (std::chrono::sys_days{*due} - std::chrono::sys_days{*received}).count();
  if (days_before < definition.late_dossier->days) ++figures.late_dossiers;
}

// A period as day numbers (days since 1970-01-01), as the kept facts date things.
struct DayRange {
  explicit DayRange(const ReportPeriod& period)
      : from(static_cast<int>(std::chrono::sys_days{period.from}.time_since_epoch().count())),
        to(static_cast<int>(std::chrono::sys_days{period.to}.time_since_epoch().count())) {}
  // Whether the moment `at` (UTC seconds) falls on one of the days, in Vietnam.
  bool holds(std::int64_t at) const {
    const int day = vietnam_day(at);
    return from <= day && day <= to;
  }
  int from, to;
};

// count_recommendations from kept facts: those made in the period and seen at `until`, as
// they stand then.
void count_kept_recommendations(const ReportFacts& facts, const DayRange& days, std::int64_t until, Figures& figures) {
  for (const auto& recommendation : facts.recommendations) {
    if (recommendation.states.empty() || recommendation.states.front().visible > until) continue;  // not made yet
    if (!days.holds(recommendation.made_at)) continue;
    ++figures.recommendations_made;
    const bool escalated = std::any_of(
        facts.escalations.begin(), facts.escalations.end(),
        [&](const ReportFacts::Escalation& e) { return e.number == recommendation.number && e.visible <= until; });
    if (escalated) ++figures.escalated;
    const ReportFacts::RecommendationState* state = &recommendation.states.front();
    for (const auto& later : recommendation.states) {
      if (later.visible <= until) state = &later;
    }
    if (!is_answered(state->status) || !state->answered_at) {
      ++figures.unanswered;
      continue;
    }
    ++figures.answered;
    figures.answer_days += vietnam_day(*state->answered_at) - vietnam_day(recommendation.made_at);
    if (state->status == RecommendationStatus::accepted) ++figures.accepted;
    if (state->status == RecommendationStatus::partly_accepted) ++figures.partly_accepted;
    if (state->status == RecommendationStatus::not_accepted) ++figures.not_accepted;
  }
}

}  // namespace

Figures& Figures::operator+=(const Figures& other) {
  opened += other.opened;
  closed += other.closed;
  in_progress += other.in_progress;
  stages_on_time += other.stages_on_time;
  stages_late += other.stages_late;
  overdue_now += other.overdue_now;
  recommendations_made += other.recommendations_made;
  answered += other.answered;
  accepted += other.accepted;
  partly_accepted += other.partly_accepted;
  not_accepted += other.not_accepted;
  unanswered += other.unanswered;
  escalated += other.escalated;
  answer_days += other.answer_days;
  dialogues_held += other.dialogues_held;
  conferences_held += other.conferences_held;
  late_dossiers += other.late_dossiers;
  return *this;
}

std::optional<double> Figures::average_days_to_answer() const {
  if (answered == 0) return std::nullopt;
  return std::round(static_cast<double>(answer_days) * 10.0 / answered) / 10.0;
}

CaseFigures case_figures(const WorkflowDefinition& definition, const std::vector<Event>& history,
                         const ReportPeriod& period, Timestamp cutoff) {
  CaseFigures result;
  Figures& figures = result.figures;
  Case state;
  std::optional<Timestamp> closed_at;
  std::set<int> escalated;
  // The history as it stood at the cutoff: the events committed up to then, in commit order.
  for (const Event& event : history) {
    if (event.at > cutoff) break;
    const bool stage_changed = std::holds_alternative<StageChanged>(event.payload);
    if (stage_changed) {
      count_stage_left(state, event.at, period, figures);
      count_held(definition, state, std::get<StageChanged>(event.payload), event.at, period, figures);
    }
    if (const auto* marked = std::get_if<RecommendationEscalated>(&event.payload)) escalated.insert(marked->number);
    state = apply(std::move(state), event);
    if (stage_changed && !closed_at && is_terminal(definition, state.stage)) closed_at = event.at;
  }
  if (state.number.empty()) return result;

  const Date opened = vietnam_date(state.opened_at);
  result.in_scope = opened <= period.to && (!closed_at || vietnam_date(*closed_at) >= period.from);
  if (!result.in_scope) return CaseFigures{};
  const Timestamp period_end = std::min(end_of_vietnam_day(period.to), cutoff);
  figures.opened = period.contains(opened) ? 1 : 0;
  figures.closed = closed_at && period.contains(vietnam_date(*closed_at)) ? 1 : 0;
  figures.in_progress = !closed_at || *closed_at > period_end ? 1 : 0;
  figures.overdue_now = !closed_at && state.deadline && past_due(*state.deadline, cutoff) ? 1 : 0;
  count_recommendations(state, escalated, period, figures);
  count_late_dossier(definition, state, period, figures);
  if (const FieldDefinition* form = definition.form_field()) {
    if (const auto value = state.fields.find(form->id); value != state.fields.end()) result.form = value->second;
  }
  return result;
}

CaseFigures facts_figures(const ReportFacts& facts, const ReportPeriod& period, Timestamp cutoff) {
  CaseFigures result;
  const std::int64_t until = cutoff.time_since_epoch().count();
  if (facts.opened_at > until) return result;  // not opened yet at the cutoff
  const DayRange days(period);
  const bool closed = facts.closed_at && facts.closed_visible <= until;
  const int opened_day = vietnam_day(facts.opened_at);
  result.in_scope = opened_day <= days.to && (!closed || vietnam_day(*facts.closed_at) >= days.from);
  if (!result.in_scope) return result;
  Figures& figures = result.figures;
  figures.opened = days.from <= opened_day ? 1 : 0;
  figures.closed = closed && days.holds(*facts.closed_at) ? 1 : 0;
  figures.in_progress = !closed || *facts.closed_at > end_of_vietnam_day(period.to).time_since_epoch().count() ? 1 : 0;
  // The case as the cutoff sees it: the last snapshot visible then (the first is the opening's).
  const auto now = std::find_if(facts.snapshots.rbegin(), facts.snapshots.rend(),
                                [&](const ReportFacts::Snapshot& snapshot) { return snapshot.visible <= until; });
  if (now != facts.snapshots.rend()) {
    result.form = now->form;
    figures.overdue_now = !closed && now->overdue_from && until >= *now->overdue_from ? 1 : 0;
    figures.late_dossiers =
        now->late_dossier_day && days.from <= *now->late_dossier_day && *now->late_dossier_day <= days.to ? 1 : 0;
  }
  for (const auto& left : facts.stages_left) {
    if (left.visible <= until && days.holds(left.at)) ++(left.late ? figures.stages_late : figures.stages_on_time);
  }
  for (const auto& held : facts.held) {
    if (held.visible <= until && days.holds(held.at))
      ++(held.conference ? figures.conferences_held : figures.dialogues_held);
  }
  count_kept_recommendations(facts, days, until, figures);
  return result;
}

}  // namespace docket::reports
