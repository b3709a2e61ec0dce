// A workflow's stages and transitions as an SVG picture drawn on the server: stages in columns
// by their distance from the initial stage, an arrow for each transition. The case page marks
// the stage a case is in and those it went through. Pure; thread-safe.
#pragma once

#include <set>
#include <string>

#include "core/workflow.h"
#include "web/page.h"

namespace docket::web {

// The SVG element (inline in a page), its labels in `language`. `current` and `visited` (stage
// ids) are highlighted; both may be empty.
std::string stage_graph_svg(const WorkflowDefinition& definition, const Language& language,
                            const std::string& current = "", const std::set<std::string>& visited = {});

}  // namespace docket::web
