// Fuzz target: a workflow definition file (loader/workflow_loader.h), read and validated as a
// new version and as an installed one, then the stage graph of what loaded. Any input must give
// a definition or diagnostics, never a crash; a definition that loads is sound enough to draw.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/workflow_graph.h"
#include "loader/workflow_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  for (const auto mode : {docket::ValidationMode::new_version, docket::ValidationMode::installed}) {
    const docket::LoadedWorkflow loaded = docket::parse_workflow(json, mode);
    for (const auto& diagnostic : loaded.diagnostics) docket::format_diagnostic("fuzz.json", diagnostic);
    if (!loaded.definition) continue;
    for (const auto format : {docket::GraphFormat::text, docket::GraphFormat::mermaid, docket::GraphFormat::dot})
      docket::render_workflow(*loaded.definition, format);
  }
  return 0;
}
