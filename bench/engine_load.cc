#include "engine_load.h"

#include <sys/resource.h>
#include <time.h>

#include <atomic>
#include <future>
#include <iostream>
#include <thread>

#include "bench_support.h"
#include "scheduler/scheduler.h"

namespace docket::bench {
namespace {

using Clock = std::chrono::steady_clock;

double microseconds(const timeval& t) { return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_usec); }

// CPU time (user and system) the whole process has used so far, in microseconds.
double process_cpu_us() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return microseconds(usage.ru_utime) + microseconds(usage.ru_stime);
}

// CPU time the calling thread has used so far, in microseconds.
double thread_cpu_us() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e6 + static_cast<double>(now.tv_nsec) / 1e3;
}

// The part of it spent in the kernel (writes to the WAL, fdatasync), in microseconds, and how
// often it went to sleep.
struct ThreadTimes {
  double cpu = 0, system = 0, switches = 0;
};
ThreadTimes thread_times() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return {thread_cpu_us(), microseconds(usage.ru_stime), static_cast<double>(usage.ru_nvcsw)};
}

// Posts `apply` to the writer and waits for its answer, as a request handler would.
Status submit(server::StorageThreads& writer, std::function<Status(Workspace&)> apply) {
  std::promise<Status> answer;
  auto answered = answer.get_future();
  if (!writer.post_write(
          {std::move(apply), [&answer](Workspace&, const Status& status) { answer.set_value(status); }})) {
    return make_error(ErrorCode::busy, "queue full");
  }
  return answered.get();
}

struct ClientTally {
  LatencyLog latencies;
  std::int64_t committed = 0, refused = 0, lifecycles = 0;
};

// Runs lifecycles until `deadline`, each command through `submit`.
void run_lifecycles(const std::function<Status(std::function<Status(Workspace&)>)>& submit_one, int client,
                    Clock::time_point deadline, ClientTally& tally) {
  const std::string unit = commune_id(1 + client % 8);
  const auto timed = [&](std::function<Status(Workspace&)> apply) {
    const auto sent = Clock::now();
    const Status status = submit_one(std::move(apply));
    tally.latencies.add(Clock::now() - sent);
    if (status) {
      ++tally.committed;
    } else {
      if (++tally.refused <= 3) std::cerr << "engine: refused: " << status.error().message << "\n";
    }
    return status.ok();
  };
  while (Clock::now() < deadline) {
    std::string number;
    const bool opened = timed([&](Workspace& workspace) -> Status {
      auto result = workspace.cases().open("social-critique", "bench", open_request(unit));
      if (!result) return result.error();
      number = result->number;
      return Ok{};
    });
    if (!opened) return;
    for (const LifecycleStep& step : lifecycle()) {
      const CaseCommand request = to_command(step, number, "bench");
      const bool done = timed([&](Workspace& workspace) -> Status {
        auto result =
            workspace.cases().execute(request.number, request.user, request.commands, std::nullopt, request.uploads);
        return result ? Status(Ok{}) : Status(result.error());
      });
      if (!done || Clock::now() >= deadline) break;
    }
    ++tally.lifecycles;
  }
}

void run_client(server::StorageThreads& writer, int client, Clock::time_point deadline, ClientTally& tally) {
  run_lifecycles([&](std::function<Status(Workspace&)> apply) { return submit(writer, std::move(apply)); }, client,
                 deadline, tally);
}

EngineResult summarise(const std::vector<ClientTally>& tallies, double seconds, std::int64_t batches) {
  EngineResult result;
  result.clients = static_cast<int>(tallies.size());
  LatencyLog all;
  std::int64_t committed = 0;
  for (const ClientTally& tally : tallies) {
    all.merge(tally.latencies);
    committed += tally.committed;
    result.refused += tally.refused;
    result.lifecycles += tally.lifecycles;
  }
  result.per_second = static_cast<double>(committed) / seconds;
  result.p50_us = all.percentile(0.50);
  result.p99_us = all.percentile(0.99);
  result.mean_batch = batches > 0 ? static_cast<double>(committed + result.refused) / static_cast<double>(batches) : 0;
  return result;
}

}  // namespace

EngineResult run_engine(const std::filesystem::path& path, int clients, std::chrono::milliseconds duration,
                        const server::GroupCommit& group) {
  EngineResult result;
  if (auto seeded = seed_database(path, 8); !seeded) {
    std::cerr << "engine: " << seeded.error().message << "\n";
    return result;
  }
  static const SystemClock clock;
  auto writer = server::StorageThreads::start(1, DatabaseOptions{path, false, 5000, true}, clock, 100000);
  if (!writer) {
    std::cerr << "engine: " << writer.error().message << "\n";
    return result;
  }
  (*writer)->set_group_commit(group);
  // The writer thread's CPU clock and system time, read on it before and after the clients ran.
  const auto writer_times = [&] {
    std::promise<ThreadTimes> times;
    auto read = times.get_future();
    (*writer)->post([&](Workspace&) { times.set_value(thread_times()); });
    return read.get();
  };
  std::atomic<std::int64_t> batches_committed{0};
  // Not started: only its duty after writes runs (the search index), as on the server's writer.
  Scheduler duties(clock, [](const std::function<void(Workspace&)>&) { return false; });
  (*writer)->set_after_batch([&](Workspace& workspace) {
    ++batches_committed;
    duties.after_write(workspace);
  });
  const ThreadTimes writer_before = writer_times();
  const double cpu_before = process_cpu_us();
  std::vector<ClientTally> tallies(static_cast<std::size_t>(clients));
  std::vector<std::thread> threads;
  const auto started = Clock::now();
  const auto deadline = started + duration;
  for (int c = 0; c < clients; ++c)
    threads.emplace_back(run_client, std::ref(**writer), c, deadline, std::ref(tallies[c]));
  for (auto& thread : threads) thread.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const double cpu = process_cpu_us() - cpu_before;
  const ThreadTimes writer_after = writer_times();
  (*writer)->stop();
  const auto batches = batches_committed.load();
  EngineResult summary = summarise(tallies, seconds, batches);
  const double commands = std::max<double>(1, static_cast<double>(batches) * summary.mean_batch);
  summary.process_cpu_us = cpu / commands;
  summary.writer_cpu_us = (writer_after.cpu - writer_before.cpu) / commands;
  summary.writer_system_us = (writer_after.system - writer_before.system) / commands;
  summary.writer_switches = (writer_after.switches - writer_before.switches) / commands;
  return summary;
}

EngineResult run_engine_direct(const std::filesystem::path& path, std::chrono::milliseconds duration) {
  if (auto seeded = seed_database(path, 8); !seeded) {
    std::cerr << "engine: " << seeded.error().message << "\n";
    return {};
  }
  static const SystemClock clock;
  auto workspace = Workspace::open(DatabaseOptions{path, false, 5000, true}, clock);
  if (!workspace) {
    std::cerr << "engine: " << workspace.error().message << "\n";
    return {};
  }
  std::vector<ClientTally> tallies(1);
  const auto started = Clock::now();
  run_lifecycles([&](std::function<Status(Workspace&)> apply) { return apply(**workspace); }, 0, started + duration,
                 tallies[0]);
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return summarise(tallies, seconds, static_cast<std::int64_t>(tallies[0].latencies.count()));
}

}  // namespace docket::bench
