// Checks that a loaded workflow definition makes sense as a whole: ids are unique, every
// reference names something declared, and the stage graph lets every case start, move and end.
// Pure and thread-safe. The loader runs it after the file's shape has been checked.
#pragma once

#include <string>
#include <vector>

#include "core/workflow.h"

namespace docket {

enum class Severity { error, warning };

// One finding, located by a JSON path into the definition ("$.transitions[3].to").
struct Diagnostic {
  Severity severity = Severity::error;
  std::string path;
  std::string message;
};

bool has_errors(const std::vector<Diagnostic>& diagnostics);

// Every problem found, in file order within each kind of check. Empty when the definition
// is sound. Warnings (a non-terminal stage without a deadline) do not make it invalid.
std::vector<Diagnostic> validate_workflow(const WorkflowDefinition& definition);

}  // namespace docket
