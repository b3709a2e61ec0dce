// The deadline scheduler: what is due next, fire it once, sleep until the next.
//
// Deadlines live in the database, not in memory: a change writes its timers (reminders,
// breaches, escalations) in its own transaction. A round reads through the store what is due at
// the injected Clock's now and fires each timer exactly once (CaseStore::fire_due_timers: the
// timer is marked fired in the transaction of the events it produces), then reads when the
// earliest unfired timer is due (CaseStore::next_timer_due). The scheduler sleeps until then and
// runs the next round. A restart loses nothing: the first round fires what fell due meanwhile.
// `docket tick` is one round (fire_due_timers_once); `docket serve` hosts a Scheduler.
//
// Store work runs on the executor the Scheduler is given: in the server, the writer thread, the
// one that owns the writing connection. The Scheduler's own thread only sleeps and posts rounds.
// A write may set a timer earlier than the one it sleeps for: after each committed batch the
// writer calls after_write(), which wakes it to read again. after_write() also runs the other
// duty that follows writes: bringing the search index up to date (SearchIndex::catch_up), at
// most every kIndexEvery, so that the writes' rows are indexed in batches rather than one by one.
//
// Thread-safety: start(), wake(), stop() and state() from any thread; after_write() on the
// executor's thread only (it keeps when the index was last brought up to date).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "core/clock.h"
#include "workspace/workspace.h"

namespace docket {

// What one round did: how many timers fired, and when the earliest unfired timer is due.
struct SchedulerRound {
  int fired = 0;
  std::optional<Timestamp> next_due;        // nullopt: no timer waits
  std::optional<Timestamp> earliest_fired;  // when the earliest timer it fired was due; nullopt: none fired
};

// One round on `workspace`'s connection: when a timer is due at its clock, fires every one that
// is, earliest first, each once in its own transaction with the events it produces; then reads
// when the next one is due. Fails with the store's error when a timer could not be fired: those
// fired before it stay fired, and it is still due for the next round.
Result<SchedulerRound> fire_due_timers_once(Workspace& workspace);

class Scheduler {
 public:
  // Runs `job` on the thread that owns the writing connection. Returns false when the job was
  // refused (a full queue, or stopping): the scheduler tries again when woken, or at the latest
  // after kMaxSleep.
  using Executor = std::function<bool(std::function<void(Workspace&)>)>;

  // A round is run at the latest this long after the last, so that a clock that jumps (a
  // changed system time) is followed.
  static constexpr std::chrono::seconds kMaxSleep{60};
  // How long the scheduler sleeps after a round that failed (instead of retrying at once).
  static constexpr std::chrono::seconds kRetryAfterFailure{1};
  // How often writes are followed by bringing the search index up to date, at most.
  static constexpr std::chrono::milliseconds kIndexEvery{100};

  // How long to sleep after a round that read `next_due` at `now`: until it is due (zero when it
  // already is), at most kMaxSleep (also when no timer waits).
  static std::chrono::seconds sleep_until(std::optional<Timestamp> next_due, Timestamp now);

  // Does nothing until start(). `index_every`: see kIndexEvery (tests pass their own).
  Scheduler(const Clock& clock, Executor executor, std::chrono::milliseconds index_every = kIndexEvery);
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;
  ~Scheduler();  // stop()

  // Starts the scheduler's thread: a first round at once, then one whenever the next timer is
  // due, wake() is called, or kMaxSleep has passed. Once only.
  void start();
  // Makes the scheduler run a round now: the queued one if it has not started, else one more
  // after it (wakes are coalesced, not a round each).
  void wake();
  // On the executor's thread, after a batch of writes committed and was answered: brings the
  // search index up to date when kIndexEvery has passed since it last did (a failure is logged:
  // a search catches up itself), and wakes the scheduler (the writes may have set a timer).
  void after_write(Workspace& workspace);
  // A duty besides the timers: `duty` runs on the executor in a round when `period` has passed
  // since it last ran (the first time in the first round), after that round's timers, and the
  // scheduler sleeps no longer than until it is due again. The server's signed checkpoints
  // (store/checkpoint.h). A duty reports its own failures (logs them); it is not retried before
  // its next period. REQUIRES: before start(); period > 0.
  using Duty = std::function<void(Workspace&)>;
  void every(std::chrono::seconds period, Duty duty);
  // Stops the thread and joins it (idempotent). A round already handed to the executor still
  // runs there, so the Scheduler must outlive the executor's queued jobs.
  void stop();

  // What the last round found and how long the scheduler sleeps after it; /metrics shows it.
  struct State {
    std::int64_t rounds = 0;  // rounds completed, failed ones included
    std::optional<Timestamp> next_due;
    std::chrono::seconds sleep{0};
    std::optional<Timestamp> last_round_at;  // the clock's time when the last round ran
    // How late the last round that fired a timer fired its earliest one: from when it was due to
    // the round (a timer written already overdue, a case opened with a past date, counts too).
    std::chrono::seconds lag{0};
  };
  State state() const;

 private:
  void loop();
  // Runs on the executor's thread.
  void run_round(Workspace& workspace);

  const Clock& clock_;
  const Executor executor_;
  const std::chrono::milliseconds index_every_;
  std::optional<std::chrono::steady_clock::time_point> indexed_at_;  // the executor's thread only
  std::chrono::seconds duty_period_{0};                              // set before start()
  Duty duty_;
  std::optional<Timestamp> duty_due_;  // the executor's thread only; nullopt: due in the first round

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable changed_;
  bool started_ = false;
  bool stopping_ = false;
  bool woken_ = false;
  bool round_queued_ = false;  // handed to the executor and not finished yet
  State state_;
  std::thread thread_;
};

}  // namespace docket
