#include "core/recommendation_rules.h"

#include <algorithm>
#include <set>

#include "core/acting.h"
#include "core/text.h"

namespace docket {
namespace {

// Whether an issuing transition can still be taken from `stage_id`, now or after other moves.
bool can_still_issue(const WorkflowDefinition& definition, const std::string& stage_id) {
  std::set<std::string> seen{stage_id};
  std::vector<std::string> work{stage_id};
  while (!work.empty()) {
    const std::string stage = work.back();
    work.pop_back();
    for (const TransitionDefinition* transition : definition.transitions_from(stage)) {
      if (transition->issues_recommendations) return true;
      if (seen.insert(transition->to).second) work.push_back(transition->to);
    }
  }
  return false;
}

// Whether `actor` may answer through a role that is not an outside party's: an officer.
bool answers_as_officer(const WorkflowDefinition& definition, const Case& current, const Actor& actor) {
  const auto& outside = definition.permissions.outside_parties;
  std::vector<std::string> officer_entries;
  for (const std::string& entry : definition.permissions.answer) {
    const auto parsed = parse_role_entry(entry);
    if (parsed && std::find(outside.begin(), outside.end(), parsed->role) == outside.end())
      officer_entries.push_back(entry);
  }
  return may_act(actor, current, officer_entries);
}

}  // namespace

bool adds_as_draft(const WorkflowDefinition& definition, const Case& current) {
  const bool issues =
      std::any_of(definition.transitions.begin(), definition.transitions.end(),
                  [](const TransitionDefinition& transition) { return transition.issues_recommendations; });
  return issues && can_still_issue(definition, current.stage);
}

Status may_add_recommendation(const Case& current) {
  const auto answered = std::find_if(current.recommendations.begin(), current.recommendations.end(),
                                     [](const Recommendation& r) { return is_answered(r.status); });
  if (answered == current.recommendations.end()) return Ok{};
  return make_error(ErrorCode::transition_not_allowed, "case " + current.number +
                                                           " can no longer get recommendations: recommendation " +
                                                           std::to_string(answered->number) + " is already answered");
}

std::vector<int> drafts(const Case& current) {
  std::vector<int> numbers;
  for (const Recommendation& recommendation : current.recommendations) {
    if (recommendation.status == RecommendationStatus::draft) numbers.push_back(recommendation.number);
  }
  return numbers;
}

Result<std::string> answering_for(const WorkflowDefinition& definition, const Case& current, const Actor& actor,
                                  const Recommendation& recommendation) {
  const std::string number = std::to_string(recommendation.number);
  if (recommendation.status == RecommendationStatus::draft) {
    return make_error(ErrorCode::transition_not_allowed,
                      "recommendation " + number + " is not issued yet: it cannot be answered before it is sent");
  }
  if (actor.user == recommendation.addressee) return std::string();
  if (answers_as_officer(definition, current, actor)) return recommendation.addressee;
  return make_error(ErrorCode::role_not_allowed,
                    "recommendation " + number + " is addressed to " + in_quotes(recommendation.addressee) +
                        ": only the addressee answers it, or an officer records its answer; user " +
                        in_quotes(actor.user) + " is neither");
}

}  // namespace docket
