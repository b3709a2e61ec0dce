#include "core/event.h"

namespace docket {
namespace {

struct TypeName {
  const char* operator()(const CaseOpened&) const { return "case.opened"; }
  const char* operator()(const CaseAssigned&) const { return "case.assigned"; }
  const char* operator()(const CaseUnassigned&) const { return "case.unassigned"; }
  const char* operator()(const StageChanged&) const { return "stage.changed"; }
  const char* operator()(const CommentAdded&) const { return "comment.added"; }
  const char* operator()(const FieldsSet&) const { return "fields.set"; }
  const char* operator()(const DocumentAttached&) const { return "document.attached"; }
  const char* operator()(const DocumentIssued&) const { return "document.issued"; }
  const char* operator()(const RecommendationAdded&) const { return "recommendation.added"; }
  const char* operator()(const RecommendationsIssued&) const { return "recommendations.issued"; }
  const char* operator()(const RecommendationAnswered&) const { return "recommendation.answered"; }
  const char* operator()(const RecommendationUnanswered&) const { return "recommendation.unanswered"; }
  const char* operator()(const RecommendationEscalated&) const { return "recommendation.escalated"; }
  const char* operator()(const DeadlineSet& e) const {
    return e.previous_due.empty() ? "deadline.set" : "deadline.changed";
  }
  const char* operator()(const DeadlineReminded&) const { return "deadline.reminder"; }
  const char* operator()(const DeadlineBreached&) const { return "deadline.breached"; }
  const char* operator()(const CaseEscalated&) const { return "case.escalated"; }
  const char* operator()(const NotificationDelivered&) const { return "notification.delivered"; }
  const char* operator()(const NotificationFailed&) const { return "notification.failed"; }
};

}  // namespace

const char* event_type(const EventPayload& payload) { return std::visit(TypeName{}, payload); }

}  // namespace docket
