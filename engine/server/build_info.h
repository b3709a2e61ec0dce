// Which build of Docket is running: the project's version (`project(docket VERSION ...)` in
// CMakeLists.txt) and the git commit of the source it was built from, as CMake found it when it
// configured the build (it configures again after each new commit of the checkout). `docket
// --version`, /healthz and /metrics name them. Thread-safety: constants.
#pragma once

#include <string>
#include <string_view>

namespace docket::server {

struct BuildInfo {
  std::string_view version;  // "0.1.0"
  std::string_view commit;   // an abbreviated git commit ("f958f85c1a2b"); empty when not built from a git checkout
};

const BuildInfo& build_info();

// "0.1.0 (commit f958f85c1a2b)", or "0.1.0" when the commit is not known.
std::string describe(const BuildInfo& build);

}  // namespace docket::server
