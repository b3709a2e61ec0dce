// `docket --notifications FILE ...` and `docket outbox list|retry|dispatch`, run through the
// CLI's own command tree (cli::run) against the fixture's database file and a real HTTP
// receiver.
#include <rapidjson/document.h>

#include <fstream>
#include <sstream>

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

// Signed checkpoints (store/checkpoint.h) sent to the level above through the outbox.
class CheckpointDeliveryTest : public OutboxCliTest {
 protected:
  void SetUp() override {
    OutboxCliTest::SetUp();
    ASSERT_EQ(docket({"audit", "keygen", "--out", (folder_ / "keys").string(), "--name", "ninh-binh"}), 0)
        << err_.str();
  }

  // Rules sending each checkpoint on `channel` to `recipient` (JSON), with `channels` configured.
  std::string write_checkpoint_rules(const std::string& channels, const std::string& channel,
                                     const std::string& recipient) {
    const std::string rules = R"({"channels": )" + channels + R"(,
      "rules": [{"events": ["audit.checkpoint"], "channel": ")" +
                              channel + R"(", "recipients": [)" + recipient + R"(]}],
      "templates": {"audit.checkpoint": {"vi": {"subject": "Điểm kiểm chứng của {unit_name}",
        "text": "{events} sự kiện, {cases} hồ sơ, đến sự kiện {log_seq}: tệp {file}"}}}})";
    const auto path = folder_ / "checkpoint-rules.json";
    std::ofstream(path) << rules;
    use_rules(rules);
    return path.string();
  }

  int checkpoint(const std::string& rules) {
    return docket({"--notifications", rules, "audit", "checkpoint", "--key", (folder_ / "keys/ninh-binh.key").string(),
                   "--out", (folder_ / "checkpoints").string(), "--unit", "ninh-binh", "--format", "json"});
  }

  // The one checkpoint file written.
  std::filesystem::path written() {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder_ / "checkpoints"))
      files.push_back(entry.path());
    EXPECT_EQ(files.size(), 1u);
    return files.empty() ? std::filesystem::path() : files.front();
  }
};

TEST_F(CheckpointDeliveryTest, TheLevelAboveReceivesTheSignedCheckpointAndCanCheckTheLogAgainstIt) {
  HttpReceiver central;
  const std::string rules = write_checkpoint_rules(
      R"({"webhook": {"endpoints": {"trung-uong": {"url": ")" + central.url() + R"(", "secret": "s3cret"}}}})",
      "webhook", R"({"endpoint": "trung-uong"})");
  comment(open_critique().number, "Ý kiến trước khi kiểm chứng");

  ASSERT_EQ(checkpoint(rules), 0) << err_.str();
  EXPECT_NE(out_.str().find("\"queued\":\"1\""), std::string::npos) << out_.str();
  const std::string file = read_text(written());
  const std::string name = written().filename().string();
  ASSERT_EQ(outbox().size(), 1u);
  EXPECT_EQ(outbox()[0].status, OutboxStatus::pending);
  EXPECT_EQ(outbox()[0].idempotency_key(), written().stem().string() + ":webhook:trung-uong");

  ASSERT_EQ(docket({"--notifications", rules, "outbox", "dispatch"}), 0) << err_.str();
  ASSERT_EQ(central.requests().size(), 1u);
  rapidjson::Document sent;
  sent.Parse(central.requests()[0].body.c_str());
  ASSERT_TRUE(sent.IsObject()) << central.requests()[0].body;
  EXPECT_EQ(std::string(sent["subject"].GetString()), "Điểm kiểm chứng của Ủy ban MTTQ Việt Nam tỉnh Ninh Bình");
  EXPECT_EQ(std::string(sent["events"][0].GetString()), "audit.checkpoint");
  ASSERT_TRUE(sent.HasMember("attachment")) << central.requests()[0].body;
  EXPECT_EQ(std::string(sent["attachment"]["name"].GetString()), name);
  const std::string received = sent["attachment"]["text"].GetString();
  EXPECT_EQ(received, file);
  EXPECT_EQ(outbox()[0].status, OutboxStatus::delivered);

  // What the level above keeps is enough to check this committee's log against.
  std::filesystem::create_directories(folder_ / "kept");
  std::ofstream(folder_ / "kept" / name) << received;
  const std::string pub = (folder_ / "keys/ninh-binh.pub").string();
  EXPECT_EQ(docket({"audit", "verify", "--checkpoints", (folder_ / "kept").string(), "--public-key", pub}), 0)
      << err_.str();
  EXPECT_NE(out_.str().find("1 checkpoints verified"), std::string::npos) << out_.str();
  // No case's history tells of the checkpoint's delivery.
  ASSERT_EQ(docket({"audit", "verify"}), 0) << err_.str();
  EXPECT_EQ(db_->sql().execAndGet("SELECT COUNT(*) FROM events WHERE type LIKE 'notification.%'").getInt(), 0);
}

TEST_F(CheckpointDeliveryTest, ByEMailTheCheckpointIsAnAttachment) {
  SmtpReceiver relay;
  const std::string rules =
      write_checkpoint_rules(R"({"email": {"host": "127.0.0.1", "port": )" + std::to_string(relay.port()) +
                                 R"(, "from": "tb@mttq-ninhbinh.vn", "starttls": "never"}})",
                             "email", R"({"address": "kiemchung@mattran.org.vn"})");
  ASSERT_EQ(checkpoint(rules), 0) << err_.str();
  ASSERT_EQ(docket({"--notifications", rules, "outbox", "dispatch"}), 0) << err_.str();
  ASSERT_EQ(relay.messages().size(), 1u);
  const std::string mail = relay.messages()[0].data;
  EXPECT_EQ(relay.messages()[0].to, std::vector<std::string>{"kiemchung@mattran.org.vn"});
  const std::vector<std::string> parts = parts_of(mail);
  ASSERT_EQ(parts.size(), 2u) << mail;
  EXPECT_NE(body_of(parts[0]).find("tệp " + written().filename().string()), std::string::npos) << body_of(parts[0]);
  EXPECT_EQ(header_of(parts[1], "Content-Disposition"),
            "attachment; filename=\"" + written().filename().string() + "\"");
  EXPECT_EQ(body_of(parts[1]), read_text(written()));
}

TEST_F(CheckpointDeliveryTest, WithoutACheckpointRuleNothingIsQueued) {
  HttpReceiver portal;
  ASSERT_EQ(checkpoint(write_rules(portal.url(), 3)), 0) << err_.str();
  EXPECT_NE(out_.str().find("\"queued\":\"0\""), std::string::npos) << out_.str();
  EXPECT_TRUE(outbox().empty());
  EXPECT_EQ(written().extension(), ".json");
}

TEST_F(CheckpointDeliveryTest, AFileFromBeforeCaseLessMessagesKeepsItsQueueThroughTheMigration) {
  HttpReceiver portal;
  const std::string rules = write_rules(portal.url(), 3);
  const std::string number = open_critique().number;
  ASSERT_EQ(docket({"--notifications", rules, "--as", "can-bo", "case", "comment", number, "Trước khi nâng cấp"}), 0)
      << err_.str();
  const std::string key = outbox().at(0).idempotency_key();
  // The outbox as schema version 12 had it: every message about an event.
  db_->sql().exec(R"sql(
    CREATE TABLE outbox_12 (id INTEGER PRIMARY KEY, event_seq INTEGER NOT NULL REFERENCES events(seq),
      channel TEXT NOT NULL, recipient TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',
      attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT NOT NULL, last_error TEXT NOT NULL DEFAULT '',
      last_attempt_at TEXT, delivered_at TEXT, UNIQUE (event_seq, channel, recipient));
    INSERT INTO outbox_12 SELECT id, event_seq, channel, recipient, body, status, attempts, next_attempt_at,
      last_error, last_attempt_at, delivered_at FROM outbox;
    DROP TABLE outbox; ALTER TABLE outbox_12 RENAME TO outbox;
    CREATE INDEX outbox_pending ON outbox(status, next_attempt_at);
    PRAGMA user_version = 12;)sql");

  HttpReceiver central;
  const std::string checkpoint_rules = write_checkpoint_rules(
      R"({"webhook": {"endpoints": {"trung-uong": {"url": ")" + central.url() + R"(", "secret": "s3cret"}}}})",
      "webhook", R"({"endpoint": "trung-uong"})");
  EXPECT_EQ(checkpoint(checkpoint_rules), cli::kExitRefused);
  EXPECT_NE(err_.str().find("docket: needs_migration: "), std::string::npos) << err_.str();
  ASSERT_EQ(docket({"migrate"}), 0) << err_.str();
  EXPECT_EQ(db_->sql().execAndGet("PRAGMA user_version").getInt(), schema_version());
  ASSERT_EQ(checkpoint(checkpoint_rules), 0) << err_.str();
  ASSERT_EQ(outbox().size(), 2u);
  EXPECT_EQ(outbox()[0].idempotency_key(), key);
  EXPECT_EQ(outbox()[0].case_number, number);
  EXPECT_EQ(outbox()[1].case_number, "");

  db_->sql().exec("PRAGMA user_version = 12");  // the step runs again on a file that has it
  for (const auto& entry : std::filesystem::directory_iterator(folder_)) {
    if (entry.path().extension() == ".bak") std::filesystem::remove(entry.path());  // made in this same second
  }
  ASSERT_EQ(docket({"migrate"}), 0) << err_.str();
  EXPECT_EQ(outbox().size(), 2u);
  ASSERT_EQ(docket({"--notifications", rules, "outbox", "dispatch"}), 0) << err_.str();
  EXPECT_EQ(portal.requests().size(), 1u);
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
