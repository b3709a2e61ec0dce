#include "server/worker_pool.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

#include "store/search_index.h"

namespace docket::server {

Result<std::unique_ptr<WorkerPool>> WorkerPool::start(int threads, const DatabaseOptions& options, const Clock& clock,
                                                      std::size_t max_queued,
                                                      std::shared_ptr<const NotificationsConfig> notifications) {
  std::unique_ptr<WorkerPool> pool(new WorkerPool(max_queued));
  for (int i = 0; i < threads; ++i) {
    auto runtime = Runtime::open(options, clock, notifications);
    if (!runtime) return runtime.error();
    pool->runtimes_.push_back(std::move(runtime.value()));
  }
  for (auto& runtime : pool->runtimes_) {
    pool->threads_.emplace_back([p = pool.get(), r = runtime.get()] {
      pthread_setname_np(pthread_self(), "docket-worker");  // as top and perf show it
      p->work(*r);
    });
  }
  return pool;
}

WorkerPool::~WorkerPool() { stop(); }

bool WorkerPool::post(Job job) { return enqueue(std::move(job)); }

bool WorkerPool::post_write(WriteJob job) { return enqueue(std::move(job)); }

bool WorkerPool::enqueue(Task task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= max_queued_) return false;
    if (std::holds_alternative<WriteJob>(task)) {
      if (returning_ > 0) --returning_;
      ++queued_writes_;
    }
    queue_.push_back(std::move(task));
  }
  ready_.notify_one();
  return true;
}

void WorkerPool::set_group_commit(const GroupCommit& group) {
  std::lock_guard lock(mutex_);
  group_ = group;
  if (group_.max_batch == 0) group_.max_batch = 1;
}

void WorkerPool::set_after_batch(std::function<void()> after_batch) {
  std::lock_guard lock(sync_mutex_);
  after_batch_ = std::move(after_batch);
}

void WorkerPool::set_sync(std::function<int(const WalSync&)> sync) {
  std::lock_guard lock(sync_mutex_);
  sync_ = std::move(sync);
}

void WorkerPool::when_durable(std::function<void()> then) {
  const std::uint64_t seen = committed_.load();
  if (durable_.load() < seen) {
    std::lock_guard lock(sync_mutex_);
    if (durable_.load() < seen) {  // durable_ changes under sync_mutex_: the sync thread will see this
      waiting_.emplace_back(seen, std::move(then));
      return;
    }
  }
  then();
}

void WorkerPool::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  // The writer handed over its last batch: the sync thread answers it, then ends.
  {
    std::lock_guard lock(sync_mutex_);
    sync_stopping_ = true;
  }
  sync_ready_.notify_all();
  if (sync_thread_.joinable()) sync_thread_.join();
}

std::size_t WorkerPool::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

bool WorkerPool::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void WorkerPool::work(Runtime& runtime) {
  for (;;) {
    std::vector<Task> batch;
    {
      std::unique_lock lock(mutex_);
      batch = take(lock);
    }
    if (batch.empty()) return;  // stopping, and nothing left to do
    if (auto* job = std::get_if<Job>(&batch.front())) {
      (*job)(runtime);
    } else {
      commit_batch(runtime, batch);
    }
  }
}

std::vector<WorkerPool::Task> WorkerPool::take(std::unique_lock<std::mutex>& lock) {
  std::vector<Task> batch;
  ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
  if (queue_.empty()) return batch;
  const bool writes = std::holds_alternative<WriteJob>(queue_.front());
  const auto give_up_at = std::chrono::steady_clock::now() + group_.max_wait;
  do {
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
    if (writes) --queued_writes_;
    if (!writes || batch.size() >= group_.max_batch) break;
    // Only writes queued right behind the first join it: other jobs keep their place in line.
    // With a max_wait, the batch waits for company only while writes the last sync answered
    // have not come back: a lone client never waits.
    if (queue_.empty() && returning_ > 0 && group_.max_wait.count() > 0 && !stopping_) {
      ready_.wait_until(lock, give_up_at, [&] { return stopping_ || !queue_.empty(); });
    }
  } while (!queue_.empty() && std::holds_alternative<WriteJob>(queue_.front()));
  return batch;
}

void WorkerPool::commit_batch(Runtime& runtime, std::vector<Task>& batch) {
  Unsynced unsynced;
  unsynced.answers.reserve(batch.size());
  for (Task& task : batch) unsynced.answers.push_back(std::move(std::get<WriteJob>(task).done));
  if (failed_) {
    unsynced.statuses.assign(batch.size(), make_error(ErrorCode::storage, failure_));
    unsynced.commits = committed_.load();
    return hand_over(std::move(unsynced));
  }
  std::vector<std::function<Status()>> works;
  works.reserve(batch.size());
  for (Task& task : batch) {
    works.emplace_back([&runtime, &write = std::get<WriteJob>(task)] { return write.apply(runtime); });
  }
  bool synced = false;
  {
    // Owe the commit's sync only when there are writes to go on with meanwhile.
    const DeferredWalSync deferred(&committed_, [this] { return queued_writes_.load() > 0; });
    unsynced.statuses = runtime.database().write_batch(works);
    unsynced.owed = deferred.owed();
    synced = deferred.synced();
  }
  unsynced.commits = committed_.load();
  ++batches_;
  bool index = false;
  {
    std::lock_guard lock(mutex_);
    if (const auto now = std::chrono::steady_clock::now(); now - indexed_at_ >= kIndexEvery) {
      indexed_at_ = now;
      index = true;
    }
  }
  if (!synced) {
    // The sync is owed, or nothing was committed: the sync thread answers once the batches
    // before are durable.
    hand_over(std::move(unsynced));
  } else {
    // Synced here, which made every commit so far durable: answered here, without a hand-off.
    release(unsynced.commits);
    std::deque<Unsynced> here;
    here.push_back(std::move(unsynced));
    answer(here, Ok{});
    std::function<void()> after_batch;
    {
      std::lock_guard lock(sync_mutex_);
      after_batch = after_batch_;
    }
    if (after_batch) after_batch();
  }
  // While the disk syncs: the writes' search index rows, those of all changes since the last
  // time (a commit of its own, synced here: nothing waits for it).
  if (index) {
    if (const Status indexed = SearchIndex::catch_up(runtime.database()); !indexed)
      spdlog::warn("search index not brought up to date (searches will): {}", indexed.error().message);
  }
}

void WorkerPool::hand_over(Unsynced batch) {
  {
    std::lock_guard lock(sync_mutex_);
    if (!sync_thread_.joinable()) {
      sync_thread_ = std::thread([this] {
        pthread_setname_np(pthread_self(), "docket-sync");
        sync_loop();
      });
    }
    unsynced_.push_back(std::move(batch));
  }
  sync_ready_.notify_one();
}

void WorkerPool::answer(std::deque<Unsynced>& batches, const Status& synced) {
  {
    // Counted before answering, so that a client's next request is not taken for another one.
    std::lock_guard lock(mutex_);
    returning_ = 0;
    for (const Unsynced& batch : batches) returning_ += batch.answers.size();
  }
  for (Unsynced& batch : batches) {
    for (std::size_t i = 0; i < batch.answers.size(); ++i) {
      if (batch.answers[i]) batch.answers[i](synced ? batch.statuses[i] : synced);
    }
  }
}

void WorkerPool::release(std::uint64_t durable) {
  std::vector<std::function<void()>> ready;
  {
    std::lock_guard lock(sync_mutex_);
    durable_ = std::max(durable_.load(), durable);
    auto still = std::partition(waiting_.begin(), waiting_.end(),
                                [&](const auto& waiting) { return waiting.first > durable_.load(); });
    for (auto waiting = still; waiting != waiting_.end(); ++waiting) ready.push_back(std::move(waiting->second));
    waiting_.erase(still, waiting_.end());
  }
  for (auto& then : ready) then();
}

// Syncs every batch handed over since the last round with one fdatasync (they all wrote to the
// same WAL), then answers them, then runs what waited for them.
void WorkerPool::sync_loop() {
  std::unique_lock lock(sync_mutex_);
  for (;;) {
    sync_ready_.wait(lock, [&] { return sync_stopping_ || !unsynced_.empty(); });
    if (unsynced_.empty()) return;  // stopping, and everything answered
    std::deque<Unsynced> round;
    round.swap(unsynced_);
    const auto sync = sync_;
    const auto after_batch = after_batch_;
    lock.unlock();

    Status synced = Ok{};
    std::vector<const WalSync*> done;
    for (const Unsynced& batch : round) {
      if (!batch.owed || std::find(done.begin(), done.end(), batch.owed.get()) != done.end()) continue;
      done.push_back(batch.owed.get());
      if (const int error = sync ? sync(*batch.owed) : batch.owed->sync(); error != 0) {
        synced = make_error(ErrorCode::storage, "the disk failed to make a committed change durable (fdatasync: " +
                                                    std::string(std::strerror(error)) +
                                                    "); the server takes no more writes until it is restarted");
      }
    }
    if (!synced) {
      spdlog::critical("{}", synced.error().message);
      if (!failed_) {
        failure_ = synced.error().message;  // written once; the writer reads it after seeing failed_
        failed_ = true;
      }
    }
    answer(round, synced);
    release(round.back().commits);
    if (after_batch) after_batch();
    lock.lock();
  }
}

}  // namespace docket::server
