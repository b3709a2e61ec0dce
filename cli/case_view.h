// docket case show|history: reading one case, as the acting user (--as) may read it: a case
// they may not read is refused as an unknown one, as the API answers 404. Registered under
// `docket case` by add_case_commands (case_commands.cc), with `case list` (case_list.h).
#pragma once

#include "app.h"
#include "core/case.h"
#include "core/workflow_catalog.h"

namespace docket::cli {

void add_case_view_commands(CLI::App& cases, Context& context);

// Prints what a command left the case as: number, stage (with its label), assignee, version;
// with --format json, the case as the API answers a change (case_json).
void print_case_summary(Context& context, const WorkflowCatalog& catalog, const Case& state);

// The case as the API shows it (server/api_types.h write_case: the same writer, the same
// schema, UTC ISO times); `details` adds documents and recommendations, as GET /cases/{number}
// does (a list item leaves them out).
std::string case_json(const Case& state, const WorkflowDefinition* definition, bool details);

}  // namespace docket::cli
