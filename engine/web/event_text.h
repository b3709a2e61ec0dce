// A case's history as people read it on the case page: each event in a sentence of the page's
// language (from the catalogue's "ev_*" strings and the workflow's labels), with who did it, by
// name, and when, in Vietnam time. Thread-safety: as the Workspace.
#pragma once

#include <vector>

#include "store/case_store.h"
#include "web/page.h"
#include "workspace/workspace.h"

namespace docket::web {

// One sentence for `event`: "Chuyển giai đoạn: Đã tiếp nhận → Đã phân công".
std::string describe(Workspace& workspace, const WorkflowDefinition& definition, const Event& event,
                     const Language& language);

// The timeline: one item per event (at, actor, text), oldest first.
List timeline_data(Workspace& workspace, const WorkflowDefinition& definition, const std::vector<StoredEvent>& history,
                   const Language& language);

// The events after version `since` (what changed since a page showing that version was loaded).
List changes_since(Workspace& workspace, const WorkflowDefinition& definition, const std::vector<StoredEvent>& history,
                   std::int64_t since, const Language& language);

}  // namespace docket::web
