// What happened to a case. Events are facts: once the store commits one it is never changed.
// A case's state is the fold of its events (state_machine.h). Plain values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/case.h"
#include "core/time.h"

namespace docket {

struct CaseOpened {
  std::string number;
  std::string workflow_id;
  int workflow_version = 0;
  std::string title;
  std::string unit;
  std::string stage;
  std::map<std::string, std::string> fields;
  bool operator==(const CaseOpened&) const = default;
};
struct CaseAssigned {
  std::string assignee;
  std::string previous;
  bool operator==(const CaseAssigned&) const = default;
};
struct CaseUnassigned {
  std::string previous;
  bool operator==(const CaseUnassigned&) const = default;
};
struct StageChanged {
  std::string transition;
  std::string from;
  std::string to;
  std::map<std::string, std::string> fields;  // set by the transition
  bool operator==(const StageChanged&) const = default;
};
struct CommentAdded {
  std::string text;
  bool operator==(const CommentAdded&) const = default;
};
struct FieldsSet {
  std::map<std::string, std::string> fields;  // an empty value means the field was cleared
  bool operator==(const FieldsSet&) const = default;
};
struct DocumentAttached {
  std::string kind;
  std::string file_name;
  std::string sha256;
  std::int64_t size = 0;
  std::string media_type;
  int version = 1;
  bool operator==(const DocumentAttached&) const = default;
};
struct DocumentIssued {  // a document of the committee took its number in the outgoing register
  std::string kind;
  std::string file_name;
  std::string sha256;
  std::int64_t size = 0;
  std::string media_type;
  int version = 1;  // among the case's documents of this kind, as for DocumentAttached
  std::string register_kind;
  int year = 0;
  int number = 0;
  std::string reference;  // what is printed: "15/CV-MTTQ-BTT"
  std::string title;
  bool operator==(const DocumentIssued&) const = default;
};
struct RecommendationAdded {
  int number = 0;
  std::string addressee;
  std::string text;
  bool draft = false;  // true: it waits for the workflow's issuing transition (recommendation_rules.h)
  bool operator==(const RecommendationAdded&) const = default;
};
struct RecommendationsIssued {  // an issues_recommendations transition sent these drafts
  std::vector<int> numbers;
  bool operator==(const RecommendationsIssued&) const = default;
};
struct RecommendationAnswered {
  int number = 0;
  RecommendationStatus status = RecommendationStatus::accepted;
  std::string text;
  std::string reply_document;
  std::string recorded_for = {};  // the addressee, when someone else recorded its answer; empty otherwise
  bool operator==(const RecommendationAnswered&) const = default;
};
struct RecommendationUnanswered {
  int number = 0;
  bool operator==(const RecommendationUnanswered&) const = default;
};
struct RecommendationEscalated {
  int number = 0;
  bool operator==(const RecommendationEscalated&) const = default;
};

// Deadline facts, recorded by the deadlines plugin through scheduler commands.
struct DeadlineSet {  // the current stage's due date, on entering it or when it moves
  std::string stage;
  std::string due;           // YYYY-MM-DD; empty: the stage has no due date any more
  std::string due_at;        // the moment it is breached (UTC); empty with `due`
  std::string previous_due;  // empty when the stage had no due date before
  std::string reason;        // "stage entered", "field session_date changed", "calendar changed"
  // Why the due date may still move: "no working-day calendar for 2029" when it was counted in or
  // through a year the calendar has no data for. Empty when the due date is final.
  std::string provisional{};
  bool operator==(const DeadlineSet&) const = default;
};
// A reminder's moment came. `days_before` is the workflow's rule ("5 days before"); `days_left`
// the days (of the deadline's unit) actually left when it fired; `skipped` says why it was not
// sent, when its deadline had already passed (a scheduler that was down catches up).
struct DeadlineReminded {
  std::string stage;
  std::string due;
  int days_before = 0;
  std::optional<int> days_left{};  // none in reminders recorded before it was kept
  std::string skipped{};           // empty: the reminder was sent
  bool operator==(const DeadlineReminded&) const = default;
};
struct DeadlineBreached {
  std::string stage;
  std::string due;
  bool operator==(const DeadlineBreached&) const = default;
};
struct CaseEscalated {  // the role at the unit above is made responsible
  std::string stage;
  std::string due;
  std::string role;
  std::string unit;
  bool operator==(const CaseEscalated&) const = default;
};

// Delivery of an outgoing message (notifications plugin): the outcome joins the case history.
struct NotificationDelivered {
  std::string channel;
  std::string recipient;
  std::string idempotency_key;  // "<event seq>:<channel>:<recipient>"
  int attempts = 1;
  bool operator==(const NotificationDelivered&) const = default;
};
struct NotificationFailed {  // given up: dead-lettered after the last attempt, or refused outright
  std::string channel;
  std::string recipient;
  std::string idempotency_key;
  int attempts = 1;
  std::string error;
  bool operator==(const NotificationFailed&) const = default;
};

using EventPayload =
    std::variant<CaseOpened, CaseAssigned, CaseUnassigned, StageChanged, CommentAdded, FieldsSet, DocumentAttached,
                 DocumentIssued, RecommendationAdded, RecommendationsIssued, RecommendationAnswered,
                 RecommendationUnanswered, RecommendationEscalated, DeadlineSet, DeadlineReminded, DeadlineBreached,
                 CaseEscalated, NotificationDelivered, NotificationFailed>;

struct Event {
  EventPayload payload;
  Timestamp at{};
  std::string actor;
  bool operator==(const Event&) const = default;
};

// The stable type name stored with each event: "case.opened", "case.assigned", "case.unassigned",
// "stage.changed", "comment.added", "fields.set", "document.attached", "document.issued", "recommendation.added",
// "recommendations.issued", "recommendation.answered", "recommendation.unanswered", "recommendation.escalated",
// "deadline.set" (or "deadline.changed" when it had a due date before), "deadline.reminder",
// "deadline.breached", "case.escalated", "notification.delivered", "notification.failed".
const char* event_type(const EventPayload& payload);

}  // namespace docket
