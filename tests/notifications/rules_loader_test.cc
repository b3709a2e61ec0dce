// The rules file: what loads, and how each mistake is reported (JSON path and a message a
// person can act on). A file with an error gives no config at all.
#include <gtest/gtest.h>

#include <algorithm>

#include "loader/workflow_loader.h"
#include "notifications/config_loader.h"
#include "notifications/event_facts.h"
#include "notifications/message_template.h"
#include "store/workflow_registry.h"
#include "store_fixture.h"

namespace docket::testing {
namespace {

class RulesLoaderTest : public StoreTest {
 protected:
  LoadedNotifications parse(const std::string& json) {
    NotificationsLoadOptions options;
    options.catalog = &catalog_;
    options.environment = [](const std::string& name) -> std::optional<std::string> {
      if (name == "DOCKET_SMTP_PASSWORD" || name == "DOCKET_PORTAL_SECRET") return "from the environment";
      return std::nullopt;
    };
    return parse_notifications(json, options);
  }

  // The single error `json` gives; fails the test unless there is exactly one.
  Diagnostic only_error(const std::string& json) {
    const auto loaded = parse(json);
    EXPECT_FALSE(loaded.config.has_value());
    EXPECT_EQ(loaded.diagnostics.size(), 1u) << describe_diagnostics("rules", loaded.diagnostics);
    return loaded.diagnostics.empty() ? Diagnostic{} : loaded.diagnostics[0];
  }
};

// One log rule for case.opened around `rule_extra` and `template_text`.
std::string log_rules(const std::string& rule_extra, const std::string& template_text = "{case_number}: {title}",
                      const std::string& top_extra = "") {
  return R"({)" + top_extra +
         R"("rules": [{"events": ["case.opened"], "channel": "log", "recipients": [{"assignee": true}])" + rule_extra +
         R"(}], "templates": {"case.opened": {"vi": {"subject": "Hồ sơ mới", "text": ")" + template_text + R"("}}}})";
}

TEST_F(RulesLoaderTest, TheShippedExampleLoadsAgainstTheBuiltInWorkflows) {
  const auto loaded = load_notifications_file(
      std::filesystem::path(DOCKET_SOURCE_DIR) / "config/notifications.example.json",
      NotificationsLoadOptions{{}, &catalog_, [](const std::string&) { return std::string("x"); }, {}});
  ASSERT_TRUE(loaded.config.has_value()) << describe_diagnostics("example", loaded.diagnostics);
  EXPECT_EQ(loaded.config->rules.size(), 9u);
  EXPECT_EQ(loaded.config->webhooks.at("province-portal").secret, "x");
  EXPECT_EQ(loaded.config->email->starttls, StartTls::required);
  for (const auto& [type, languages] : loaded.config->templates) {
    EXPECT_EQ(languages.size(), 2u) << type << " should be in vi and en";
  }
}

TEST_F(RulesLoaderTest, AMinimalFileLoads) {
  const auto loaded = parse(log_rules(""));
  ASSERT_TRUE(loaded.config.has_value()) << describe_diagnostics("rules", loaded.diagnostics);
  EXPECT_EQ(loaded.config->rules[0].language, "vi");
  EXPECT_EQ(loaded.config->delivery.max_attempts, 5);
}

TEST_F(RulesLoaderTest, UnknownKeysAreNamedByPath) {
  const Diagnostic error = only_error(log_rules(R"(, "colour": "red")"));
  EXPECT_EQ(error.path, "$.rules[0].colour");
  EXPECT_NE(error.message.find("unknown key \"colour\""), std::string::npos) << error.message;
}

TEST_F(RulesLoaderTest, APlaceholderTheEventDoesNotHaveIsALoadError) {
  const Diagnostic error = only_error(log_rules("", "{case_number} phải xong trước {due}"));
  EXPECT_EQ(error.path, "$.templates[\"case.opened\"].vi.text");
  EXPECT_NE(error.message.find("placeholder {due} is not available for case.opened"), std::string::npos)
      << error.message;
}

TEST_F(RulesLoaderTest, LinkNeedsALinkBase) {
  EXPECT_NE(only_error(log_rules("", "Xem {link}")).message.find("needs $.link_base"), std::string::npos);
  EXPECT_TRUE(
      parse(log_rules("", "Xem {link}", R"("link_base": "https://docket.example.vn/cases/", )")).config.has_value());
}

TEST_F(RulesLoaderTest, AMalformedTemplateIsALoadError) {
  const Diagnostic error = only_error(log_rules("", "{case_number"));
  EXPECT_NE(error.message.find("never closed"), std::string::npos) << error.message;
}

TEST_F(RulesLoaderTest, ARuleNeedsATemplateInItsLanguage) {
  const Diagnostic error = only_error(log_rules(R"(, "language": "en")"));
  EXPECT_EQ(error.path, "$.rules[0].events[0]");
  EXPECT_NE(error.message.find("no template for case.opened in en"), std::string::npos) << error.message;
}

// One rule sending signed checkpoints around `rule_extra`, with its template.
std::string checkpoint_rules(const std::string& recipients, const std::string& rule_extra = "",
                             const std::string& text = "{unit_name}: {events} sự kiện, {cases} hồ sơ ({file})") {
  return R"({"channels": {"email": {"host": "127.0.0.1", "from": "tb@mttq.vn"}},
             "rules": [{"events": ["audit.checkpoint"], "channel": "email", "recipients": )" +
         recipients + rule_extra + R"(}],
             "templates": {"audit.checkpoint": {"vi": {"subject": "Kiểm chứng {at}", "text": ")" +
         text + R"("}}}})";
}

TEST_F(RulesLoaderTest, CheckpointsGoToAFixedAddressOfTheLevelAboveInARuleOfTheirOwn) {
  const auto loaded = parse(checkpoint_rules(R"([{"address": "kiemchung@mattran.org.vn"}])"));
  ASSERT_TRUE(loaded.config.has_value()) << describe_diagnostics("rules", loaded.diagnostics);

  const Diagnostic role = only_error(checkpoint_rules(R"([{"role": "standing_board"}])"));
  EXPECT_EQ(role.path, "$.rules[0].recipients[0]");
  EXPECT_NE(role.message.find("a checkpoint goes to the level above at a fixed address or endpoint"), std::string::npos)
      << role.message;
  const Diagnostic workflow = only_error(
      checkpoint_rules(R"([{"address": "kiemchung@mattran.org.vn"}])", R"(, "workflow": "social-critique")"));
  EXPECT_EQ(workflow.path, "$.rules[0].workflow");
  EXPECT_NE(workflow.message.find("a checkpoint has no workflow"), std::string::npos) << workflow.message;
  const Diagnostic case_field =
      only_error(checkpoint_rules(R"([{"address": "kiemchung@mattran.org.vn"}])", "", "{case_number}"));
  EXPECT_EQ(case_field.path, "$.templates[\"audit.checkpoint\"].vi.text");
  EXPECT_NE(case_field.message.find("placeholder {case_number} is not available for audit.checkpoint"),
            std::string::npos)
      << case_field.message;
}

TEST_F(RulesLoaderTest, ACheckpointRuleNamesNoCaseEvent) {
  const auto loaded = parse(R"({"rules": [{"events": ["audit.checkpoint", "case.opened"], "channel": "log",
      "recipients": [{"address": "central"}]}], "templates": {"audit.checkpoint": {"vi": {"subject": "s", "text": "t"}},
      "case.opened": {"vi": {"subject": "s", "text": "t"}}}})");
  ASSERT_FALSE(loaded.config.has_value());
  ASSERT_FALSE(loaded.diagnostics.empty());
  EXPECT_EQ(loaded.diagnostics[0].path, "$.rules[0].events");
  EXPECT_NE(loaded.diagnostics[0].message.find("give it a rule of its own"), std::string::npos)
      << loaded.diagnostics[0].message;
}

TEST_F(RulesLoaderTest, DeliveriesCannotBeNotifiedAbout) {
  const auto loaded =
      parse(R"({"rules": [{"events": ["notification.failed"], "channel": "log", "recipients": [{"assignee": true}]}],
                                "templates": {}})");
  ASSERT_FALSE(loaded.diagnostics.empty());
  EXPECT_EQ(loaded.diagnostics[0].path, "$.rules[0].events[0]");
  EXPECT_NE(loaded.diagnostics[0].message.find("deliveries are not notified about"), std::string::npos);
}

TEST_F(RulesLoaderTest, ChannelsAndRecipientsMustFit) {
  const Diagnostic channel =
      only_error(R"({"rules": [{"events": ["case.opened"], "channel": "email", "recipients": [{"assignee": true}]}],
                                         "templates": {"case.opened": {"vi": {"subject": "s", "text": "t"}}}})");
  EXPECT_EQ(channel.path, "$.rules[0].channel");
  EXPECT_NE(channel.message.find("unknown channel \"email\" (configured: log)"), std::string::npos) << channel.message;
  const std::string rules = log_rules("");
  const auto endpoint =
      parse(std::string(rules).replace(rules.find(R"({"assignee": true})"), 18, R"({"endpoint": "portal"})"));
  ASSERT_FALSE(endpoint.diagnostics.empty());
  const bool named = std::any_of(endpoint.diagnostics.begin(), endpoint.diagnostics.end(), [](const Diagnostic& d) {
    return d.path == "$.rules[0].recipients[0].endpoint" &&
           d.message.find("for the webhook channel") != std::string::npos;
  });
  EXPECT_TRUE(named) << describe_diagnostics("rules", endpoint.diagnostics);
}

TEST_F(RulesLoaderTest, RolesAndPartyFieldsMustExistInTheWorkflows) {
  const std::string rules = log_rules("");
  const std::string with_role =
      std::string(rules).replace(rules.find(R"({"assignee": true})"), 18, R"({"role": "chairman"})");
  const Diagnostic role = only_error(with_role);
  EXPECT_EQ(role.path, "$.rules[0].recipients[0].role");
  EXPECT_NE(role.message.find("no role \"chairman\""), std::string::npos) << role.message;
  const std::string with_party =
      std::string(rules).replace(rules.find(R"({"assignee": true})"), 18, R"({"party": "title"})");
  EXPECT_EQ(only_error(with_party).path, "$.rules[0].recipients[0].party");
}

TEST_F(RulesLoaderTest, AMissingSecretIsNamed) {
  const auto loaded =
      parse(R"({"channels": {"webhook": {"endpoints": {"portal": {"url": "https://x.vn/h", "secret_env": "NOT_SET"}}}},
                                "rules": [], "templates": {}})");
  ASSERT_FALSE(loaded.config.has_value());
  EXPECT_EQ(loaded.diagnostics[0].path, "$.channels.webhook.endpoints.portal.secret_env");
  EXPECT_NE(loaded.diagnostics[0].message.find("NOT_SET is not set"), std::string::npos);
}

TEST_F(RulesLoaderTest, MalformedJsonIsLocated) {
  const Diagnostic error = only_error("{\n  \"rules\": [,]\n}");
  EXPECT_NE(error.message.find("line 2"), std::string::npos) << error.message;
}

TEST(MessageTemplate, RendersPlaceholdersAndBraces) {
  EXPECT_EQ(render_template("{{ {case_number} }}", {{"case_number", "PB-2026-0001"}}), "{ PB-2026-0001 }");
  EXPECT_EQ(template_placeholders("{a} và {b_2}").value(), (std::vector<std::string>{"a", "b_2"}));
  EXPECT_FALSE(template_placeholders("{Case}").ok());
  EXPECT_FALSE(template_placeholders("a } b").ok());
}

TEST(EventFacts, EveryPlaceholderOfferedHasAValue) {
  WorkflowDefinition definition;
  definition.title = {"Phản biện xã hội", "Social critique"};
  Case after;
  after.number = "PB-2026-0001";
  const std::string language = "vi", link_base = "https://x.vn/";
  const FactContext context{after, definition, language, link_base};
  const Event reminder{DeadlineReminded{"received", "2026-06-29", 3}, *parse_datetime("2026-06-26T01:00:00Z"),
                       "system"};
  const auto values = placeholder_values(reminder, context);
  for (const auto& name : placeholders_for("deadline.reminder", true)) {
    ASSERT_TRUE(values.count(name)) << name;
    EXPECT_FALSE(values.at(name).empty()) << name;
  }
  EXPECT_EQ(values.at("due"), "29/06/2026");
  EXPECT_EQ(values.at("at"), "26/06/2026 08:00");
  EXPECT_EQ(values.at("assignee"), "(không có)");
}

// A reminder says what is left in the deadline's own unit, with singular and plural right.
TEST(EventFacts, TimeLeftIsWordedInTheDeadlinesUnit) {
  WorkflowDefinition definition;
  DeadlineSpec working;
  working.unit = DeadlineUnit::working_days;
  definition.stages = {{"received", {"Đã nhận", "Received"}, true, false, working},
                       {"awaiting_answer", {"Chờ trả lời", "Awaiting the answer"}, false, false, DeadlineSpec{}}};
  Case after;
  const auto time_left = [&](const std::string& stage, std::optional<int> left, const std::string& language) {
    const FactContext context{after, definition, language, ""};
    const Event reminder{DeadlineReminded{stage, "2026-06-29", 3, left, ""}, *parse_datetime("2026-06-26T01:00:00Z"),
                         "system"};
    return placeholder_values(reminder, context).at("time_left");
  };
  EXPECT_EQ(time_left("received", 3, "vi"), "còn 3 ngày làm việc");
  EXPECT_EQ(time_left("received", 1, "en"), "in 1 working day");
  EXPECT_EQ(time_left("awaiting_answer", 1, "en"), "in 1 day");
  EXPECT_EQ(time_left("awaiting_answer", 0, "vi"), "hôm nay");
  EXPECT_EQ(time_left("awaiting_answer", std::nullopt, "en"), "in 3 days") << "an old reminder: its rule's days";
}

}  // namespace
}  // namespace docket::testing
