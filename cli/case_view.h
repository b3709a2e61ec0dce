// docket case show|history: reading one case, as the acting user (--as) may read it: a case
// they may not read is refused as an unknown one, as the API answers 404. Registered under
// `docket case` by add_case_commands (case_commands.cc), with `case list` (case_list.h).
#pragma once

#include "app.h"
#include "core/case.h"
#include "core/workflow_catalog.h"

namespace docket {
class Workspace;
struct Reader;
}  // namespace docket

namespace docket::cli {

void add_case_view_commands(CLI::App& cases, Context& context);

// The case `number` when `reader` may read it; otherwise unknown_case(number), the words for a
// case that is not there (the API's 404: no hint that it exists). Every command that shows a
// case reads it through here (case show, case history, document letter).
Result<Case> readable_case(Workspace& workspace, const Reader& reader, const std::string& number);

// Prints what a command left the case as: number, stage (with its label), assignee, version;
// with --format json, the case as the API answers a change (case_json).
void print_case_summary(Context& context, const WorkflowCatalog& catalog, const Case& state);

// The case as the API shows it (server/api_types.h write_case: the same writer, the same
// schema, UTC ISO times); `details` adds documents and recommendations, as GET /cases/{number}
// does (a list item leaves them out).
std::string case_json(const Case& state, const WorkflowDefinition* definition, bool details);

}  // namespace docket::cli
