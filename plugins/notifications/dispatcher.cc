#include "notifications/dispatcher.h"

#include <algorithm>
#include <random>

#include "core/text.h"
#include "store/case_store.h"

namespace docket {
namespace {

Dispatcher::Jitter seeded_jitter() {
  auto engine = std::make_shared<std::mt19937>(std::random_device{}());
  return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

bool is_closed(const WorkflowDefinition& definition, const Case& current) {
  const StageDefinition* stage = definition.stage(current.stage);
  return stage != nullptr && stage->terminal;
}

}  // namespace

Dispatcher::Dispatcher(Outbox& outbox, CaseStore& cases, Plugin& recorder, const DeliveryPolicy& policy,
                       const Clock& clock, Jitter jitter)
    : outbox_(outbox),
      cases_(cases),
      recorder_(recorder),
      policy_(policy),
      clock_(clock),
      jitter_(jitter ? std::move(jitter) : seeded_jitter()) {}

void Dispatcher::add_channel(std::unique_ptr<Channel> channel) {
  const std::string name(channel->name());
  channels_[name] = std::move(channel);
}

std::vector<std::string> Dispatcher::channel_names() const {
  std::vector<std::string> names;
  for (const auto& [name, channel] : channels_) names.push_back(name);
  return names;
}

Result<DispatchReport> Dispatcher::dispatch_due() {
  DispatchReport report;
  for (;;) {
    auto claimed = outbox_.claim_due(clock_.now(), policy_.lease, policy_.batch_size);
    if (!claimed) return claimed.error();
    if (claimed->empty()) return report;
    for (const OutboxEntry& entry : *claimed) {
      if (const Status settled = settle(entry, attempt(entry), report); !settled) return settled.error();
    }
  }
}

std::chrono::seconds Dispatcher::backoff(int attempts) const {
  std::chrono::seconds delay = policy_.initial_backoff;
  for (int i = 1; i < attempts && delay < policy_.max_backoff; ++i) delay *= 2;
  delay = std::min(delay, policy_.max_backoff);
  const auto half = delay / 2;
  const double spread = std::clamp(jitter_(), 0.0, 1.0);
  return half + std::chrono::seconds{static_cast<std::int64_t>(spread * static_cast<double>((delay - half).count()))};
}

DeliveryOutcome Dispatcher::attempt(const OutboxEntry& entry) {
  const auto channel = channels_.find(entry.channel);
  if (channel == channels_.end()) {
    std::string names;
    for (const auto& name : channel_names()) names += (names.empty() ? "" : ", ") + name;
    return {DeliveryStatus::failed,
            "no channel " + in_quotes(entry.channel) + " in this dispatcher (it has: " + names + ")"};
  }
  auto message = parse_notification_message(entry.body);
  if (!message) return {DeliveryStatus::failed, message.error().message};
  const Delivery delivery{entry.idempotency_key(), entry.recipient, std::move(message.value()), entry.attempts,
                          clock_.now()};
  try {
    return channel->second->deliver(delivery);
  } catch (const std::exception& problem) {  // a channel should not throw; if it does, try again later
    return {DeliveryStatus::retry, std::string("channel ") + entry.channel + " threw: " + problem.what()};
  }
}

Status Dispatcher::settle(const OutboxEntry& entry, const DeliveryOutcome& outcome, DispatchReport& report) {
  if (outcome.status == DeliveryStatus::delivered) {
    report.delivered += 1;
    return record(entry, true, outcome.detail);
  }
  if (outcome.status == DeliveryStatus::retry && entry.attempts < policy_.max_attempts) {
    report.retried += 1;
    return outbox_.reschedule(entry.id, clock_.now() + backoff(entry.attempts), outcome.detail);
  }
  report.dead += 1;
  const std::string why = outcome.status == DeliveryStatus::retry
                              ? "gave up after " + std::to_string(entry.attempts) + " attempts: " + outcome.detail
                              : outcome.detail;
  return record(entry, false, why);
}

// Marks the outbox row and records the outcome on its case in one transaction.
// A message about no case (a checkpoint) is settled in the outbox alone.
Status Dispatcher::record(const OutboxEntry& entry, bool delivered, const std::string& detail) {
  const Timestamp now = clock_.now();
  if (!entry.topic.empty()) {
    return delivered ? outbox_.mark_delivered(entry.id, now, detail) : outbox_.mark_dead(entry.id, detail);
  }
  auto recorded = cases_.run_plugin_action(
      entry.case_number, recorder_,
      [&](const WorkflowDefinition& definition, const Case& current, PluginContext&) -> Result<std::vector<Command>> {
        const bool closed = is_closed(definition, current);
        const std::string note = closed ? " (case closed: kept in the outbox only)" : "";
        const Status marked = delivered ? outbox_.mark_delivered(entry.id, now, note.empty() ? "" : note.substr(1))
                                        : outbox_.mark_dead(entry.id, detail + note);
        if (!marked) return marked.error();
        if (closed) return std::vector<Command>{};
        return std::vector<Command>{RecordDelivery{entry.channel, entry.recipient, entry.idempotency_key(),
                                                   entry.attempts, delivered, delivered ? "" : detail}};
      });
  if (recorded) return Ok{};
  const ErrorCode code = recorded.error().code;
  if (code == ErrorCode::busy || code == ErrorCode::storage) return recorded.error();  // try again next round
  // The case refuses the record (say its workflow version is no longer installed): settle the
  // message anyway, or it would be sent again at the end of every lease.
  const std::string note = "not in the case history: " + recorded.error().message;
  return delivered ? outbox_.mark_delivered(entry.id, now, note)
                   : outbox_.mark_dead(entry.id, detail + " (" + note + ")");
}

}  // namespace docket
