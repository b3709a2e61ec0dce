// Section 2, the engine in-process: client threads each run whole case lifecycles (open, then
// the 13 steps of bench_support.h to "closed"), one command at a time, through the server's
// group-committing writer (StorageThreads) on a database with synchronous=FULL, bringing the search
// index up to date as the server does (Scheduler::after_write). Only HTTP is left out.
#pragma once

#include <chrono>
#include <filesystem>

#include "server/storage_threads.h"

namespace docket::bench {

struct EngineResult {
  int clients = 0;
  double per_second = 0;  // committed commands (transitions, fields, documents, opens) per second
  double p50_us = 0, p99_us = 0;
  double mean_batch = 0;  // commands per commit
  std::int64_t refused = 0;
  std::int64_t lifecycles = 0;
  double process_cpu_us = 0;    // CPU time of the whole process (clients and writer) per command
  double writer_cpu_us = 0;     // CPU time of the writer thread per command (0 when it has none)
  double writer_system_us = 0;  // the part of writer_cpu_us spent in the kernel
  double writer_switches = 0;   // times the writer thread went to sleep (voluntary context switches)
};

EngineResult run_engine(const std::filesystem::path& path, int clients, std::chrono::milliseconds duration,
                        const server::GroupCommit& group = {});

// One client calling the engine on its own thread and connection, as the CLI does: one
// transaction and one durable commit per command, no hand-off to a writer thread.
EngineResult run_engine_direct(const std::filesystem::path& path, std::chrono::milliseconds duration);

}  // namespace docket::bench
