// Threads that own database connections. The server posts its storage work here; the I/O
// threads only read a case by number themselves (Route::point), on connections of their own. A pool of one thread is the single writer; a larger pool serves reads
// beside it (WAL lets readers run while the writer commits).
//
// Group commit: write jobs (post_write) that are queued together are applied in one SQLite
// transaction, each in its own savepoint, and answered only after that transaction is durable.
// One durable commit (an fsync) then serves a whole batch instead of one request.
//
// Pipelined commits: when writes are already waiting as a batch commits, the writer does not
// wait for the disk. The batch's WAL sync is owed instead (DeferredWalSync) and handed to the
// pool's sync thread with the batch's answers, and the writer goes on with the waiting writes
// while the disk works. The sync thread syncs (one fdatasync for every batch that committed
// meanwhile), then answers. With nothing waiting, the writer syncs and answers itself, as
// there is nothing to overlap (and on two cores the extra syncs of smaller batches cost more
// than the overlap gains). A committed batch is visible to other connections before its sync:
// an answer built from what a reader saw waits for it too (when_durable), so no client is told
// of a change that a power cut could undo.
// Thread-safety: post(), post_write(), when_durable(), set_group_commit() and stop() may be called from any thread.
#pragma once

#include <atomic>
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
#include "store/wal_vfs.h"

namespace docket::server {

// How write jobs are grouped into one transaction.
struct GroupCommit {
  std::size_t max_batch = 256;  // write jobs per transaction at most
  // How long a batch may wait for company: for the writes answered last time that have not come
  // back yet, never for a client alone. Clients in a closed loop answered together then commit
  // together again, instead of splitting into half-full batches that each cost a sync.
  std::chrono::microseconds max_wait{300};
};

// A write that joins a group commit. `apply` runs inside the batch's transaction, in its own
// savepoint: an error (or exception) undoes only its writes. `done` runs once the batch's
// transaction is durable (on the sync thread), with apply's status; with the commit's error
// when the batch did not commit, or the sync's when the disk failed to make it durable.
struct WriteJob {
  std::function<Status(Runtime&)> apply;
  std::function<void(const Status&)> done;
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
  // Runs on the sync thread after each sync's write jobs were answered (e.g. to look for new
  // timers once per commit instead of once per request). REQUIRES: before the first post_write.
  void set_after_batch(std::function<void()> after_batch);
  // Runs `then` once every write this pool has committed so far is durable: at once when they
  // are (always, for a pool that does not write), else on the sync thread after the next sync.
  // For answers built from a read, which may have seen a batch whose sync is still running.
  void when_durable(std::function<void()> then);
  // True when every write committed so far is durable (when_durable would run at once).
  bool all_durable() const { return durable_.load() >= committed_.load(); }
  // How the sync thread makes an owed sync: 0 or an errno (default: WalSync::sync). For tests
  // of a slow or failing disk. REQUIRES: before the first post_write.
  void set_sync(std::function<int(const WalSync&)> sync);
  // Write batches committed so far.
  std::uint64_t batches() const { return batches_.load(); }
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
  // A batch committed and handed to the sync thread.
  struct Unsynced {
    std::uint64_t commits = 0;        // committed_ when handed over: its commits are among these
    std::shared_ptr<WalSync> owed;    // the WAL to sync; null when its syncs were made already
    std::vector<std::function<void(const Status&)>> answers;
    std::vector<Status> statuses;
  };
  void hand_over(Unsynced batch);
  void sync_loop();
  // Answers `batches`, all of whose commits are durable (or with the sync's error).
  void answer(std::deque<Unsynced>& batches, const Status& synced);
  void release(std::uint64_t durable);

  const std::size_t max_queued_;
  mutable std::mutex mutex_;  // guards queue_, stopping_ and group_
  std::condition_variable ready_;
  std::deque<Task> queue_;
  bool stopping_ = false;
  GroupCommit group_;
  std::size_t returning_ = 0;  // writes answered by the sync thread that have not come back yet
  // How often a batch of writes is followed by bringing the search index up to date.
  static constexpr std::chrono::milliseconds kIndexEvery{100};
  std::chrono::steady_clock::time_point indexed_at_{};

  // The sync thread (started with the first batch of writes) and what it is handed.
  std::atomic<std::uint64_t> committed_{0};  // commits made by write batches (DeferredWalSync counts them)
  std::atomic<std::uint64_t> durable_{0};    // how many of those are durable
  std::atomic<std::uint64_t> batches_{0};
  std::atomic<std::size_t> queued_writes_{0};  // write jobs in queue_
  std::atomic<bool> failed_{false};  // a sync failed: no more writes are taken
  std::mutex sync_mutex_;            // guards what follows, and durable_'s changes
  std::condition_variable sync_ready_;
  std::deque<Unsynced> unsynced_;
  std::vector<std::pair<std::uint64_t, std::function<void()>>> waiting_;  // when_durable's
  bool sync_stopping_ = false;
  std::string failure_;  // why failed_
  std::thread sync_thread_;
  std::function<void()> after_batch_;               // set before writes start; run by the sync thread
  std::function<int(const WalSync&)> sync_;  // likewise
  std::vector<std::unique_ptr<Runtime>> runtimes_;
  std::vector<std::thread> threads_;
};

}  // namespace docket::server
