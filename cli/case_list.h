// docket case list: the cases the acting user (--as) may read, exactly those the API lists for
// them (GET /api/v1/cases), by number or by due date, all of them unless --limit says
// otherwise. Registered under `docket case` by add_case_commands (case_commands.cc).
#pragma once

#include <vector>

#include "app.h"
#include "store/access_policy.h"
#include "workspace/workspace.h"

namespace docket::cli {

void add_case_list_command(CLI::App& cases, Context& context);

// docket case recommendations: the recommendation tracker (recommendation_list.cc).
void add_recommendation_list_command(CLI::App& cases, Context& context);

// docket case import: cases from a spreadsheet (case_import_command.cc).
void add_case_import_command(CLI::App& cases, Context& context);

// Every case `filter` selects that `reader` may read, by number, as `case list` lists them.
// Errors: busy, storage.
Result<std::vector<Case>> readable_cases(Workspace& workspace, const Reader& reader, const CaseFilter& filter);

}  // namespace docket::cli
