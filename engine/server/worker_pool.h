// Threads that own database connections. The server never touches SQLite on its I/O threads:
// it posts jobs here. A pool of one thread is the single writer; a larger pool serves reads
// beside it (WAL lets readers run while the writer commits).
// Thread-safety: post() and stop() may be called from any thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "runtime/runtime.h"

namespace docket::server {

class WorkerPool {
 public:
  using Job = std::function<void(Runtime&)>;

  // Opens one Runtime (connection) per thread now, so a bad database fails at start.
  static Result<std::unique_ptr<WorkerPool>> start(int threads, const DatabaseOptions& options, const Clock& clock,
                                                   std::size_t max_queued);
  ~WorkerPool();

  // Queues `job`; false when max_queued jobs are already waiting (the caller answers 429/503).
  bool post(Job job);
  // Runs what is queued, then joins the threads. Later posts are refused.
  void stop();
  std::size_t queued() const;
  // True once stop() was called: post() refuses because the server is going away.
  bool stopping() const;

 private:
  WorkerPool(std::size_t max_queued) : max_queued_(max_queued) {}
  void work(Runtime& runtime);

  const std::size_t max_queued_;
  mutable std::mutex mutex_;  // guards queue_ and stopping_
  std::condition_variable ready_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::vector<std::unique_ptr<Runtime>> runtimes_;
  std::vector<std::thread> threads_;
};

}  // namespace docket::server
