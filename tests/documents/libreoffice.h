// Running LibreOffice and poppler from a test: a shell command's status and output, whether a
// program is installed, and .docx files converted to PDF by one headless LibreOffice run with a
// private profile (each run costs 3-6 s, so a test converts all its files at once).
#pragma once

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <utility>

#include "shell_command.h"  // shell(), installed()

namespace docket::cli_test {

// Converts `files` (names, separated by spaces, in `folder`) to PDF beside them with one
// LibreOffice run; its exit status and what it said. Prints how long it took.
inline std::pair<int, std::string> convert_to_pdf(const std::filesystem::path& folder, const std::string& files) {
  const auto started = std::chrono::steady_clock::now();
  const std::string profile = "file://" + (folder / "libreoffice-profile").string();
  auto result =
      shell("cd '" + folder.string() + "' && HOME='" + folder.string() + "' soffice -env:UserInstallation=" + profile +
            " --headless --convert-to pdf --outdir '" + folder.string() + "' " + files + " 2>&1");
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "LibreOffice converted " << files << " in " << seconds << " s\n";
  return result;
}

}  // namespace docket::cli_test
