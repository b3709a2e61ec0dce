#include "server/worker_pool.h"

namespace docket::server {

Result<std::unique_ptr<WorkerPool>> WorkerPool::start(int threads, const DatabaseOptions& options, const Clock& clock,
                                                      std::size_t max_queued) {
  std::unique_ptr<WorkerPool> pool(new WorkerPool(max_queued));
  for (int i = 0; i < threads; ++i) {
    auto runtime = Runtime::open(options, clock);
    if (!runtime) return runtime.error();
    pool->runtimes_.push_back(std::move(runtime.value()));
  }
  for (auto& runtime : pool->runtimes_) pool->threads_.emplace_back([p = pool.get(), r = runtime.get()] { p->work(*r); });
  return pool;
}

WorkerPool::~WorkerPool() { stop(); }

bool WorkerPool::post(Job job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= max_queued_) return false;
    queue_.push_back(std::move(job));
  }
  ready_.notify_one();
  return true;
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
    Job job;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to do
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job(runtime);
  }
}

}  // namespace docket::server
