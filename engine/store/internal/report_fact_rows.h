// The report_facts table (store/report_facts.h): one row per case with its dated report facts,
// written by rows::save in the transaction that appends the case's events, filled from the
// histories by the migration to schema 14, read by CaseStore::each_report_facts. Internal to
// the store; every function runs on the caller's connection (inside its transaction when it
// writes) and throws SQLite::Exception as SQLiteCpp does.
#pragma once

#include <cstdint>
#include <vector>

#include "core/case.h"
#include "core/event.h"
#include "core/workflow.h"
#include "store/database.h"

namespace docket::rows {

// Brings case `id`'s facts up to date with `events` (already applied to `before`, null for a
// new case, to give `after`). Reads the facts kept so far; when there are none (a case whose
// workflow was not installed when the facts were filled), folds its whole stored history.
void save_report_facts(StatementSource db, const WorkflowDefinition& definition, std::int64_t id, const Case* before,
                       const Case& after, const std::vector<Event>& events);

// Fills the table from every stored history (the migration to schema 14): one pass over the
// events in case order. Cases whose workflow version is not installed are left out (a report
// cannot place them either).
void rebuild_report_facts(Database& database);

}  // namespace docket::rows
