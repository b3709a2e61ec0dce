// Section 3, the server over HTTP: a load driver on Boost.Beast (C++20 coroutines, one thread)
// keeps `connections` keep-alive connections busy against a `docket serve`-equivalent server
// running in a child process (so its memory is measured alone). Phase one runs whole case
// lifecycles (every request a write with If-Match); phase two reads the cases it made. Phase
// three reads them again with wrk (Debian's `wrk`: C and LuaJIT, one thread, the same number of
// connections) as the driver: it spends a fraction of the Beast driver's CPU per request, and
// on a 2-core machine what the driver does not use the server can. Before them, on a server
// of its own, one connection writes alone (run_lone_writer): the latency an officer clicking
// alone sees, which is the durable commit plus the hand-offs between the server's threads.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace docket::bench {

// A server in a child process: this executable re-run as `docket_bench --serve DB`.
class ChildServer {
 public:
  // Starts it and waits until it listens; port() is 0 when it failed.
  ChildServer(const std::filesystem::path& self, const std::filesystem::path& database, int io_threads = 2);
  ~ChildServer();  // SIGTERM, then waits
  unsigned short port() const { return port_; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  unsigned short port_ = 0;
};

// The body of `docket_bench --serve DB`: serves until SIGTERM; prints "port N" when listening.
int serve_main(const std::filesystem::path& database, int io_threads);

struct HttpResult {
  double writes_per_second = 0, write_p50_us = 0, write_p99_us = 0;
  double reads_per_second = 0, read_p50_us = 0, read_p99_us = 0;
  std::int64_t failed = 0;
  double server_rss_mib = 0;
  // CPU time per request, server and load driver (both processes share the machine's cores).
  double write_server_cpu_us = 0, write_driver_cpu_us = 0, read_server_cpu_us = 0, read_driver_cpu_us = 0;
  // The read phase again with wrk as the load driver (when it is installed; else wrk_problem).
  bool wrk_ran = false;
  std::string wrk_problem;
  double wrk_reads_per_second = 0, wrk_p50_us = 0, wrk_p99_us = 0, wrk_server_cpu_us = 0, wrk_driver_cpu_us = 0;
  std::int64_t wrk_failed = 0;
};

// Runs both phases against 127.0.0.1:port as the user owning `token`, then the read phase
// again driven by wrk (its script and output go to `scratch`).
HttpResult run_http(unsigned short port, const std::string& token, int connections, std::chrono::milliseconds duration,
                    pid_t server_pid, const std::filesystem::path& scratch);

// One connection writing as an officer clicking alone does: open a case, then its lifecycle
// (fields, documents, transitions) with a comment before each transition, every request sent
// once the one before it has answered. Runs until `duration` is up or `max_requests` were sent;
// refused requests are counted in `failed` and end the run.
struct LoneWriterResult {
  double per_second = 0, p50_us = 0, p99_us = 0;  // answered requests
  std::int64_t requests = 0, failed = 0;
  double server_cpu_us = 0, driver_cpu_us = 0;  // CPU time per request
};
LoneWriterResult run_lone_writer(unsigned short port, const std::string& token, std::chrono::milliseconds duration,
                                 std::int64_t max_requests, pid_t server_pid);

// Sequential GETs of `targets` (each one repeated `rounds` times) on one connection: latency only.
struct ReadTimes {
  double p50_us = 0, p99_us = 0;
  std::int64_t failed = 0;
  std::size_t largest_body = 0;  // bytes
};
// GETs each target in turn on one connection, `rounds` times: with the API token, or, when
// `session` is given, as the web application's signed-in user (its session key as the cookie).
ReadTimes time_reads(unsigned short port, const std::string& token, const std::vector<std::string>& targets, int rounds,
                     const std::string& session = "");

}  // namespace docket::bench
