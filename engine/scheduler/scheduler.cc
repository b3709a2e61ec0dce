#include "scheduler/scheduler.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "store/search_index.h"

namespace docket {

Result<SchedulerRound> fire_due_timers_once(Workspace& workspace) {
  SchedulerRound round;
  auto next_due = workspace.cases().next_timer_due();
  if (!next_due) return next_due.error();
  round.next_due = next_due.value();
  // Firing is a write transaction: taken only when something is due, not after every write.
  if (!round.next_due || *round.next_due > workspace.clock().now()) return round;
  round.earliest_fired = round.next_due;
  auto fired = workspace.cases().fire_due_timers();
  if (!fired) return fired.error();
  round.fired = *fired;
  next_due = workspace.cases().next_timer_due();
  if (!next_due) return next_due.error();
  round.next_due = next_due.value();
  return round;
}

std::chrono::seconds Scheduler::sleep_until(std::optional<Timestamp> next_due, Timestamp now) {
  if (!next_due) return kMaxSleep;
  return std::clamp(std::chrono::duration_cast<std::chrono::seconds>(*next_due - now), std::chrono::seconds{0},
                    std::chrono::seconds{kMaxSleep});
}

Scheduler::Scheduler(const Clock& clock, Executor executor, std::chrono::milliseconds index_every)
    : clock_(clock), executor_(std::move(executor)), index_every_(index_every) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::start() {
  {
    std::lock_guard lock(mutex_);
    if (started_ || stopping_) return;
    started_ = true;
  }
  thread_ = std::thread([this] { loop(); });
}

void Scheduler::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  changed_.notify_all();
}

void Scheduler::after_write(Workspace& workspace) {
  if (const auto now = std::chrono::steady_clock::now(); !indexed_at_ || now - *indexed_at_ >= index_every_) {
    indexed_at_ = now;
    if (const Status indexed = SearchIndex::catch_up(workspace.database()); !indexed)
      spdlog::warn("search index not brought up to date (searches will): {}", indexed.error().message);
  }
  wake();
}

void Scheduler::every(std::chrono::seconds period, Duty duty) {
  duty_period_ = period;
  duty_ = std::move(duty);
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Scheduler::State Scheduler::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

// One round at a time: the next is handed to the executor only after the last one finished.
// A wake before a round starts is answered by it; wakes during a round make one more, not one each.
void Scheduler::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    round_queued_ = true;
    lock.unlock();
    const bool queued = executor_([this](Workspace& workspace) { run_round(workspace); });
    lock.lock();
    if (!queued) round_queued_ = woken_ = false;
    changed_.wait(lock, [this] { return stopping_ || !round_queued_; });
    const std::chrono::seconds sleep = queued ? state_.sleep : std::chrono::seconds{kMaxSleep};
    changed_.wait_for(lock, sleep, [this] { return stopping_ || woken_; });
  }
}

void Scheduler::run_round(Workspace& workspace) {
  {
    std::lock_guard lock(mutex_);
    woken_ = false;  // what woke it is read now
  }
  std::optional<SchedulerRound> round;
  try {
    auto done = fire_due_timers_once(workspace);
    if (done) round = *done;
    if (!done) spdlog::warn("scheduler: {}", done.error().message);
  } catch (const std::exception& problem) {  // a job must not end the executor's thread
    spdlog::warn("scheduler: {}", problem.what());
  }
  const Timestamp now = clock_.now();
  if (duty_ && (!duty_due_ || *duty_due_ <= now)) {
    duty_due_ = now + duty_period_;
    try {
      duty_(workspace);
    } catch (const std::exception& problem) {
      spdlog::warn("scheduler: {}", problem.what());
    }
  }
  {
    std::lock_guard lock(mutex_);
    ++state_.rounds;
    state_.last_round_at = now;
    if (round) state_.next_due = round->next_due;
    if (round && round->fired > 0 && round->earliest_fired)
      state_.lag = std::max(std::chrono::seconds{0}, now - *round->earliest_fired);
    state_.sleep = round ? sleep_until(round->next_due, now) : kRetryAfterFailure;
    if (duty_due_)
      state_.sleep = std::clamp(std::chrono::duration_cast<std::chrono::seconds>(*duty_due_ - now),
                                std::chrono::seconds{0}, state_.sleep);
    round_queued_ = false;
  }
  changed_.notify_all();
}

}  // namespace docket
