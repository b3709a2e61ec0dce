// docket workflow check|list|show
#include <CLI/CLI.hpp>

#include <iomanip>
#include <memory>

#include "app.h"
#include "core/workflow_graph.h"
#include "loader/workflow_loader.h"

namespace docket::cli {
namespace {

// Loads the workflows folder; prints its errors and returns false when any file is broken.
bool load_catalog(Context& context, WorkflowCatalog& catalog) {
  const auto errors = load_workflow_directory(context.workflows_dir, catalog);
  for (const auto& error : errors) context.err << error << "\n";
  if (!errors.empty()) context.exit_code = 1;
  return errors.empty();
}

void check(Context& context, const std::vector<std::string>& files) {
  std::size_t error_count = 0;
  std::size_t warning_count = 0;
  for (const auto& file : files) {
    const LoadedWorkflow loaded = load_workflow_file(file);
    for (const auto& diagnostic : loaded.diagnostics) {
      (diagnostic.severity == Severity::error ? error_count : warning_count) += 1;
      context.err << format_diagnostic(file, diagnostic) << "\n";
    }
    if (loaded.definition) {
      context.out << file << ": ok (" << loaded.definition->id << " v" << loaded.definition->version << ", "
                  << loaded.definition->stages.size() << " stages, " << loaded.definition->transitions.size()
                  << " transitions)\n";
    }
  }
  context.out << files.size() << " file(s) checked: " << error_count << " error(s), " << warning_count
              << " warning(s)\n";
  context.exit_code = error_count == 0 ? 0 : 1;
}

void list(Context& context) {
  WorkflowCatalog catalog;
  if (!load_catalog(context, catalog)) return;
  context.out << std::left << std::setw(18) << "ID" << std::setw(9) << "VERSION" << std::setw(8) << "PREFIX"
              << std::setw(8) << "STAGES"
              << "TITLE\n";
  for (const WorkflowDefinition* definition : catalog.latest_of_each()) {
    context.out << std::setw(18) << definition->id << std::setw(9) << definition->version << std::setw(8)
                << definition->case_prefix << std::setw(8) << definition->stages.size() << definition->title.vi << " ("
                << definition->title.en << ")\n";
  }
}

void show(Context& context, const std::string& id, int version, const std::string& format) {
  WorkflowCatalog catalog;
  if (!load_catalog(context, catalog)) return;
  const WorkflowDefinition* definition = version > 0 ? catalog.find(id, version) : catalog.latest(id);
  if (definition == nullptr) {
    context.err << "docket: no workflow " << in_quotes(id) << (version > 0 ? " version " + std::to_string(version) : "")
                << " in " << context.workflows_dir << "\n";
    context.exit_code = 1;
    return;
  }
  const GraphFormat graph = format == "mermaid" ? GraphFormat::mermaid
                            : format == "dot"   ? GraphFormat::dot
                                                : GraphFormat::text;
  context.out << render_workflow(*definition, graph);
}

}  // namespace

void add_workflow_commands(CLI::App& app, Context& context) {
  CLI::App* workflow = app.add_subcommand("workflow", "Check, list and show workflow definitions");
  workflow->require_subcommand(1);

  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* check_command = workflow->add_subcommand("check", "Validate workflow files; exit 1 when any has an error");
  check_command->add_option("files", *files, "Workflow definition files (JSON)")->required();
  check_command->callback([&context, files] { check(context, *files); });

  workflow->add_subcommand("list", "List the workflows in the workflows folder")->callback([&context] {
    list(context);
  });

  struct ShowOptions {
    std::string id;
    int version = 0;
    std::string format = "text";
  };
  auto options = std::make_shared<ShowOptions>();
  CLI::App* show_command = workflow->add_subcommand("show", "Show a workflow's stages and transitions");
  show_command->add_option("id", options->id, "Workflow id")->required();
  show_command->add_option("--version", options->version, "A specific version (default: the latest)");
  show_command->add_option("--format", options->format, "text, mermaid or dot")
      ->check(CLI::IsMember({"text", "mermaid", "dot"}));
  show_command->callback([&context, options] { show(context, options->id, options->version, options->format); });
}

}  // namespace docket::cli
