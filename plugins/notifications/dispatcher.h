// The dispatcher: delivers the outbox after commit. Each round claims the messages due at the
// clock's now (outbox.h), hands each to its channel and settles the outcome:
//   delivered  -> marked delivered and `notification.delivered` recorded in the case history,
//                 in one transaction;
//   retry      -> due again after an exponential backoff with jitter, until max_attempts;
//   failed, or retry after the last attempt -> dead-lettered and `notification.failed`
//                 recorded, in one transaction.
// Delivery is at least once: a dispatcher that dies mid-delivery leaves the message to be
// claimed again after the lease, and every attempt carries the same idempotency key.
// Outcomes on a closed case, and of messages about no case (signed checkpoints), are kept in the
// outbox only.
//
// Thread-safety: one thread at a time; it uses the store's connection. Run several
// dispatchers on several connections if you need more (claims do not overlap).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "notifications/channel.h"
#include "notifications/notification_config.h"
#include "plugin/plugin.h"
#include "store/outbox.h"

namespace docket {

class CaseStore;

struct DispatchReport {
  int delivered = 0;
  int retried = 0;  // failed attempts that will be tried again
  int dead = 0;     // given up
};

class Dispatcher {
 public:
  // Returns a number in [0, 1): how far into the jitter window a retry lands.
  using Jitter = std::function<double()>;

  // `recorder` is the plugin in whose name outcomes are recorded (the notifications plugin).
  // All references must outlive the dispatcher. Without `jitter`, a seeded std::mt19937.
  Dispatcher(Outbox& outbox, CaseStore& cases, Plugin& recorder, const DeliveryPolicy& policy, const Clock& clock,
             Jitter jitter = {});

  // Adds a channel; it replaces one of the same name.
  void add_channel(std::unique_ptr<Channel> channel);
  std::vector<std::string> channel_names() const;

  // Delivers every message due now, batch after batch, until none is due. Errors: busy or
  // storage when the outbox cannot be read or an outcome cannot be recorded (the messages of
  // that round stay claimed and are tried again after the lease).
  Result<DispatchReport> dispatch_due();

  // The wait after the attempts-th failed attempt: initial_backoff * 2^(attempts-1), at most
  // max_backoff, of which the second half is jittered ("equal jitter").
  std::chrono::seconds backoff(int attempts) const;

 private:
  DeliveryOutcome attempt(const OutboxEntry& entry);
  Status settle(const OutboxEntry& entry, const DeliveryOutcome& outcome, DispatchReport& report);
  Status record(const OutboxEntry& entry, bool delivered, const std::string& detail);

  Outbox& outbox_;
  CaseStore& cases_;
  Plugin& recorder_;
  DeliveryPolicy policy_;
  const Clock& clock_;
  Jitter jitter_;
  std::map<std::string, std::unique_ptr<Channel>, std::less<>> channels_;
};

}  // namespace docket
