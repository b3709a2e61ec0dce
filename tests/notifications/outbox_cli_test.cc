// `docket outbox list|retry|dispatch`, run through CLI11 with the outbox commands registered as
// app.cc registers them, against the fixture's database file and a real HTTP receiver.
#include <CLI/CLI.hpp>

#include <fstream>

#include "app.h"
#include "notifications_fixture.h"

namespace docket::cli {
void add_outbox_commands(CLI::App& app, Context& context);
}

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

  // Runs `docket ARGS...` (outbox commands only); returns the exit code.
  int docket(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    cli::Context context{out_, err_, DOCKET_WORKFLOWS_DIR};
    context.database_path = (folder_ / "docket.db").string();
    CLI::App app{"docket"};
    app.require_subcommand(1);
    app.fallthrough();
    app.add_option("--format", "as app.cc's global option")->each([&context](const std::string& name) {
      context.format = cli::output_format_from_string(name).value_or(cli::OutputFormat::table);
    });
    cli::add_outbox_commands(app, context);
    args.insert(args.begin(), "docket");
    std::vector<const char*> argv;
    for (const auto& arg : args) argv.push_back(arg.c_str());
    try {
      app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& problem) {
      return app.exit(problem, out_, err_);
    }
    return context.exit_code;
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
  ASSERT_EQ(docket({"outbox", "dispatch", "--rules", rules}), 0) << err_.str();
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

  ASSERT_EQ(docket({"outbox", "dispatch", "--rules", rules}), 0) << err_.str();
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
  EXPECT_EQ(docket({"outbox", "dispatch", "--rules", path.string()}), cli::kExitRefused);
  EXPECT_NE(err_.str().find("$.rules[0].channel: unknown channel \"fax\""), std::string::npos) << err_.str();
  EXPECT_EQ(docket({"outbox", "dispatch"}), cli::kExitRefused);
  EXPECT_NE(err_.str().find("--rules FILE"), std::string::npos) << err_.str();
}

}  // namespace
}  // namespace docket::testing
