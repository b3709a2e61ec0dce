// The notification dispatcher of `docket serve`: one thread with its own connection that
// delivers the outbox after commit (plugins/notifications/dispatcher.h). It wakes when a write
// may have queued messages (wake(), called after every write), when the earliest waiting
// message is due, and at the latest once a minute (to follow a clock that jumps).
// Stopping waits for the delivery round in progress; a message claimed but not yet settled is
// claimed again after its lease, so nothing is lost.
// Thread-safety: wake() and stop() may be called from any thread.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "notifications/dispatcher.h"
#include "notifications/notifications_setup.h"
#include "store/outbox.h"
#include "workspace/workspace.h"

namespace docket::server {

class Notifier {
 public:
  // Opens its connection and loads every channel now, so a bad channel fails at start.
  static Result<std::unique_ptr<Notifier>> start(const DatabaseOptions& database, const Clock& clock,
                                                 std::shared_ptr<const NotificationsConfig> config,
                                                 const NotificationsSetup& setup);
  ~Notifier();

  void wake();
  void stop();

 private:
  Notifier(std::unique_ptr<Workspace> workspace, const Clock& clock);
  void run();

  std::unique_ptr<Workspace> workspace_;
  const Clock& clock_;
  Outbox outbox_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::mutex mutex_;  // guards woken_ and stopping_
  std::condition_variable signal_;
  bool woken_ = true;  // the first round runs at once: messages may be waiting from before
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace docket::server
