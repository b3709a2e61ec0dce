// The example external channel plugin (plugins/examples/file_channel), loaded through the
// versioned C entry point, delivering through the dispatcher.
#include <fstream>

#include "notifications/external_channel.h"
#include "notifications_fixture.h"

namespace docket::testing {
namespace {

std::vector<std::string> lines_of(const std::filesystem::path& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class ExternalChannelTest : public NotificationsTest {
 protected:
  std::string rules() const {
    return fill(R"json({
      "channels": {"plugins": [{"path": "${PLUGIN}", "channel": "file", "config": {"path": "${SPOOL}"}}]},
      "rules": [{"events": ["comment.added"], "channel": "file", "recipients": [{"address": "luu-tru"}]}],
      "templates": {"comment.added": {"vi": {"subject": "Ý kiến về hồ sơ {case_number}", "text": "{comment}"}}}
    })json",
                {{"PLUGIN", DOCKET_FILE_CHANNEL_PLUGIN}, {"SPOOL", spool().string()}});
  }
  std::filesystem::path spool() const { return folder_ / "messages.tsv"; }
};

TEST_F(ExternalChannelTest, TheExamplePluginIsLoadedAndItsChannelDelivers) {
  use_rules(rules());
  const std::string number = open_critique().number;
  comment(number, "Đề nghị lấy thêm ý kiến hộ dân");
  const std::string key = std::to_string(newest_seq(number)) + ":file:luu-tru";

  EXPECT_EQ(dispatch().delivered, 1);
  EXPECT_EQ(lines_of(spool()), std::vector<std::string>{key + "\tluu-tru\tÝ kiến về hồ sơ " + number});
  EXPECT_EQ(events_of(number, "notification.delivered").size(), 1u);
  EXPECT_FALSE(outbox_->retry(outbox()[0].id, clock_.now()).ok()) << "delivered: nothing to retry";
}

TEST_F(ExternalChannelTest, ThePluginDropsARepeatByItsKey) {
  auto channel = ExternalChannel::load(DOCKET_FILE_CHANNEL_PLUGIN, "{\"path\": \"" + spool().string() + "\"}");
  ASSERT_TRUE(channel.ok()) << channel.error().message;
  EXPECT_EQ((*channel)->name(), "file");
  const Delivery delivery{"7:file:luu-tru", "luu-tru", NotificationMessage{}, 1, clock_.now()};
  EXPECT_EQ((*channel)->deliver(delivery).status, DeliveryStatus::delivered);
  EXPECT_EQ((*channel)->deliver(delivery).status, DeliveryStatus::delivered);
  EXPECT_EQ(lines_of(spool()).size(), 1u);
}

TEST_F(ExternalChannelTest, LoadErrorsNameThePluginAndTheReason) {
  const auto missing = ExternalChannel::load((folder_ / "no-such-plugin.so").string(), "{}");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_NE(missing.error().message.find("no-such-plugin.so"), std::string::npos) << missing.error().message;
  const auto unconfigured = ExternalChannel::load(DOCKET_FILE_CHANNEL_PLUGIN, "{}");
  ASSERT_FALSE(unconfigured.ok());
  EXPECT_NE(unconfigured.error().message.find("needs \"config\": {\"path\": FILE}"), std::string::npos)
      << unconfigured.error().message;
}

TEST_F(ExternalChannelTest, APluginMustProvideTheChannelTheFileNames) {
  std::string wrong = rules();
  wrong.replace(wrong.find("\"channel\": \"file\""), 17, "\"channel\": \"archive\"");
  wrong.replace(wrong.find("\"channel\": \"file\""), 17, "\"channel\": \"archive\"");
  auto loaded = parse_notifications(wrong, {});
  ASSERT_TRUE(loaded.config.has_value()) << describe_diagnostics("rules", loaded.diagnostics);
  const auto channels = make_channels(*loaded.config, logger_);
  ASSERT_FALSE(channels.ok());
  EXPECT_NE(channels.error().message.find("provides channel \"file\", not \"archive\""), std::string::npos)
      << channels.error().message;
}

}  // namespace
}  // namespace docket::testing
