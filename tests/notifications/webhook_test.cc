// The webhook channel against a real HTTP(S) receiver on loopback.
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <rapidjson/document.h>

#include "notifications_fixture.h"

namespace docket::testing {
namespace {

// HMAC-SHA256 computed here, apart from the channel's code, as a receiver would check it.
std::string expected_signature(const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), kPortalSecret, static_cast<int>(std::strlen(kPortalSecret)),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &size);
  char hex[3];
  std::string text = "sha256=";
  for (unsigned int i = 0; i < size; ++i) {
    std::snprintf(hex, sizeof hex, "%02x", digest[i]);
    text += hex;
  }
  return text;
}

class WebhookTest : public NotificationsTest {};

TEST_F(WebhookTest, DeliversEachMessageOnceWithAValidSignature) {
  HttpReceiver receiver;
  use_rules(standard_rules(receiver.url(), unused_port()));
  const Case opened = open_critique();
  const std::string key = std::to_string(newest_seq(opened.number)) + ":webhook:portal";

  const DispatchReport report = dispatch();
  EXPECT_EQ(report.delivered, 1);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  const HttpRequestSeen& request = requests[0];
  EXPECT_EQ(request.target, "/hooks/docket");
  EXPECT_EQ(request.headers.at("idempotency-key"), key);
  EXPECT_EQ(request.headers.at("x-docket-signature"), expected_signature(request.body));
  EXPECT_EQ(request.headers.at("content-type"), "application/json; charset=utf-8");
  rapidjson::Document body;
  body.Parse(request.body.c_str());
  ASSERT_TRUE(body.IsObject());
  EXPECT_EQ(std::string(body["idempotency_key"].GetString()), key);
  EXPECT_EQ(std::string(body["subject"].GetString()), "Hồ sơ mới " + opened.number);
  EXPECT_EQ(std::string(body["events"][0].GetString()), "case.opened");

  EXPECT_EQ(dispatch().delivered, 0);  // nothing is due any more
  EXPECT_EQ(receiver.requests().size(), 1u);
  const auto delivered = events_of(opened.number, "notification.delivered");
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_NE(delivered[0].payload_json.find(key), std::string::npos) << delivered[0].payload_json;
  ASSERT_EQ(outbox().size(), 1u);
  EXPECT_EQ(outbox()[0].status, OutboxStatus::delivered);
}

TEST_F(WebhookTest, ThirdAttemptDeliversAfterTwoServerErrorsWithoutDuplicates) {
  HttpReceiver receiver({500, 503});
  use_rules(standard_rules(receiver.url(), unused_port(), 5));
  const Case opened = open_critique();

  EXPECT_EQ(dispatch().retried, 1);
  EXPECT_EQ(dispatch().retried, 0) << "the retry waits for its backoff";
  EXPECT_EQ(outbox()[0].next_attempt_at, clock_.now() + std::chrono::seconds{45}) << "60 s, half of it jittered at 0.5";
  clock_.advance(std::chrono::seconds{45});
  EXPECT_EQ(dispatch().retried, 1);
  EXPECT_EQ(outbox()[0].next_attempt_at, clock_.now() + std::chrono::seconds{90}) << "the backoff doubles";
  clock_.advance(std::chrono::seconds{90});
  EXPECT_EQ(dispatch().delivered, 1);

  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const auto& request : requests)
    EXPECT_EQ(request.headers.at("idempotency-key"), requests[0].headers.at("idempotency-key"));
  EXPECT_EQ(receiver.accepted_by_key().size(), 1u);
  EXPECT_EQ(receiver.accepted_by_key().begin()->second, 1);
  const auto delivered = events_of(opened.number, "notification.delivered");
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_NE(delivered[0].payload_json.find("\"attempts\":3"), std::string::npos) << delivered[0].payload_json;
}

TEST_F(WebhookTest, DeadLettersAfterTheConfiguredAttemptsWhenTheReceiverIsDown) {
  use_rules(standard_rules("http://127.0.0.1:" + std::to_string(unused_port()) + "/hooks", unused_port(), 3));
  const Case opened = open_critique();

  EXPECT_EQ(dispatch().retried, 1);
  clock_.advance(std::chrono::hours{1});
  EXPECT_EQ(dispatch().retried, 1);
  clock_.advance(std::chrono::hours{1});
  EXPECT_EQ(dispatch().dead, 1);
  clock_.advance(std::chrono::hours{1});
  EXPECT_EQ(dispatch().retried + dispatch().dead, 0) << "a dead letter is not tried again by itself";

  const auto failed = outbox(true);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].status, OutboxStatus::dead);
  EXPECT_EQ(failed[0].attempts, 3);
  EXPECT_NE(failed[0].last_error.find("gave up after 3 attempts"), std::string::npos) << failed[0].last_error;
  const auto recorded = events_of(opened.number, "notification.failed");
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_NE(recorded[0].payload_json.find("refused"), std::string::npos) << recorded[0].payload_json;

  ASSERT_TRUE(outbox_->retry(failed[0].id, clock_.now()).ok());
  EXPECT_EQ(dispatch().retried, 1) << "retry puts it back, attempts reset";
  EXPECT_EQ(outbox()[0].attempts, 1);
}

TEST_F(WebhookTest, ClientErrorFailsAtOnce) {
  HttpReceiver receiver({404});
  use_rules(standard_rules(receiver.url(), unused_port(), 5));
  const Case opened = open_critique();

  EXPECT_EQ(dispatch().dead, 1);
  EXPECT_EQ(receiver.requests().size(), 1u);
  const auto recorded = events_of(opened.number, "notification.failed");
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_NE(recorded[0].payload_json.find("HTTP 404"), std::string::npos) << recorded[0].payload_json;
}

TEST_F(WebhookTest, TooManyRequestsIsRetried) {
  HttpReceiver receiver({429});
  use_rules(standard_rules(receiver.url(), unused_port(), 5));
  open_critique();
  EXPECT_EQ(dispatch().retried, 1);
  clock_.advance(std::chrono::hours{1});
  EXPECT_EQ(dispatch().delivered, 1);
}

TEST_F(WebhookTest, HttpsVerifiesTheReceiversCertificate) {
  const TlsFiles tls = make_self_signed_certificate(folder_);
  HttpReceiver receiver({}, tls);
  use_rules(standard_rules(receiver.url(), unused_port(), 3, "never", tls.certificate.string()));
  open_critique();
  EXPECT_EQ(dispatch().delivered, 1);
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(receiver.requests()[0].headers.at("x-docket-signature"), expected_signature(receiver.requests()[0].body));
}

TEST_F(WebhookTest, HttpsRefusesAnUntrustedCertificate) {
  const TlsFiles tls = make_self_signed_certificate(folder_);
  HttpReceiver receiver({}, tls);
  use_rules(standard_rules(receiver.url(), unused_port(), 3));  // no ca_file: the system's CAs only
  open_critique();
  EXPECT_EQ(dispatch().retried, 1);
  EXPECT_TRUE(receiver.requests().empty());
  EXPECT_NE(outbox()[0].last_error.find("certificate verify failed"), std::string::npos) << outbox()[0].last_error;
}

}  // namespace
}  // namespace docket::testing
