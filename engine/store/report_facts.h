// The dated facts a review report counts (docs/reports.md), kept for each case as it changes so
// that a report reads one small row per case instead of folding its whole history. Every fact
// carries the moments it depends on, so the figures of any period as of any moment come out of
// them: the same numbers as folding the history cut at that moment (reports::case_figures, the
// reference definition; reports::facts_figures reads these).
//
// A fact is *visible* at a cutoff when the fold of the history cut there has taken its event:
// the fold stops at the first event later than the cutoff, so an event is visible from the
// latest moment among it and the events before it (`visible` below; equal to the event's own
// moment when the history's moments never go back).
//
// The store writes them in the transaction that appends the events (rows::save, the one path of
// every change and of import_case) and fills them from the histories when migrating to schema
// 14. Plain values and pure functions, thread-safe; read through CaseStore::each_report_facts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.h"
#include "core/event.h"
#include "core/workflow.h"

namespace docket {

struct ReportFacts {
  // A stage the case left, when it had a recorded due date (counted on time or late).
  struct StageLeft {
    std::int64_t at = 0, visible = 0;
    bool late = false;
  };
  // A transition that held a dialogue or a conference.
  struct Held {
    std::int64_t at = 0, visible = 0;
    bool conference = false;  // false: a dialogue
  };
  // One state of a recommendation from `visible` on.
  struct RecommendationState {
    std::int64_t visible = 0;
    RecommendationStatus status = RecommendationStatus::sent;
    std::optional<std::int64_t> answered_at;
  };
  struct Recommendation {
    int number = 0;
    std::int64_t made_at = 0;
    std::vector<RecommendationState> states;  // the first from the moment it was added, oldest first
  };
  // The first escalation recorded for a recommendation number.
  struct Escalation {
    int number = 0;
    std::int64_t visible = 0;
  };
  // What the case is at a cutoff, from `visible` until the next snapshot's.
  struct Snapshot {
    std::int64_t visible = 0;
    std::string form;                          // the form field's value; empty when unset
    std::optional<std::int64_t> overdue_from;  // the current stage is past due from then (breached: always)
    std::optional<int> late_dossier_day;       // days since 1970-01-01: a late dossier received that day
    bool operator==(const Snapshot&) const = default;
  };

  std::int64_t opened_at = 0;             // seconds since the epoch, UTC (visible then too)
  std::int64_t horizon = 0;               // the latest moment among the events so far
  std::optional<std::int64_t> closed_at;  // the first time the case reached a terminal stage
  std::int64_t closed_visible = 0;        // ... visible from then (with closed_at)
  std::vector<StageLeft> stages_left;
  std::vector<Held> held;
  std::vector<Recommendation> recommendations;  // in the order they were added
  std::vector<Escalation> escalations;
  std::vector<Snapshot> snapshots;  // oldest first; the first from the opening
};

// Folds facts on as a case changes: start() for a new case (or from the stored facts and the
// case's state before the change), then add() each event in order.
class ReportFactsBuilder {
 public:
  // `definition` (the case's workflow version) must outlive the builder.
  explicit ReportFactsBuilder(const WorkflowDefinition& definition) : definition_(definition) {}
  // Continues `facts` from `state`, the case folded up to now (facts and state of the same events).
  ReportFactsBuilder(const WorkflowDefinition& definition, ReportFacts facts, Case state)
      : definition_(definition), facts_(std::move(facts)), state_(std::move(state)) {}

  void add(const Event& event);
  const ReportFacts& facts() const { return facts_; }
  const Case& state() const { return state_; }

 private:
  // Each recommendation's state, when it changed, after an event about recommendations.
  void record_recommendations(std::int64_t visible);

  const WorkflowDefinition& definition_;
  ReportFacts facts_;
  Case state_;
};

// The facts of a whole history (oldest first) under `definition`.
ReportFacts report_facts_of(const WorkflowDefinition& definition, const std::vector<Event>& history);

// The stored form (compact bytes, versioned) and back; nullopt when `bytes` is not one.
std::string encode_report_facts(const ReportFacts& facts);
std::optional<ReportFacts> decode_report_facts(std::string_view bytes);

// Days since 1970-01-01 of the date in Vietnam at `seconds` (UTC seconds since the epoch).
int vietnam_day(std::int64_t seconds);

}  // namespace docket
