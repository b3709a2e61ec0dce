#include "core/case.h"

#include <algorithm>
#include <array>
#include <utility>

namespace docket {
namespace {

constexpr std::array<std::pair<RecommendationStatus, const char*>, 7> kStatusNames{{
    {RecommendationStatus::sent, "sent"},
    {RecommendationStatus::accepted, "accepted"},
    {RecommendationStatus::partly_accepted, "partly_accepted"},
    {RecommendationStatus::not_accepted, "not_accepted"},
    {RecommendationStatus::unanswered, "unanswered"},
    {RecommendationStatus::escalated, "escalated"},
    {RecommendationStatus::draft, "draft"},
}};

}  // namespace

const char* to_string(RecommendationStatus status) {
  for (const auto& [candidate, name] : kStatusNames) {
    if (candidate == status) return name;
  }
  return "?";
}

std::optional<RecommendationStatus> recommendation_status_from_string(std::string_view name) {
  for (const auto& [status, candidate] : kStatusNames) {
    if (name == candidate) return status;
  }
  return std::nullopt;
}

bool is_answered(RecommendationStatus status) {
  return status == RecommendationStatus::accepted || status == RecommendationStatus::partly_accepted ||
         status == RecommendationStatus::not_accepted;
}

const Recommendation* Case::recommendation(int wanted) const {
  const auto it = std::find_if(recommendations.begin(), recommendations.end(),
                               [&](const Recommendation& r) { return r.number == wanted; });
  return it == recommendations.end() ? nullptr : &*it;
}

bool Case::has_document(std::string_view kind) const {
  return std::any_of(documents.begin(), documents.end(), [&](const DocumentRecord& d) { return d.kind == kind; });
}

}  // namespace docket
