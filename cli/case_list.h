// docket case list: the cases the acting user (--as) may read, exactly those the API lists for
// them (GET /api/v1/cases), by number or by due date, all of them unless --limit says
// otherwise. Registered under `docket case` by add_case_commands (case_commands.cc).
#pragma once

#include "app.h"

namespace docket::cli {

void add_case_list_command(CLI::App& cases, Context& context);

}  // namespace docket::cli
