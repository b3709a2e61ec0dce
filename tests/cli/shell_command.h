// Running a helper program through the shell in tests (LibreOffice, pdftotext): its exit status
// and what it printed, and whether a program is installed.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>
#include <utility>

namespace docket::cli_test {

// Runs `command` through the shell; its exit status and what it printed on stdout.
inline std::pair<int, std::string> shell(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, output};
  char buffer[4096];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, got);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

inline bool installed(const std::string& program) { return shell("command -v " + program + " >/dev/null").first == 0; }

}  // namespace docket::cli_test
