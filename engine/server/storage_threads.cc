#include "server/storage_threads.h"

namespace docket::server {

Result<std::unique_ptr<StorageThreads>> StorageThreads::start(
    int threads, const DatabaseOptions& options, const Clock& clock, std::size_t max_queued,
    std::shared_ptr<const NotificationsConfig> notifications) {
  std::unique_ptr<StorageThreads> pool(new StorageThreads(max_queued));
  for (int i = 0; i < threads; ++i) {
    auto workspace = Workspace::open(options, clock, notifications);
    if (!workspace) return workspace.error();
    pool->workspaces_.push_back(std::move(workspace.value()));
  }
  for (auto& workspace : pool->workspaces_)
    pool->threads_.emplace_back([p = pool.get(), r = workspace.get()] { p->work(*r); });
  return pool;
}

StorageThreads::~StorageThreads() { stop(); }

bool StorageThreads::post(Job job) { return enqueue(std::move(job)); }

bool StorageThreads::post_write(WriteJob job) { return enqueue(std::move(job)); }

bool StorageThreads::enqueue(Task task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= max_queued_) return false;
    queue_.push_back(std::move(task));
  }
  ready_.notify_one();
  return true;
}

void StorageThreads::set_group_commit(const GroupCommit& group) {
  std::lock_guard lock(mutex_);
  group_ = group;
  if (group_.max_batch == 0) group_.max_batch = 1;
}

void StorageThreads::set_after_batch(Job after_batch) {
  std::lock_guard lock(mutex_);
  after_batch_ = std::move(after_batch);
}

void StorageThreads::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

std::size_t StorageThreads::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

bool StorageThreads::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void StorageThreads::work(Workspace& workspace) {
  for (;;) {
    std::vector<Task> batch;
    {
      std::unique_lock lock(mutex_);
      batch = take(lock);
    }
    if (batch.empty()) return;  // stopping, and nothing left to do
    if (auto* job = std::get_if<Job>(&batch.front())) {
      (*job)(workspace);
    } else {
      commit_batch(workspace, batch);
    }
  }
}

std::vector<StorageThreads::Task> StorageThreads::take(std::unique_lock<std::mutex>& lock) {
  std::vector<Task> batch;
  ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
  if (queue_.empty()) return batch;
  const bool writes = std::holds_alternative<WriteJob>(queue_.front());
  const auto give_up_at = std::chrono::steady_clock::now() + group_.max_wait;
  do {
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
    if (!writes || batch.size() >= group_.max_batch) break;
    // Only writes queued right behind the first join it: other jobs keep their place in line.
    // The batch waits for company only while fewer writers have come back than were busy last
    // time: a lone client never waits, and clients answered together commit together again.
    if (queue_.empty() && batch.size() < writers_ && group_.max_wait.count() > 0 && !stopping_) {
      ready_.wait_until(lock, give_up_at, [&] { return stopping_ || !queue_.empty(); });
    }
  } while (!queue_.empty() && std::holds_alternative<WriteJob>(queue_.front()));
  return batch;
}

void StorageThreads::commit_batch(Workspace& workspace, std::vector<Task>& batch) {
  std::vector<std::function<Status()>> works;
  works.reserve(batch.size());
  for (Task& task : batch) {
    works.emplace_back([&workspace, &write = std::get<WriteJob>(task)] { return write.apply(workspace); });
  }
  const std::vector<Status> statuses = workspace.database().write_batch(works);
  {
    // How many writers are busy: the ones about to be answered (likely to send again soon) and
    // the ones that queued while this batch was written. Counted before answering, so that a
    // client's next request is not taken for another client.
    std::lock_guard lock(mutex_);
    writers_ = batch.size();
    for (auto task = queue_.begin(); task != queue_.end() && writers_ < group_.max_batch; ++task) {
      if (std::holds_alternative<WriteJob>(*task)) ++writers_;
    }
  }
  for (std::size_t i = 0; i < batch.size(); ++i) std::get<WriteJob>(batch[i]).done(workspace, statuses[i]);
  Job after_batch;
  {
    std::lock_guard lock(mutex_);
    after_batch = after_batch_;
  }
  if (after_batch) after_batch(workspace);
}

}  // namespace docket::server
