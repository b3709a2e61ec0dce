// A case: one critique, supervision or report moving through its workflow, as it stands now.
// The state is what folding the case's events gives (see state_machine.h); nothing else
// writes it. Plain value type; copy freely.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"

namespace docket {

// draft: made but not issued yet (core/recommendation_rules.h); sent: issued, awaiting its answer.
enum class RecommendationStatus { sent, accepted, partly_accepted, not_accepted, unanswered, escalated, draft };

const char* to_string(RecommendationStatus status);
std::optional<RecommendationStatus> recommendation_status_from_string(std::string_view name);
// accepted, partly_accepted and not_accepted: the addressed body has answered.
bool is_answered(RecommendationStatus status);

// A numbered recommendation (kiến nghị) the case sends to a body that must answer it.
struct Recommendation {
  int number = 0;
  std::string addressee;
  std::string text;
  RecommendationStatus status = RecommendationStatus::sent;
  Timestamp made_at{};
  std::string answer_text;  // the body's answer or explanation
  std::optional<Timestamp> answered_at;
  std::string reply_document;  // SHA-256 of the reply document, when one was attached
  bool operator==(const Recommendation&) const = default;
};

// A document attached to the case; content lives in the store under its SHA-256.
struct DocumentRecord {
  std::string kind;
  std::string file_name;
  std::string sha256;
  std::int64_t size = 0;
  std::string media_type;
  int version = 1;  // 1, 2, ... per kind: a new version keeps the old ones
  Timestamp attached_at{};
  std::string attached_by;
  std::string reference = {};  // issued documents: the number and symbol in the outgoing register
  bool operator==(const DocumentRecord&) const = default;
};

// The due date of the stage the case is in, as the deadlines plugin recorded it.
struct CaseDeadline {
  std::string stage;
  std::string due;     // YYYY-MM-DD
  Timestamp due_at{};  // breached from this moment
  bool breached = false;
  std::string escalated_to_role;  // set once escalated: who is now responsible
  std::string escalated_to_unit;
  std::string provisional{};  // why the due date may still move ("no working-day calendar for 2029")
  bool operator==(const CaseDeadline&) const = default;
};

struct Case {
  std::string number;  // "PB-2026-0007"
  std::string workflow_id;
  int workflow_version = 0;
  std::string title;
  std::string unit;  // organisation unit that owns the case
  std::string stage;
  std::string assignee;                       // user id; empty when unassigned
  std::map<std::string, std::string> fields;  // canonical text of each set field
  std::vector<Recommendation> recommendations;
  std::vector<DocumentRecord> documents;
  std::optional<CaseDeadline> deadline;  // none when the stage has no due date
  std::int64_t version = 0;              // number of events applied; the next event is version + 1
  std::string opened_by;
  Timestamp opened_at{};
  Timestamp stage_entered_at{};
  Timestamp updated_at{};
  bool operator==(const Case&) const = default;

  const Recommendation* recommendation(int number) const;
  bool has_document(std::string_view kind) const;
};

}  // namespace docket
