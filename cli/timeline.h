// A case's history for people: one line of text per event, and the timeline table that
// `case show` and `case history` print. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/event.h"
#include "core/workflow.h"
#include "output.h"
#include "store/case_store.h"

namespace docket::cli {

// What the event did, in one line: "assign: received -> assigned", "#2 not_accepted: ...".
// `definition` (the case's workflow, may be null) supplies the stage labels. Empty for an event
// type this file does not know yet; the timeline then shows the payload JSON instead.
std::string describe_event(const Event& event, const WorkflowDefinition* definition);

// Columns seq (in the case), at (a time: Vietnam time in text), actor, type, hash (case chain; only with `hashes`),
// details.
Table timeline_table(const std::vector<StoredEvent>& events, const WorkflowDefinition* definition, bool hashes);

// Each event as a JSON object: seq, log_seq, at, actor, type, details, payload (the stored
// canonical JSON), prev_hash and hash (case chain).
void write_timeline(JsonWriter& json, const std::vector<StoredEvent>& events, const WorkflowDefinition* definition);

}  // namespace docket::cli
