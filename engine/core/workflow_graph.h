// The stage graph of a workflow as text for people, Mermaid or Graphviz dot. Pure.
#pragma once

#include <string>

#include "core/workflow.h"

namespace docket {

enum class GraphFormat { text, mermaid, dot };

// The whole graph: stages (initial, terminal, deadline) and transitions with their roles.
// Labels are Vietnamese with the English in brackets.
std::string render_workflow(const WorkflowDefinition& definition, GraphFormat format);

}  // namespace docket
