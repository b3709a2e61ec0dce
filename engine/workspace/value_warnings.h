// The warnings a change's values deserve (core/field_warnings.h), with the directory of this
// workspace saying who is a user: what the CLI prints and the API returns with a changed case.
// Thread-safety: as the Workspace (its owning thread).
#pragma once

#include <string>
#include <vector>

#include "core/case.h"
#include "core/command.h"
#include "workspace/workspace.h"

namespace docket {

// One line per value of `commands` worth a second look, as field_warnings says, for `changed`
// (the case they made, under its own workflow version). Empty when there is nothing to say or
// the workflow is not installed.
std::vector<std::string> value_warnings(Workspace& workspace, const Case& changed,
                                        const std::vector<Command>& commands);

}  // namespace docket
