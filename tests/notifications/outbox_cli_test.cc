// `docket --notifications FILE ...` and `docket outbox list|retry|dispatch`, run through the
// CLI's own command tree (cli::run) against the fixture's database file and a real HTTP
// receiver.
#include <fstream>

#include "app.h"
#include "notifications_fixture.h"

namespace docket::testing {
namespace {

class OutboxCliTest : public NotificationsTest {
 protected:
  void SetUp() override {
    NotificationsTest::SetUp();
    clock_.set(SystemClock().now() - std::chrono::minutes{1});  // the CLI dispatches by the real clock
  }

  // Writes a rules file sending comments to a webhook at `url`, tried at most `attempts` times.
  std::string write_rules(const std::string& url, int attempts) {
    const std::string rules = fill(R"json({
      "delivery": {"max_attempts": ${ATTEMPTS}},
      "channels": {"webhook": {"endpoints": {"portal": {"url": "${URL}", "secret": "s3cret", "connect_timeout_ms": 2000}}}},
      "rules": [{"events": ["comment.added"], "channel": "webhook", "recipients": [{"endpoint": "portal"}]}],
      "templates": {"comment.added": {"vi": {"subject": "Ý kiến về {case_number}", "text": "{comment}"}}}
    })json",
                                   {{"URL", url}, {"ATTEMPTS", std::to_string(attempts)}});
    const auto path = folder_ / "notifications.json";
    std::ofstream(path) << rules;
    use_rules(rules);
    return path.string();
  }

  // Runs `docket --db <the fixture's file> ARGS...`; returns the exit code.
  int docket(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    args.insert(args.begin(), {"docket", "--db", (folder_ / "docket.db").string()});
    std::vector<const char*> argv;
    for (const auto& arg : args) argv.push_back(arg.c_str());
    return cli::run(static_cast<int>(argv.size()), argv.data(), out_, err_);
  }

  std::ostringstream out_, err_;
};

TEST_F(OutboxCliTest, ListDispatchAndListAgain) {
  HttpReceiver receiver;
  const std::string rules = write_rules(receiver.url(), 3);
  const std::string number = open_critique().number;
  comment(number, "Đề nghị họp");

  ASSERT_EQ(docket({"outbox", "list", "--format", "csv"}), 0) << err_.str();
  EXPECT_NE(out_.str().find("pending"), std::string::npos) << out_.str();
  ASSERT_EQ(docket({"--notifications", rules, "outbox", "dispatch"}), 0) << err_.str();
  EXPECT_NE(out_.str().find("delivered  1"), std::string::npos) << out_.str();
  EXPECT_EQ(receiver.requests().size(), 1u);
  ASSERT_EQ(docket({"outbox", "list"}), 0);
  EXPECT_NE(out_.str().find("delivered"), std::string::npos) << out_.str();
  ASSERT_EQ(docket({"outbox", "list", "--failed"}), 0);
  EXPECT_EQ(out_.str().find("webhook"), std::string::npos) << out_.str();
}

TEST_F(OutboxCliTest, ADeadLetterIsListedAndRetried) {
  const std::string rules = write_rules("http://127.0.0.1:" + std::to_string(unused_port()) + "/down", 1);
  comment(open_critique().number, "Không ai nghe");

  ASSERT_EQ(docket({"--notifications", rules, "outbox", "dispatch"}), 0) << err_.str();
  EXPECT_NE(out_.str().find("dead       1"), std::string::npos) << out_.str();
  ASSERT_EQ(docket({"outbox", "list", "--failed", "--format", "json"}), 0);
  EXPECT_NE(out_.str().find("\"status\":\"dead\""), std::string::npos) << out_.str();
  const std::string id = std::to_string(outbox(true).at(0).id);
  ASSERT_EQ(docket({"outbox", "retry", id}), 0) << err_.str();
  EXPECT_NE(out_.str().find("pending"), std::string::npos) << out_.str();
  EXPECT_EQ(docket({"outbox", "retry", "999"}), cli::kExitRefused);
  EXPECT_NE(err_.str().find("docket: not_found: no outbox message 999"), std::string::npos) << err_.str();
}

TEST_F(OutboxCliTest, ABadRulesFileIsReportedWithPaths) {
  const auto path = folder_ / "bad.json";
  std::ofstream(path)
      << R"({"rules": [{"events": ["case.opened"], "channel": "fax", "recipients": []}], "templates": {}})";
  EXPECT_EQ(docket({"--notifications", path.string(), "outbox", "dispatch"}), cli::kExitRefused);
  EXPECT_NE(err_.str().find("$.rules[0].channel: unknown channel \"fax\""), std::string::npos) << err_.str();
  EXPECT_EQ(docket({"outbox", "dispatch"}), cli::kExitRefused);
  EXPECT_NE(err_.str().find("--notifications FILE"), std::string::npos) << err_.str();
}

TEST_F(OutboxCliTest, AChangeMadeWithRulesQueuesItsMessageInTheSameCommand) {
  HttpReceiver receiver;
  const std::string rules = write_rules(receiver.url(), 3);
  const std::string number = open_critique().number;

  ASSERT_EQ(docket({"--as", "can-bo", "case", "comment", number, "Xin ý kiến đợt 2"}), 0) << err_.str();
  EXPECT_TRUE(outbox().empty()) << "without --notifications a change queues nothing";
  ASSERT_EQ(docket({"--notifications", rules, "--as", "can-bo", "case", "comment", number, "Đề nghị bổ sung"}), 0)
      << err_.str();
  ASSERT_EQ(outbox().size(), 1u);
  EXPECT_EQ(outbox()[0].status, OutboxStatus::pending);

  ASSERT_EQ(docket({"--notifications", rules, "outbox", "dispatch"}), 0) << err_.str();
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_NE(receiver.requests()[0].body.find("Đề nghị bổ sung"), std::string::npos) << receiver.requests()[0].body;
  ASSERT_EQ(docket({"--as", "can-bo", "case", "history", number, "--format", "csv"}), 0) << err_.str();
  EXPECT_NE(out_.str().find("notification.delivered"), std::string::npos) << out_.str();
}

TEST_F(OutboxCliTest, ABadRulesFileRefusesTheChangeAndStoresNothing) {
  const std::string number = open_critique().number;
  const auto path = folder_ / "bad.json";
  std::ofstream(path) << R"({"rules": [{"events": ["comment.added"], "channel": "webhook", "recipients": []}]})";
  EXPECT_EQ(docket({"--notifications", path.string(), "--as", "can-bo", "case", "comment", number, "Mất?"}),
            cli::kExitRefused);
  EXPECT_NE(err_.str().find("bad.json"), std::string::npos) << err_.str();
  ASSERT_EQ(docket({"--as", "can-bo", "case", "history", number, "--format", "csv"}), 0) << err_.str();
  EXPECT_EQ(out_.str().find("comment.added"), std::string::npos) << "refused before anything was written";
}

TEST_F(OutboxCliTest, UserAddStoresTheEmailWithTheRoles) {
  ASSERT_EQ(docket({"user", "add", "hoa", "--name", "Phạm Thị Hoa", "--unit", "gia-vien", "--role", "officer",
                    "--email", "hoa@giavien.vn", "--format", "csv"}),
            0)
      << err_.str();
  EXPECT_EQ(directory_->email("hoa").value(), "hoa@giavien.vn");
  EXPECT_EQ(docket({"user", "add", "tuan", "--name", "Lê Tuấn", "--unit", "gia-vien", "--role", "officer", "--email",
                    "not an address"}),
            cli::kExitRefused);
  EXPECT_NE(err_.str().find("not an e-mail address"), std::string::npos) << err_.str();
  EXPECT_FALSE(directory_->user("tuan").ok()) << "the user is not stored without a valid address";
}

}  // namespace
}  // namespace docket::testing
