// The e-mail channel against a real SMTP receiver on loopback.
#include "notifications_fixture.h"

namespace docket::testing {
namespace {

class EmailTest : public NotificationsTest {
 protected:
  // The rules with the relay at `relay_port`; the webhook messages go to a live receiver.
  std::string rules(unsigned short relay_port, const std::string& starttls = "never", const std::string& ca_file = "") {
    return standard_rules(portal_.url(), relay_port, 3, starttls, ca_file);
  }

  OutboxEntry email_entry() {
    for (const auto& entry : outbox()) {
      if (entry.channel == "email") return entry;
    }
    ADD_FAILURE() << "no e-mail in the outbox";
    return {};
  }

  // Delivers what opening the case sent, then moves the clock to the case's first reminder
  // and fires it.
  void fire_first_reminder(const std::string& number) {
    ASSERT_EQ(dispatch().delivered, 1);
    const auto timers = store_->pending_timers(number).value();
    ASSERT_FALSE(timers.empty());
    ASSERT_EQ(timers[0].kind, "reminder");
    clock_.set(timers[0].due_at);
    ASSERT_EQ(store_->fire_due_timers().value(), 1);
  }

  HttpReceiver portal_;
};

TEST_F(EmailTest, VietnameseSubjectAndNamesArriveIntact) {
  SmtpReceiver relay;
  use_rules(rules(relay.port()));
  const Case opened = open_critique();
  ASSERT_EQ(opened.number, "PB-2026-0001");
  fire_first_reminder(opened.number);
  const std::string key = std::to_string(newest_seq(opened.number)) + ":email:binh.tv@mttq-giavien.vn";

  dispatch();
  const auto mail = relay.messages();
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].from, "thongbao@mttq-ninhbinh.vn");
  EXPECT_EQ(mail[0].to, std::vector<std::string>{"binh.tv@mttq-giavien.vn"});
  const std::string& data = mail[0].data;
  EXPECT_EQ(decode_header_value(header_of(data, "Subject")), "Hồ sơ PB-2026-0001 sắp đến hạn");
  EXPECT_EQ(decode_header_value(header_of(data, "From")),
            "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình <thongbao@mttq-ninhbinh.vn>");
  EXPECT_EQ(decode_header_value(header_of(data, "To")), "Trần Văn Bình <binh.tv@mttq-giavien.vn>");
  EXPECT_EQ(header_of(data, "X-Docket-Idempotency-Key"), key);
  EXPECT_FALSE(header_of(data, "Message-ID").empty());
  const std::string body = body_of(data);
  EXPECT_NE(body.find("Dự thảo Nghị quyết hỗ trợ hộ nghèo"), std::string::npos) << body;
  EXPECT_NE(body.find("trước ngày 29/06/2026, còn 10 ngày"), std::string::npos) << body;
  EXPECT_NE(body.find("https://docket.mttq-ninhbinh.vn/cases/PB-2026-0001"), std::string::npos) << body;
  for (std::size_t line = 0, next; line < data.size(); line = next + 2) {
    next = data.find("\r\n", line);
    if (next == std::string::npos) break;
    EXPECT_LE(next - line, 76u) << "line too long for RFC 2047: " << data.substr(line, next - line);
  }
  const auto delivered = events_of(opened.number, "notification.delivered");
  ASSERT_EQ(delivered.size(), 2u) << "the opening's webhook, then this e-mail";
  EXPECT_NE(delivered[1].payload_json.find(key), std::string::npos) << delivered[1].payload_json;
}

TEST_F(EmailTest, UpgradesWithStartTlsWhenTheRelayOffersIt) {
  const TlsFiles tls = make_self_signed_certificate(folder_);
  SmtpReceiver relay(tls);
  use_rules(rules(relay.port(), "when_offered", tls.certificate.string()));
  const Case opened = open_critique();
  fire_first_reminder(opened.number);

  EXPECT_EQ(dispatch().delivered, 1);
  const auto mail = relay.messages();
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_TRUE(mail[0].over_tls);
  EXPECT_EQ(decode_header_value(header_of(mail[0].data, "Subject")), "Hồ sơ PB-2026-0001 sắp đến hạn");
}

TEST_F(EmailTest, RequiredStartTlsIsNotSkipped) {
  SmtpReceiver relay;  // offers no STARTTLS
  use_rules(rules(relay.port(), "required"));
  const Case opened = open_critique();
  fire_first_reminder(opened.number);

  EXPECT_EQ(dispatch().retried, 1);
  EXPECT_TRUE(relay.messages().empty());
  EXPECT_NE(email_entry().last_error.find("STARTTLS"), std::string::npos) << email_entry().last_error;
}

TEST_F(EmailTest, AUserWithoutAnAddressFailsVisibly) {
  SmtpReceiver relay;
  use_rules(rules(relay.port()));
  ASSERT_TRUE(directory_->set_email("can-bo", "").ok());
  const Case opened = open_critique();
  fire_first_reminder(opened.number);

  EXPECT_EQ(dispatch().dead, 1);
  EXPECT_TRUE(relay.messages().empty());
  const auto failed = events_of(opened.number, "notification.failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_NE(failed[0].payload_json.find("user can-bo has no e-mail address"), std::string::npos)
      << failed[0].payload_json;
}

}  // namespace
}  // namespace docket::testing
