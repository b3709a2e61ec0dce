// Where the built-in workflows are: found from the binary's own place, so that an installed
// docket (cmake --install, docs/operations.md) needs no path compiled in.
#include <filesystem>
#include <string>
#include <system_error>

#include "app.h"

namespace docket::cli {

std::string default_workflows_dir() {
  namespace fs = std::filesystem;
  std::error_code problem;
  const fs::path binary = fs::read_symlink("/proc/self/exe", problem);
  if (!problem) {
    // The layout cmake --install makes: PREFIX/bin/docket, PREFIX/share/docket/workflows.
    const fs::path installed = (binary.parent_path() / DOCKET_WORKFLOWS_FROM_BINARY).lexically_normal();
    if (fs::is_directory(installed, problem)) return installed.string();
  }
  return DOCKET_SOURCE_WORKFLOWS;  // the build tree's binary: the workflows of its source
}

}  // namespace docket::cli
