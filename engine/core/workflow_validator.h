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

// The bounds of a stage deadline (docs/workflows.md): its offset, in days or working days, and
// how many days before the due date a reminder and after it an escalation may come. They keep
// deadline arithmetic short whatever a file says (an offset of 10^9 working days ran `case open`
// out of memory).
inline constexpr int kMaxDeadlineOffset = 3650;
inline constexpr int kMaxDeadlineLead = 365;

// A definition being checked for installing (a file), or read back from a database that
// installed it earlier: for those, the checks added since it was installed (an escalation that
// reaches nobody who can act) are warnings, so that an upgrade keeps every case workable.
enum class ValidationMode { new_version, installed };

// Every problem found, in file order within each kind of check. Empty when the definition
// is sound. Warnings (a non-terminal stage without a deadline) do not make it invalid.
std::vector<Diagnostic> validate_workflow(const WorkflowDefinition& definition,
                                          ValidationMode mode = ValidationMode::new_version);

}  // namespace docket
