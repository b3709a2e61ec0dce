#include "server/build_info.h"

// DOCKET_VERSION and DOCKET_GIT_COMMIT are defined for this file alone (engine/CMakeLists.txt),
// so that a new commit recompiles one file.
namespace docket::server {

const BuildInfo& build_info() {
  static constexpr BuildInfo kBuild{DOCKET_VERSION, DOCKET_GIT_COMMIT};
  return kBuild;
}

std::string describe(const BuildInfo& build) {
  std::string text(build.version);
  if (!build.commit.empty()) text += " (commit " + std::string(build.commit) + ")";
  return text;
}

}  // namespace docket::server
