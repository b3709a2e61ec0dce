// The real `docket serve` binary as a child process on a free loopback port, for tests that need
// a process of its own: signals, process limits, its CPU time. Not thread-safe; the destructor
// kills the process if it still runs.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace docket::server_test {

class ServeProcess {
 public:
  // Starts `docket --db DB serve --listen 127.0.0.1:0 ARGS...` (without that --listen when ARGS
  // has one), its output in `folder` (serve.out, serve.err), under an RLIMIT_NOFILE of
  // `open_files` (soft and hard) when given, and waits (bounded) for the line that names its
  // port, or for it to exit.
  ServeProcess(const std::filesystem::path& db, const std::filesystem::path& folder,
               const std::vector<std::string>& args = {}, std::optional<rlim_t> open_files = std::nullopt);
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  unsigned short port() const { return port_; }  // 0 when it did not start
  pid_t pid() const { return pid_; }
  // What it has printed on its standard output so far (the log included).
  std::string output() const;
  // What it has printed on its standard error so far.
  std::string errors() const;
  // User and system CPU time it has used so far (from /proc/PID/stat).
  std::chrono::milliseconds cpu_time() const;
  // Whether one of its threads is running or waiting for a CPU (state R in /proc/PID/task): a
  // thread that spins always is, even on a machine too busy to give it a whole core.
  bool runnable() const;
  // Waits (bounded) for it to exit; its wait status (also when it exited before the port line),
  // or -1 when it still runs or did not start.
  int wait_for_exit(std::chrono::seconds limit);

 private:
  std::filesystem::path folder_;
  pid_t pid_ = -1;
  unsigned short port_ = 0;
  int status_ = -1;  // its wait status once it exited
};

}  // namespace docket::server_test
