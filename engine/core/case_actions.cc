#include "core/case_actions.h"

#include <algorithm>
#include <set>

#include "core/acting.h"
#include "core/recommendation_rules.h"
#include "core/state_machine.h"

namespace docket {
namespace {

// What `transition` waits for, leaving out the fields its form asks for (its `sets`).
std::vector<Error> waiting_for(const Case& current, const TransitionDefinition& transition) {
  TransitionDefinition asked = transition;
  const auto set_by_form = [&](const std::string& field) {
    return std::find(transition.sets.begin(), transition.sets.end(), field) != transition.sets.end();
  };
  std::erase_if(asked.requires_.fields, set_by_form);
  std::erase_if(asked.requires_.field_values, [&](const auto& condition) { return set_by_form(condition.field); });
  return unmet_requirements(current, asked);
}

}  // namespace

CaseActions case_actions(const WorkflowDefinition& definition, const Case& current, const Actor& actor) {
  CaseActions actions;
  const StageDefinition* stage = definition.stage(current.stage);
  if (stage == nullptr || stage->terminal || current.workflow_id != definition.id) return actions;
  const Permissions& allowed = definition.permissions;
  for (const TransitionDefinition* transition : definition.transitions_from(current.stage)) {
    if (!may_act(actor, current, transition->roles)) continue;
    actions.transitions.push_back({transition, waiting_for(current, *transition)});
  }
  // The commands the escalated-to holders may always make (acting.h) say so with `true`.
  actions.comment = require_role(actor, current, allowed.comment, "comment", true).ok();
  actions.assign = require_role(actor, current, allowed.assign, "assign cases", true).ok();
  actions.set_fields = may_act(actor, current, allowed.set_fields);
  actions.attach = may_act(actor, current, allowed.attach);
  actions.recommend = may_act(actor, current, allowed.recommend) && may_add_recommendation(current).ok();
  actions.issue = may_act(actor, current, allowed.issue);
  actions.answer = may_act(actor, current, allowed.answer);
  if (actions.answer) {
    for (const Recommendation& recommendation : current.recommendations) {
      if (is_answered(recommendation.status) || recommendation.status == RecommendationStatus::draft) continue;
      if (answering_for(definition, current, actor, recommendation).ok())
        actions.answerable.push_back(recommendation.number);
    }
  }
  return actions;
}

bool has_turn(const WorkflowDefinition& definition, const Case& current, const Actor& actor) {
  const StageDefinition* stage = definition.stage(current.stage);
  if (stage == nullptr || stage->terminal || current.workflow_id != definition.id) return false;
  if (!current.assignee.empty() && current.assignee == actor.user) return true;
  if (is_escalated_holder(actor, current)) return true;
  for (const TransitionDefinition* transition : definition.transitions_from(current.stage)) {
    if (!transition->from_any && may_act(actor, current, transition->roles)) return true;
  }
  const CaseActions actions = case_actions(definition, current, actor);
  return std::any_of(actions.answerable.begin(), actions.answerable.end(), [&](int number) {
    const Recommendation* recommendation = current.recommendation(number);
    return recommendation != nullptr && recommendation->addressee == actor.user;
  });
}

std::vector<std::string> turn_stages(const WorkflowDefinition& definition, const std::string& role, RoleScope scope) {
  std::set<std::string> stages;
  for (const TransitionDefinition& transition : definition.transitions) {
    if (transition.from_any) continue;
    const bool listed = std::any_of(transition.roles.begin(), transition.roles.end(), [&](const std::string& entry) {
      const auto parsed = parse_role_entry(entry);
      return parsed && parsed->role == role && parsed->scope == scope;
    });
    if (!listed) continue;
    for (const std::string& from : transition.from) {
      const StageDefinition* stage = definition.stage(from);
      if (stage != nullptr && !stage->terminal) stages.insert(from);
    }
  }
  return {stages.begin(), stages.end()};
}

}  // namespace docket
