// What a person (or the scheduler) asks to do to a case. Commands are requests: the state
// machine checks them against the workflow and the case and turns them into events, or refuses.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace docket {

// Who acts, and the roles they hold where it matters for the case: at its organisation unit,
// at the unit directly above it, and at the unit it was escalated to. The store gathers these
// facts from the directory (the last two only when the workflow or the case needs them);
// core/acting.h decides what they allow.
// The system actor (Actor::system(), stored as the user "system") is the engine acting on its
// own: the scheduler firing timers (deadline facts, marking recommendations unanswered and
// escalating them) and the notifications dispatcher recording deliveries.
struct Actor {
  std::string user;
  std::vector<std::string> roles;  // held at the case's own unit
  bool is_system = false;
  std::vector<std::string> roles_above = {};      // held at the unit directly above the case's unit
  std::vector<std::string> roles_escalated = {};  // held at Case::deadline->escalated_to_unit, when escalated

  static Actor system() { return Actor{"system", {}, true, {}, {}}; }
};

using FieldValues = std::map<std::string, std::string>;  // field id -> text as typed

struct OpenCase {
  std::string number;  // allocated by the store ("PB-2026-0007")
  std::string title;
  std::string unit;
  FieldValues fields;
};
struct AssignCase {
  std::string assignee;
  // Facts about the assignee, gathered by the store from the directory (what a caller puts
  // here is replaced): the roles they hold at the case's unit, and at the unit the case is
  // escalated to while it is.
  std::vector<std::string> assignee_roles = {};
  std::vector<std::string> assignee_roles_escalated = {};
};
struct UnassignCase {};
struct MoveCase {
  std::string transition;
  FieldValues fields;   // the values the transition's "sets" asks for
  std::string comment;  // optional
};
struct AddComment {
  std::string text;
};
struct SetFields {
  FieldValues fields;  // an empty value clears an optional field
};
struct AttachDocument {
  std::string kind;
  std::string file_name;
  std::string sha256;
  std::int64_t size = 0;
  std::string media_type;
};
// Issues a document the committee wrote (the recommendation letter, a report...) under the next
// number of the outgoing register (sổ văn bản đi) of the case's unit for `register_kind` and the
// year: the store allocates `number` and `year` in the same transaction (store/outgoing_register.h).
// A caller that printed a number on the file gives it; when it is no longer the next one, nothing
// is written (conflict). The file itself is stored with the case like an attached document.
struct IssueDocument {
  std::string kind;           // what the document is: "letter", "report", ...
  std::string register_kind;  // the register's abbreviation: "CV", "BC", ...
  std::string symbol;         // the whole symbol printed after the number: "CV-MTTQ-BTT"
  std::string title;          // what the register lists it as
  std::string file_name;
  std::string sha256;
  std::int64_t size = 0;
  std::string media_type;
  int number = 0;  // 0: the next one; otherwise it must be the next one
  int year = 0;    // set by the store: the year in Vietnam when it is issued
};
struct AddRecommendation {
  std::string addressee;
  std::string text;
};
struct AnswerRecommendation {
  int number = 0;
  std::string status;          // accepted | partly_accepted | not_accepted
  std::string text;            // required for not_accepted (the explanation)
  std::string reply_document;  // SHA-256 of an attached reply, optional
};
struct MarkRecommendationUnanswered {  // scheduler only
  int number = 0;
};
struct EscalateRecommendation {  // scheduler only
  int number = 0;
};

// Deadline facts (scheduler only); they yield the deadline events of event.h one to one.
struct RecordDeadline {
  std::string stage;
  std::string due;  // empty: no due date any more
  std::string due_at;
  std::string reason;
  std::string provisional{};  // why the due date may still move (see DeadlineSet); empty when final
};
struct RecordReminder {
  std::string stage;
  std::string due;
  int days_before = 0;
  std::optional<int> days_left{};  // see DeadlineReminded
  std::string skipped{};           // see DeadlineReminded
};
struct RecordBreach {
  std::string stage;
  std::string due;
};
struct EscalateCase {
  std::string stage;
  std::string due;
  std::string role;
  std::string unit;
};

// The outcome of delivering an outgoing message (dispatcher only). `delivered` false: given up.
struct RecordDelivery {
  std::string channel;
  std::string recipient;
  std::string idempotency_key;
  int attempts = 1;
  bool delivered = true;
  std::string error;
};

using Command =
    std::variant<OpenCase, AssignCase, UnassignCase, MoveCase, AddComment, SetFields, AttachDocument, IssueDocument,
                 AddRecommendation, AnswerRecommendation, MarkRecommendationUnanswered, EscalateRecommendation,
                 RecordDeadline, RecordReminder, RecordBreach, EscalateCase, RecordDelivery>;

}  // namespace docket
