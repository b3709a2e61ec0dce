// The figures of a six-monthly or yearly review, computed from case histories alone: a pure
// fold of each case's events up to a cutoff moment, so the same history and cutoff always give
// the same numbers. No I/O, no clock; thread-safe. Definitions: docs/reports.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/workflow.h"
#include "reports/period.h"
#include "store/report_facts.h"

namespace docket::reports {

// Counts over a group of cases. Each field is defined in docs/reports.md.
struct Figures {
  int opened = 0;                // cases opened in the period
  int closed = 0;                // cases that reached a terminal stage in the period
  int in_progress = 0;           // cases still open at the end of the period (or at the cutoff, if earlier)
  int stages_on_time = 0;        // stages with a due date left in the period before that due date
  int stages_late = 0;           // ... left at or after it
  int overdue_now = 0;           // open cases whose current stage is past its due date at the cutoff
  int recommendations_made = 0;  // made in the period; the rest describe those at the cutoff
  int answered = 0;              // = accepted + partly_accepted + not_accepted
  int accepted = 0;
  int partly_accepted = 0;
  int not_accepted = 0;
  int unanswered = 0;         // = recommendations_made - answered
  int escalated = 0;          // escalated at some point up to the cutoff (answered since or not)
  long long answer_days = 0;  // calendar days from made to answered, summed over the answered
  int dialogues_held = 0;     // transitions recording a dialogue taken in the period
  int conferences_held = 0;   // ... a conference
  int late_dossiers = 0;      // cases received in the period whose dossier came late (LateDossierRule)

  Figures& operator+=(const Figures& other);
  // answer_days / answered, rounded to one decimal; nullopt when none was answered.
  std::optional<double> average_days_to_answer() const;
  bool operator==(const Figures&) const = default;
};

// What one case contributes to a report.
struct CaseFigures {
  bool in_scope = false;  // opened by the period's end and not closed before its start
  std::string form;       // the value of the workflow's form field at the cutoff; empty when unset
  Figures figures;
};

// Folds `history` (the case's events, oldest first, under `definition`) up to `cutoff` and
// counts what the case contributes to `period`. A case not yet opened at the cutoff is out of
// scope.
CaseFigures case_figures(const WorkflowDefinition& definition, const std::vector<Event>& history,
                         const ReportPeriod& period, Timestamp cutoff);

// The same from the case's kept report facts (store/report_facts.h, folded from the same
// history under the same definition): equal to case_figures for every period and cutoff. What
// read_report counts with; case_figures stays the definition it is tested against.
CaseFigures facts_figures(const ReportFacts& facts, const ReportPeriod& period, Timestamp cutoff);

}  // namespace docket::reports
