#include "app.h"

#include <CLI/CLI.hpp>

#include <cstdlib>

namespace docket::cli {

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  const char* from_environment = std::getenv("DOCKET_WORKFLOWS");
  Context context{out, err, from_environment != nullptr ? from_environment : DOCKET_DEFAULT_WORKFLOWS};

  CLI::App app{"Docket: supervision and social-critique cases for Fatherland Front committees", "docket"};
  app.require_subcommand(1);
  app.option_defaults()->always_capture_default();
  app.add_option("--workflows", context.workflows_dir, "Folder of workflow definition files (env DOCKET_WORKFLOWS)");
  add_workflow_commands(app, context);
  add_demo_command(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& problem) {
    return app.exit(problem, out, err);
  }
  return context.exit_code;
}

}  // namespace docket::cli
