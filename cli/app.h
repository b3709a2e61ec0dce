// The docket command line: builds the CLI11 command tree and runs one invocation.
// Each sub-command lives in its own file and registers itself on the tree here.
#pragma once

#include <ostream>
#include <string>

namespace CLI {
class App;
}

namespace docket::cli {

// What every command needs: where to write and where the workflow files are.
struct Context {
  std::ostream& out;
  std::ostream& err;
  std::string workflows_dir;  // --workflows, DOCKET_WORKFLOWS, or the built-in workflows/
  int exit_code = 0;
};

// Runs `docket ARGS...`; returns the process exit code (0 success, 1 a failed command,
// 2 a usage error). Errors are written to `err` as one line each.
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

void add_workflow_commands(CLI::App& app, Context& context);
void add_demo_command(CLI::App& app, Context& context);

}  // namespace docket::cli
