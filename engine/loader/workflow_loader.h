// Reads workflow definitions from JSON files (the format is in docs/workflows.md) and checks
// them: the file's shape here (unknown keys, types, missing keys, labels, malformed JSON with
// line and column), then the definition as a whole (core/workflow_validator.h).
// Stateless functions; thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/workflow.h"
#include "core/workflow_catalog.h"
#include "core/workflow_validator.h"

namespace docket {

struct LoadedWorkflow {
  std::optional<WorkflowDefinition> definition;  // set only when there are no errors
  std::vector<Diagnostic> diagnostics;           // errors and warnings, located by JSON path
};

// Parses and validates one definition from JSON text (`mode`: see workflow_validator.h).
LoadedWorkflow parse_workflow(std::string_view json, ValidationMode mode = ValidationMode::new_version);

// Reads `path` and parses it; a file that cannot be read is an error diagnostic.
LoadedWorkflow load_workflow_file(const std::filesystem::path& path);

// "FILE: error: $.stages[2].deadline.anchor: anchor field ..." (or "warning:").
std::string format_diagnostic(const std::filesystem::path& file, const Diagnostic& diagnostic);

// Loads every *.json file directly in `directory` into `catalog`, in name order. Returns the
// formatted errors (empty on success); files with errors are skipped, the others still load.
std::vector<std::string> load_workflow_directory(const std::filesystem::path& directory, WorkflowCatalog& catalog);

}  // namespace docket
