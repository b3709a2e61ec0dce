// Storage threads: threads that each own a database connection (a Workspace) and run the jobs
// posted to them. The server has three sets: the single writer (one thread, group commit), the
// readers (short reads: a case's history, a page of cases, a search) and the long readers
// (reports, the audit, lists of every due case), so that a long read never holds up a short one.
// The I/O threads only read a case by number themselves (Route::point), on connections of their
// own. WAL lets the readers run while the writer commits.
//
// Group commit: write jobs (post_write) that are queued together are applied in one SQLite
// transaction, each in its own savepoint, and answered only after that transaction committed.
// One durable commit (an fsync) then serves a whole batch instead of one request.
// Thread-safety: post(), post_write(), set_group_commit(), queued(), stopping() and stop() may be
// called from any thread; set_after_batch() before the first post_write.
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
#include "workspace/workspace.h"

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
  std::function<Status(Workspace&)> apply;
  std::function<void(Workspace&, const Status&)> done;
};

class StorageThreads {
 public:
  using Job = std::function<void(Workspace&)>;

  // Opens one Workspace (connection) per thread now, so a bad database fails at start.
  // With `notifications`, changes made by its jobs queue notifications (Workspace::open).
  static Result<std::unique_ptr<StorageThreads>> start(
      int threads, const DatabaseOptions& options, const Clock& clock, std::size_t max_queued,
      std::shared_ptr<const NotificationsConfig> notifications = nullptr);
  ~StorageThreads();

  // Queues `job`; false when max_queued jobs are already waiting or stop() was called (the
  // caller answers 429 or 503, see stopping()).
  bool post(Job job);
  // Queues a write for the next group commit; false as post(). Meant for the one-thread writer.
  bool post_write(WriteJob job);
  // Batch size and wait for post_write jobs (defaults: GroupCommit{}).
  void set_group_commit(const GroupCommit& group);
  // Runs on the thread after each batch's write jobs were answered (the server's background
  // duties: the scheduler looks for new timers and brings the search index up to date once per
  // commit instead of once per request). REQUIRES: before the first post_write.
  void set_after_batch(Job after_batch);
  // Runs what is queued, then joins the threads. Later posts are refused.
  void stop();
  std::size_t queued() const;
  // True once stop() was called: post() refuses because the server is going away.
  bool stopping() const;

 private:
  explicit StorageThreads(std::size_t max_queued) : max_queued_(max_queued) {}
  using Task = std::variant<Job, WriteJob>;
  bool enqueue(Task task);
  void work(Workspace& workspace);
  // Takes the next task, and when it is a write, the writes queued right behind it (at most
  // max_batch, waiting up to max_wait for them). Empty when stopping with nothing queued.
  std::vector<Task> take(std::unique_lock<std::mutex>& lock);
  void commit_batch(Workspace& workspace, std::vector<Task>& batch);

  const std::size_t max_queued_;
  mutable std::mutex mutex_;  // guards queue_, stopping_, group_, writers_ and after_batch_
  std::condition_variable ready_;
  std::deque<Task> queue_;
  bool stopping_ = false;
  GroupCommit group_;
  std::size_t writers_ = 0;  // writes answered by the last batch plus those queued then
  Job after_batch_;
  std::vector<std::unique_ptr<Workspace>> workspaces_;
  std::vector<std::thread> threads_;
};

}  // namespace docket::server
