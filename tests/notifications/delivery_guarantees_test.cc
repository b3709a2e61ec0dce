// What the outbox promises: nothing is sent for a change that did not commit; a message
// committed before the process died is delivered after it, with the same idempotency key;
// a message whose delivery was cut short is tried again once its lease ends.
#include <sys/wait.h>
#include <unistd.h>

#include "notifications/webhook_channel.h"
#include "notifications_fixture.h"

namespace docket::testing {
namespace {

// Refuses every change whose events include a comment "roll back", after the plugins before
// it (notifications among them) have queued their messages.
class RefusingPlugin final : public Plugin {
 public:
  std::string_view name() const override { return "refusing"; }
  Result<std::vector<Command>> after_change(const CaseChange& change, PluginContext&) override {
    for (const Event& event : change.events) {
      const auto* comment = std::get_if<CommentAdded>(&event.payload);
      if (comment != nullptr && comment->text == "roll back")
        return make_error(ErrorCode::internal, "refused by the test");
    }
    return std::vector<Command>{};
  }
  Result<std::vector<Command>> on_timer(const Timer&, const WorkflowDefinition&, const Case&, PluginContext&) override {
    return std::vector<Command>{};
  }
};

// A webhook channel that kills the process in the middle of a delivery.
class DyingChannel final : public Channel {
 public:
  std::string_view name() const override { return kWebhookChannel; }
  DeliveryOutcome deliver(const Delivery&) override { _exit(0); }
};

// Runs `child` in a forked process that ends with _exit(0) (no destructors, no flushing),
// and waits for it. The child must use its own database connection.
void in_child_process(const std::function<void()>& child) {
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    child();
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
}

class DeliveryGuaranteesTest : public NotificationsTest {};

TEST_F(DeliveryGuaranteesTest, ACommandTheStateMachineRefusesSendsNothing) {
  HttpReceiver receiver;
  use_rules(standard_rules(receiver.url(), unused_port()));
  const Case opened = open_critique();
  dispatch();
  const std::size_t before = outbox().size();

  auto refused = store_->execute(opened.number, "can-bo",
                                 {AddComment{"Đề nghị bổ sung hồ sơ"}, MoveCase{"no_such_transition", {}, ""}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::not_found) << refused.error().message;
  EXPECT_EQ(outbox().size(), before);
  EXPECT_EQ(dispatch().delivered, 0);
  EXPECT_EQ(receiver.requests().size(), 1u) << "only the opening was sent";
}

TEST_F(DeliveryGuaranteesTest, AChangeRolledBackAfterTheMessagesWereQueuedSendsNothing) {
  HttpReceiver receiver;
  use_rules(standard_rules(receiver.url(), unused_port()));
  RefusingPlugin refusing;
  store_ = std::make_unique<CaseStore>(*db_, catalog_, clock_,
                                       std::vector<Plugin*>{&deadlines_, plugin_.get(), &refusing}, &calendar_);
  dispatcher_.reset();
  const Case opened = open_critique();
  const std::size_t before = outbox().size();

  auto refused = store_->execute(opened.number, "can-bo", {AddComment{"roll back"}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(outbox().size(), before);
  comment(opened.number, "kept");
  EXPECT_EQ(outbox().size(), before + 1);
}

TEST_F(DeliveryGuaranteesTest, AMessageCommittedBeforeTheProcessDiedIsDeliveredAfterwards) {
  use_rules(standard_rules("http://127.0.0.1:9/not-yet", unused_port()));
  const std::string number = open_critique().number;
  in_child_process([&] {
    auto db = open_db();
    Directory directory(*db, clock_);
    DirectoryAddressbook addressbook(directory);
    NotificationsPlugin plugin(config_, addressbook);
    CaseStore store(*db, catalog_, clock_, {&deadlines_, &plugin}, &calendar_);
    if (!store.execute(number, "can-bo", {AddComment{"Cần họp ngay"}}).ok()) _exit(1);
    // Committed; the process ends before any dispatcher runs.
  });
  const std::string comment_key = std::to_string(newest_seq(number)) + ":webhook:portal";

  HttpReceiver receiver;
  use_rules(standard_rules(receiver.url(), unused_port()));  // a new process's wiring
  EXPECT_EQ(dispatch().delivered, 2);
  const auto keys = receiver.accepted_by_key();
  EXPECT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys.count(comment_key), 1u) << "the key is the one the committed change fixed";
}

TEST_F(DeliveryGuaranteesTest, ADeliveryCutShortIsTriedAgainAfterItsLease) {
  HttpReceiver receiver;
  use_rules(standard_rules(receiver.url(), unused_port()));
  const std::string number = open_critique().number;
  in_child_process([&] {
    auto db = open_db();
    Directory directory(*db, clock_);
    DirectoryAddressbook addressbook(directory);
    NotificationsPlugin plugin(config_, addressbook);
    CaseStore store(*db, catalog_, clock_, {&deadlines_, &plugin}, &calendar_);
    Outbox outbox(*db);
    Dispatcher dying(outbox, store, plugin, config_.delivery, clock_, [] { return 0.5; });
    dying.add_channel(std::make_unique<DyingChannel>());
    (void)dying.dispatch_due();  // claims the message, then dies inside deliver()
    _exit(1);
  });

  EXPECT_EQ(dispatch().delivered, 0) << "claimed by the dead process until its lease ends";
  clock_.advance(config_.delivery.lease);
  EXPECT_EQ(dispatch().delivered, 1);
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(receiver.requests()[0].headers.at("idempotency-key"), outbox()[0].idempotency_key());
  EXPECT_EQ(outbox()[0].attempts, 2);
  EXPECT_EQ(outbox()[0].status, OutboxStatus::delivered);
}

TEST_F(DeliveryGuaranteesTest, OneChangeGivesARecipientOneMessage) {
  HttpReceiver receiver;
  use_rules(standard_rules(receiver.url(), unused_port()));
  const std::string number = open_critique().number;
  dispatch();
  auto changed = store_->execute(number, "can-bo", {AssignCase{"can-bo"}, AddComment{"Tôi nhận xử lý"}});
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  const std::string key = std::to_string(newest_seq(number)) + ":log:can-bo";

  EXPECT_EQ(dispatch().delivered, 2) << "one webhook (the comment), one log line (assignment and comment)";
  const std::string log = log_.str();
  EXPECT_NE(
      log.find(key + " to can-bo [case.assigned,comment.added] " + number + ": " + number + " is assigned to you"),
      std::string::npos)
      << log;
}

TEST_F(DeliveryGuaranteesTest, DeliveriesAreNotNotifiedAbout) {
  HttpReceiver receiver;
  use_rules(standard_rules(receiver.url(), unused_port()));
  const std::string number = open_critique().number;
  EXPECT_EQ(dispatch().delivered, 1);
  EXPECT_EQ(dispatch().delivered, 0) << "recording notification.delivered queued nothing";
  EXPECT_EQ(outbox().size(), 1u);
  EXPECT_EQ(history(number).back().type, "notification.delivered");
}

TEST_F(DeliveryGuaranteesTest, TheOutcomeOfAMessageAboutAClosedCaseStaysInTheOutbox) {
  HttpReceiver receiver;
  use_rules(standard_rules(receiver.url(), unused_port()));
  const std::string number = open_critique().number;
  dispatch();
  auto closed = store_->execute(
      number, "can-bo", {AddComment{"Không đủ điều kiện"}, MoveCase{"decline", {{"end_reason", "Ngoài phạm vi"}}, ""}});
  ASSERT_TRUE(closed.ok()) << closed.error().message;
  const std::size_t events = history(number).size();

  EXPECT_EQ(dispatch().delivered, 1);
  EXPECT_EQ(receiver.requests().size(), 2u);
  EXPECT_EQ(history(number).size(), events) << "a closed case takes no more events";
  const OutboxEntry last = outbox().back();
  EXPECT_EQ(last.status, OutboxStatus::delivered);
  EXPECT_NE(last.last_error.find("case closed"), std::string::npos) << last.last_error;
}

TEST_F(DeliveryGuaranteesTest, AMessageWhoseCaseRefusesTheRecordIsSettledNotResent) {
  HttpReceiver receiver;
  use_rules(standard_rules(receiver.url(), unused_port()));
  open_critique();
  const WorkflowCatalog nothing_installed;
  CaseStore unaware(*db_, nothing_installed, clock_, {}, &calendar_);
  Dispatcher dispatcher(*outbox_, unaware, *plugin_, config_.delivery, clock_, [] { return 0.5; });
  dispatcher.add_channel(std::make_unique<WebhookChannel>(config_.webhooks));

  ASSERT_EQ(dispatcher.dispatch_due().value().delivered, 1);
  clock_.advance(config_.delivery.lease);
  EXPECT_EQ(dispatcher.dispatch_due().value().delivered, 0) << "not sent again when the lease ends";
  EXPECT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(outbox()[0].status, OutboxStatus::delivered);
  EXPECT_NE(outbox()[0].last_error.find("not in the case history"), std::string::npos) << outbox()[0].last_error;
}

TEST_F(DeliveryGuaranteesTest, RetryRefusesADeliveredMessageAndAnUnknownId) {
  HttpReceiver receiver;
  use_rules(standard_rules(receiver.url(), unused_port()));
  open_critique();
  dispatch();
  const auto delivered = outbox_->retry(outbox()[0].id, clock_.now());
  ASSERT_FALSE(delivered.ok());
  EXPECT_NE(delivered.error().message.find("was delivered"), std::string::npos) << delivered.error().message;
  const auto unknown = outbox_->retry(999, clock_.now());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
}

// After an outage the scheduler catches up in due order; reminders whose deadline has passed
// are recorded as skipped, and nobody is told "due in 5 days" about a case already overdue.
TEST_F(DeliveryGuaranteesTest, RemindersCaughtUpAfterTheirDeadlineAreNotSent) {
  HttpReceiver receiver;
  use_rules(standard_rules(receiver.url(), unused_port()));
  const std::string number = open_critique().number;  // due 2026-06-29, reminders 10/5/3 days before
  clock_.set(*parse_datetime("2026-07-15T02:00:00Z"));
  ASSERT_EQ(store_->fire_due_timers().value(), 5);  // three reminders, the breach, the escalation
  EXPECT_EQ(events_of(number, "deadline.reminder").size(), 3u);
  std::vector<std::string> emailed;
  for (const auto& entry : outbox()) {
    if (entry.channel == "email") emailed.push_back(std::to_string(entry.event_seq));
  }
  ASSERT_EQ(emailed.size(), 1u) << "only the breach is e-mailed";
  EXPECT_EQ(emailed[0], std::to_string(events_of(number, "deadline.breached").at(0).seq));
}

}  // namespace
}  // namespace docket::testing
