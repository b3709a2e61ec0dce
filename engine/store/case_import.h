// Writing cases whose events were decided elsewhere (by the state machine, outside the store)
// exactly as the store writes them: both hash chains, the case row, its recommendations and
// documents, its search index mark. No plugin sees them. For loading a database in bulk (the
// scale benchmark's generator); everything else changes cases through CaseStore.
//
// Thread-safety: as the Database it is given. Call inside Database::write.
#pragma once

#include <cstdint>
#include <vector>

#include "core/case.h"
#include "core/event.h"
#include "core/workflow.h"
#include "store/case_store.h"
#include "store/database.h"

namespace docket {

// Stores a new case whose `events`, applied from an empty case, give `state`. Returns its row id.
// Errors: storage (e.g. the number is taken).
Result<std::int64_t> import_case(Database& database, const WorkflowDefinition& definition, const Case& state,
                                 const std::vector<Event>& events);

// Stores `upload`'s content under its SHA-256, once. Errors: storage.
Status import_document(Database& database, const Upload& upload);

}  // namespace docket
