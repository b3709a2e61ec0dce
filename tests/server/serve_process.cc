#include "serve_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

extern char** environ;

namespace docket::server_test {

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

ServeProcess::ServeProcess(const std::filesystem::path& db, const std::filesystem::path& folder,
                           const std::vector<std::string>& args, std::optional<rlim_t> open_files)
    : folder_(folder) {
  std::vector<std::string> all = {DOCKET_BINARY, "--db", db.string(), "serve"};
  if (std::find(args.begin(), args.end(), "--listen") == args.end()) all.insert(all.end(), {"--listen", "127.0.0.1:0"});
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : all) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const int out = ::open((folder / "serve.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int err = ::open((folder / "serve.err").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0 || err < 0) return;
  // Between fork and exec the child calls only async-signal-safe functions: the test process
  // has threads of its own.
  pid_ = ::fork();
  if (pid_ == 0) {
    if (open_files) {
      const rlimit limit{*open_files, *open_files};
      if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) ::_exit(126);
    }
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::execve(DOCKET_BINARY, argv.data(), environ);
    ::_exit(127);
  }
  ::close(out);
  ::close(err);
  if (pid_ < 0) return;
  const std::regex serving(R"(on http://\S+:(\d+)/api/v1)");
  for (int tries = 0; tries < 1000; ++tries) {
    std::smatch port;
    const std::string printed = output();
    if (std::regex_search(printed, port, serving)) {
      port_ = static_cast<unsigned short>(std::stoi(port[1]));
      return;
    }
    if (::waitpid(pid_, &status_, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
}

ServeProcess::~ServeProcess() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
}

std::string ServeProcess::output() const { return read_file(folder_ / "serve.out"); }

std::string ServeProcess::errors() const { return read_file(folder_ / "serve.err"); }

std::chrono::milliseconds ServeProcess::cpu_time() const {
  // proc(5): the command is in parentheses and may hold spaces; utime and stime are the 14th
  // and 15th fields, in clock ticks.
  const std::string stat = read_file("/proc/" + std::to_string(pid_) + "/stat");
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string skipped;
  for (int field = 3; field < 14; ++field) fields >> skipped;
  long long user = 0, system = 0;
  fields >> user >> system;
  return std::chrono::milliseconds{(user + system) * 1000 / ::sysconf(_SC_CLK_TCK)};
}

bool ServeProcess::runnable() const {
  std::error_code missing;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid_) + "/task", missing)) {
    const std::string stat = read_file(task.path() / "stat");
    const auto state = stat.rfind(')');
    if (state != std::string::npos && state + 2 < stat.size() && stat[state + 2] == 'R') return true;
  }
  return false;
}

int ServeProcess::wait_for_exit(std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (pid_ > 0 && std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid_, &status_, WNOHANG) == pid_) {
      pid_ = -1;
      return status_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  return pid_ > 0 ? -1 : status_;
}

}  // namespace docket::server_test
