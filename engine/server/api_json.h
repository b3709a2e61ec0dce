// The JSON the API writes for workflows, users, what a caller may do on a case and a case's
// history (docs/api.md, docs/openapi.json). Each writer writes one value to a Json writer, so
// the CLI's --format json can write the same objects. Thread-safe (no state of their own).
#pragma once

#include <vector>

#include "core/case_actions.h"
#include "server/api_types.h"
#include "store/case_store.h"
#include "store/directory.h"
#include "workspace/workspace.h"

namespace docket::server {

// A workflow; with `graph`, its fields, roles, document kinds, stages, transitions (each with
// what it requires) and permissions, as the definition states them.
void write_workflow(Json& json, const WorkflowDefinition& definition, bool graph);

// A user of the directory: {"id", "name", "roles": [{"unit", "role"}]} (no secret, no address).
void write_user(Json& json, const User& user);
// The member "roles": [{"unit": ..., "role": ...}, ...].
void write_roles(Json& json, const std::vector<UserRole>& roles);

// What the caller may do on the case now (core/case_actions.h): each transition with whether
// it can be made now and, when not, every requirement still unmet ({code, message}, as a refused
// move lists them in details.problems); and the other commands allowed.
void write_actions(Json& json, const CaseActions& actions);

// One event of a case's history, with `label`: the sentence people read on the case page, in
// Vietnamese and English (web/event_text.h).
void write_event(Json& json, Workspace& workspace, const WorkflowDefinition* definition, const StoredEvent& stored);

}  // namespace docket::server
