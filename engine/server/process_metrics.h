// What /metrics says about the running process and its build, read at scrape time: the build
// (docket_build_info), and from /proc/self (Linux) its start time, CPU time, resident memory and
// open file descriptors beside their limit. Thread-safety: any thread.
#pragma once

#include <string>

#include "server/build_info.h"

namespace docket::server {

// The lines in the Prometheus text format (0.0.4), each with its HELP and TYPE:
//   docket_build_info{version="0.1.0",commit="f958f85c1a2b"} 1
//   docket_process_start_time_seconds, docket_process_cpu_seconds_total,
//   docket_process_resident_memory_bytes, docket_process_open_fds, docket_process_max_fds.
// A figure /proc does not give (another system, a read that failed) is left out, never made up.
std::string process_metrics(const BuildInfo& build);

}  // namespace docket::server
