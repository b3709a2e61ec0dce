#include "documents/pdf_conversion.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

extern char** environ;

namespace docket::documents {
namespace {

namespace fs = std::filesystem;

// A temporary folder removed with everything in it when it goes out of scope.
class TemporaryFolder {
 public:
  TemporaryFolder() {
    std::string pattern = (fs::temp_directory_path() / "docket-pdf-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TemporaryFolder() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The environment of this process with HOME set to `home`: LibreOffice writes there.
std::vector<std::string> environment_with_home(const fs::path& home) {
  std::vector<std::string> variables;
  for (char** variable = environ; *variable != nullptr; ++variable) {
    if (std::strncmp(*variable, "HOME=", 5) != 0) variables.emplace_back(*variable);
  }
  variables.push_back("HOME=" + home.string());
  return variables;
}

std::vector<char*> pointers(std::vector<std::string>& words) {
  std::vector<char*> result;
  for (std::string& word : words) result.push_back(word.data());
  result.push_back(nullptr);
  return result;
}

// Runs LibreOffice on `input` inside `folder`; its exit status, or -errno when it cannot start.
int run_soffice(const fs::path& folder, const fs::path& input) {
  std::vector<std::string> arguments{soffice_program(), "-env:UserInstallation=file://" + (folder / "profile").string(),
                                     "--headless",      "--norestore",
                                     "--convert-to",    "pdf",
                                     "--outdir",        folder.string(),
                                     input.string()};
  std::vector<std::string> variables = environment_with_home(folder);
  std::vector<char*> argv = pointers(arguments);
  std::vector<char*> envp = pointers(variables);
  const std::string log = (folder / "soffice.log").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t child = -1;
  const int started = ::posix_spawnp(&child, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (started != 0) return -started;
  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) return -errno;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

std::string soffice_program() {
  const char* chosen = std::getenv("DOCKET_SOFFICE");
  return chosen != nullptr && *chosen != '\0' ? chosen : "soffice";
}

Result<std::string> docx_to_pdf(const std::string& docx) {
  TemporaryFolder folder;
  if (folder.path().empty())
    return make_error(ErrorCode::internal,
                      "cannot make a temporary folder for the PDF conversion: " + std::string(std::strerror(errno)));
  const fs::path input = folder.path() / "document.docx";
  {
    std::ofstream out(input, std::ios::binary);
    out.write(docx.data(), static_cast<std::streamsize>(docx.size()));
    if (!out) return make_error(ErrorCode::internal, "cannot write " + input.string() + " for the PDF conversion");
  }
  const int status = run_soffice(folder.path(), input);
  if (status == -ENOENT || status == -EACCES) {
    return make_error(ErrorCode::not_found, "LibreOffice (" + soffice_program() +
                                                ") is not installed, and a PDF needs it: install "
                                                "libreoffice-writer-nogui (scripts/install-deps.sh), or write a "
                                                ".docx and convert it yourself");
  }
  if (status < 0)
    return make_error(ErrorCode::internal, "cannot run " + soffice_program() + ": " + std::strerror(-status));
  const fs::path output = folder.path() / "document.pdf";
  if (status != 0 || !fs::exists(output)) {
    return make_error(ErrorCode::internal, "LibreOffice could not convert the document to PDF (exit " +
                                               std::to_string(status) +
                                               "): " + read_bytes(folder.path() / "soffice.log"));
  }
  return read_bytes(output);
}

}  // namespace docket::documents
