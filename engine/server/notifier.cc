#include "server/notifier.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace docket::server {

Notifier::Notifier(std::unique_ptr<Workspace> workspace, const Clock& clock)
    : workspace_(std::move(workspace)), clock_(clock), outbox_(workspace_->database()) {}

Result<std::unique_ptr<Notifier>> Notifier::start(const DatabaseOptions& database, const Clock& clock,
                                                  std::shared_ptr<const NotificationsConfig> config,
                                                  const NotificationsSetup& setup) {
  auto workspace = Workspace::open(database, clock, config);
  if (!workspace) return workspace.error();
  auto channels = load_all_channels(*config, setup, spdlog::default_logger());
  if (!channels) return channels.error();
  std::unique_ptr<Notifier> notifier(new Notifier(std::move(workspace.value()), clock));
  Workspace& opened = *notifier->workspace_;
  notifier->dispatcher_ =
      std::make_unique<Dispatcher>(notifier->outbox_, opened.cases(), *opened.notifications(), config->delivery, clock);
  for (auto& channel : *channels) notifier->dispatcher_->add_channel(std::move(channel));
  notifier->thread_ = std::thread([self = notifier.get()] { self->run(); });
  return notifier;
}

Notifier::~Notifier() { stop(); }

void Notifier::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  signal_.notify_one();
}

void Notifier::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  signal_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Notifier::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    woken_ = false;
    lock.unlock();
    auto wait = std::chrono::seconds{60};
    const auto report = dispatcher_->dispatch_due();
    if (!report) {  // the database is busy or failing: the round's messages stay claimed
      spdlog::warn("notifications: {}", report.error().message);
      wait = std::chrono::seconds{1};
    } else if (report->delivered + report->retried + report->dead > 0) {
      spdlog::info("notifications: {} delivered, {} to retry, {} dead-lettered", report->delivered, report->retried,
                   report->dead);
    }
    if (report) {
      auto next = outbox_.next_due();
      if (!next) {  // a read of the outbox failed: try again later
        spdlog::warn("notifications: {}", next.error().message);
        wait = std::chrono::seconds{1};
      } else if (*next) {
        wait = std::clamp(std::chrono::duration_cast<std::chrono::seconds>(**next - clock_.now()),
                          std::chrono::seconds{0}, wait);
      }
    }
    lock.lock();
    signal_.wait_for(lock, wait, [this] { return woken_ || stopping_; });
  }
}

}  // namespace docket::server
