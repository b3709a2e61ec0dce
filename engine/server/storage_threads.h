// Threads that own database connections. The server posts its storage work here; the I/O
// threads only read a case by number themselves (Route::point), on connections of their own. A pool of one thread is
// the single writer; a larger pool serves reads beside it (WAL lets readers run while the writer commits).
//
// Group commit: write jobs (post_write) that are queued together are applied in one SQLite
// transaction, each in its own savepoint, and answered only after that transaction committed.
// One durable commit (an fsync) then serves a whole batch instead of one request.
// Thread-safety: post(), post_write(), set_group_commit() and stop() may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "runtime/runtime.h"

namespace docket::server {

// How write jobs are grouped into one transaction.
struct GroupCommit {
  std::size_t max_batch = 256;  // write jobs per transaction at most
  // How long a batch may wait for the clients the previous batch answered to send again. It
  // waits only while fewer have come back than the previous batch answered and left queued: one
  // client alone never waits; several in a closed loop share one fsync instead of alternating
  // between two half-full batches.
  std::chrono::microseconds max_wait{300};
};

// A write that joins a group commit. `apply` runs inside the batch's transaction, in its own
// savepoint: an error (or exception) undoes only its writes. `done` runs after the batch's
// COMMIT returned, with apply's status, or with the commit's error when the batch did not commit.
struct WriteJob {
  std::function<Status(Runtime&)> apply;
  std::function<void(Runtime&, const Status&)> done;
};

class WorkerPool {
 public:
  using Job = std::function<void(Runtime&)>;

  // Opens one Runtime (connection) per thread now, so a bad database fails at start.
  // With `notifications`, changes made by its jobs queue notifications (Runtime::open).
  static Result<std::unique_ptr<WorkerPool>> start(int threads, const DatabaseOptions& options, const Clock& clock,
                                                   std::size_t max_queued,
                                                   std::shared_ptr<const NotificationsConfig> notifications = nullptr);
  ~WorkerPool();

  // Queues `job`; false when max_queued jobs are already waiting (the caller answers 429/503).
  bool post(Job job);
  // Queues a write for the next group commit; false as post(). Meant for the one-thread writer.
  bool post_write(WriteJob job);
  // Batch size and wait for post_write jobs (defaults: GroupCommit{}).
  void set_group_commit(const GroupCommit& group);
  // Runs on the worker thread after each batch's write jobs were answered (e.g. to look for new
  // timers once per commit instead of once per request). REQUIRES: before the first post_write.
  void set_after_batch(Job after_batch);
  // Runs what is queued, then joins the threads. Later posts are refused.
  void stop();
  std::size_t queued() const;
  // True once stop() was called: post() refuses because the server is going away.
  bool stopping() const;

 private:
  WorkerPool(std::size_t max_queued) : max_queued_(max_queued) {}
  using Task = std::variant<Job, WriteJob>;
  bool enqueue(Task task);
  void work(Runtime& runtime);
  // Takes the next task, and when it is a write, the writes queued right behind it (at most
  // max_batch, waiting up to max_wait for them). Empty when stopping with nothing queued.
  std::vector<Task> take(std::unique_lock<std::mutex>& lock);
  void commit_batch(Runtime& runtime, std::vector<Task>& batch);

  const std::size_t max_queued_;
  mutable std::mutex mutex_;  // guards queue_, stopping_ and group_
  std::condition_variable ready_;
  std::deque<Task> queue_;
  bool stopping_ = false;
  GroupCommit group_;
  std::size_t writers_ = 0;  // writes answered by the last batch plus those queued then
  // How often a batch of writes is followed by bringing the search index up to date.
  static constexpr std::chrono::milliseconds kIndexEvery{100};
  std::chrono::steady_clock::time_point indexed_at_{};
  Job after_batch_;  // set before work starts; read by the worker threads only
  std::vector<std::unique_ptr<Runtime>> runtimes_;
  std::vector<std::thread> threads_;
};

}  // namespace docket::server
