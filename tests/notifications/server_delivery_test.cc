// `docket serve` with notification rules: a change made over the HTTP API queues its message in
// the outbox and the server's own dispatcher delivers it to a real HTTP receiver on loopback,
// with no `outbox dispatch` run by anyone; the delivery is then in the case history.
#include <fstream>
#include <sstream>
#include <thread>

#include "../server/http_client.h"
#include "notifications/notifications_setup.h"
#include "notifications_fixture.h"
#include "server/server.h"
#include "store/signing_key.h"

namespace docket::testing {
namespace {

class ServerDeliveryTest : public NotificationsTest {
 protected:
  // Rules sending the opening of each case to the webhook endpoint "portal" at `url`.
  std::filesystem::path write_rules(const std::string& url) {
    const auto path = folder_ / "notifications.json";
    std::ofstream(path) << fill(R"json({
      "delivery": {"max_attempts": 3},
      "channels": {"webhook": {"endpoints": {"portal": {"url": "${URL}", "secret": "s3cret"}}}},
      "rules": [{"events": ["case.opened"], "channel": "webhook", "recipients": [{"endpoint": "portal"}]}],
      "templates": {"case.opened": {"vi": {"subject": "Vụ việc mới {case_number}", "text": "{title}"}}}
    })json",
                                {{"URL", url}});
    return path;
  }

  std::unique_ptr<server::Server> start_server(const NotificationsSetup& setup) {
    auto config = load_notifications(setup, catalog_);
    EXPECT_TRUE(config.ok()) << (config.ok() ? "" : config.error().message);
    if (!config.ok()) return nullptr;
    server::ServerOptions options;
    options.port = 0;
    options.database.path = folder_ / "docket.db";
    options.notifications = config.value();
    options.notifications_setup = setup;
    auto server = server::Server::start(options, clock_);
    EXPECT_TRUE(server.ok()) << (server.ok() ? "" : server.error().message);
    return server.ok() ? std::move(server.value()) : nullptr;
  }

  // Waits (at most 20 s) until `done` holds.
  static bool eventually(const std::function<bool()>& done) {
    for (int i = 0; i < 400; ++i) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds{50});
    }
    return done();
  }
};

TEST_F(ServerDeliveryTest, AChangeOverTheApiIsDeliveredByTheServersDispatcher) {
  HttpReceiver receiver;
  const NotificationsSetup setup{write_rules(receiver.url()), {}};
  use_rules(read_text(setup.rules));  // the fixture's own store reads the history below
  const std::string token = directory_->issue_token("can-bo").value();
  auto server = start_server(setup);
  ASSERT_NE(server, nullptr);

  server_test::HttpClient client(server->port());
  const auto opened = client.post(
      "/api/v1/cases", token,
      R"({"workflow":"social-critique","unit":"gia-vien","title":"Dự thảo đề án đường giao thông nông thôn",)"
      R"("fields":{"submission_date":"2026-06-30","drafting_body":"UBND xã Gia Viễn"}})");
  ASSERT_EQ(opened.status, 201) << opened;
  const std::string number = opened.at("/number");

  ASSERT_TRUE(eventually([&] { return !receiver.requests().empty(); })) << "the webhook never arrived";
  ASSERT_TRUE(eventually([&] { return !outbox().empty() && outbox()[0].status == OutboxStatus::delivered; }));
  server->stop();

  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_NE(receiver.requests()[0].body.find("đường giao thông nông thôn"), std::string::npos)
      << receiver.requests()[0].body;
  auto history = store_->history(number);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->back().type, "notification.delivered");
}

// An administrator sees failed deliveries without reading the outbox: /metrics counts them.
TEST_F(ServerDeliveryTest, ADeliveryThatFailsForGoodIsCountedInTheMetrics) {
  HttpReceiver receiver({404});  // a client error: no retry
  const NotificationsSetup setup{write_rules(receiver.url()), {}};
  use_rules(read_text(setup.rules));
  const std::string token = directory_->issue_token("can-bo").value();
  auto server = start_server(setup);
  ASSERT_NE(server, nullptr);
  server_test::HttpClient client(server->port());
  const auto dead_letters = [&] {
    const std::string text = client.get("/metrics", token).body;
    const std::string sample = "\ndocket_outbox_dead_letters ";
    const std::size_t at = text.find(sample);
    return at == std::string::npos ? -1 : std::stoi(text.substr(at + sample.size()));
  };
  EXPECT_EQ(dead_letters(), 0);
  const auto opened = client.post("/api/v1/cases", token,
                                  R"({"workflow":"social-critique","unit":"gia-vien","title":"Dự thảo quy hoạch chợ",)"
                                  R"("fields":{"submission_date":"2026-06-30","drafting_body":"UBND xã Gia Viễn"}})");
  ASSERT_EQ(opened.status, 201) << opened;
  EXPECT_TRUE(eventually([&] { return dead_letters() == 1; })) << client.get("/metrics", token).body;
  server->stop();
}

TEST_F(ServerDeliveryTest, MessagesLeftFromBeforeAreDeliveredWhenTheServerStarts) {
  HttpReceiver receiver;
  const NotificationsSetup setup{write_rules(receiver.url()), {}};
  use_rules(read_text(setup.rules));
  open_critique();  // queued while no server ran
  ASSERT_EQ(outbox().size(), 1u);

  auto server = start_server(setup);
  ASSERT_NE(server, nullptr);
  EXPECT_TRUE(eventually([&] { return outbox()[0].status == OutboxStatus::delivered; })) << outbox()[0].last_error;
  server->stop();
  EXPECT_EQ(receiver.requests().size(), 1u);
}

TEST_F(ServerDeliveryTest, TheServersScheduledCheckpointIsSentToTheLevelAbove) {
  HttpReceiver central;
  const auto rules = folder_ / "checkpoint-rules.json";
  std::ofstream(rules) << fill(R"json({
    "channels": {"webhook": {"endpoints": {"trung-uong": {"url": "${URL}", "secret": "s3cret"}}}},
    "rules": [{"events": ["audit.checkpoint"], "channel": "webhook", "recipients": [{"endpoint": "trung-uong"}]}],
    "templates": {"audit.checkpoint": {"vi": {"subject": "Kiểm chứng {unit}", "text": "{file}"}}}
  })json",
                               {{"URL", central.url()}});
  const NotificationsSetup setup{rules, {}};
  use_rules(read_text(rules));
  open_critique();
  ASSERT_TRUE(generate_key_pair(folder_ / "ninh-binh.key", folder_ / "ninh-binh.pub").ok());
  auto key = SigningKey::load(folder_ / "ninh-binh.key");
  ASSERT_TRUE(key.ok()) << key.error().message;

  auto config = load_notifications(setup, catalog_);
  ASSERT_TRUE(config.ok()) << config.error().message;
  server::ServerOptions options;
  options.port = 0;
  options.database.path = folder_ / "docket.db";
  options.notifications = config.value();
  options.notifications_setup = setup;
  options.checkpoints = server::CheckpointSchedule{*key, "ninh-binh", folder_ / "checkpoints", std::chrono::hours{1}};
  auto server = server::Server::start(options, clock_);
  ASSERT_TRUE(server.ok()) << server.error().message;
  ASSERT_TRUE(eventually([&] { return !central.requests().empty(); })) << "no checkpoint arrived";
  (*server)->stop();

  const std::string body = central.requests()[0].body;
  EXPECT_NE(body.find(R"("subject":"Kiểm chứng ninh-binh")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("attachment":{"name":"checkpoint-)"), std::string::npos) << body;
  EXPECT_NE(body.find(R"(\"format\":\"docket-checkpoint-1\")"), std::string::npos) << body;
  ASSERT_TRUE(eventually([&] { return !outbox().empty() && outbox()[0].status == OutboxStatus::delivered; }));
}

TEST_F(ServerDeliveryTest, ABadRulesFileIsRefusedWithEachProblemNamed) {
  const auto path = folder_ / "bad.json";
  std::ofstream(path)
      << R"({"rules": [{"events": ["case.opened"], "channel": "webhook", "recipients": [{"endpoint": "none"}]}],)"
      << R"( "templates": {"case.opened": {"vi": {"subject": "{case_number}", "text": "{no_such}"}}}})";
  auto config = load_notifications({path, {}}, catalog_);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(config.error().message.find("bad.json: $.rules[0]"), std::string::npos) << config.error().message;
  EXPECT_NE(config.error().message.find("no_such"), std::string::npos) << config.error().message;
}

}  // namespace
}  // namespace docket::testing
