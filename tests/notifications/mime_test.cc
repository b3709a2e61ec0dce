// The e-mail message format: encoded words a mail reader decodes back to the Vietnamese text,
// within the line limits of RFC 2047 and RFC 5322.
#include "notifications/mime.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "loopback_receivers.h"

namespace docket::testing {
namespace {

TEST(Mime, AsciiHeaderTextStaysReadable) {
  EXPECT_EQ(encode_header_text("Case PB-2026-0001 is due soon"), "Case PB-2026-0001 is due soon");
  EXPECT_EQ(format_mailbox("Docket", "a@b.vn"), "\"Docket\" <a@b.vn>");
  EXPECT_EQ(format_mailbox("", "a@b.vn"), "<a@b.vn>");
}

TEST(Mime, VietnameseHeaderTextRoundTripsInShortWords) {
  const std::string subject =
      "Hồ sơ PB-2026-0001 sắp đến hạn: Dự thảo Nghị quyết về hỗ trợ hộ nghèo, hộ cận nghèo giai đoạn 2026–2030";
  const std::string encoded = encode_header_text(subject);
  EXPECT_EQ(decode_header_value(encoded), subject);
  std::size_t start = 0;
  while (start < encoded.size()) {
    const auto end = encoded.find("\r\n ", start);
    const std::string word = encoded.substr(start, end == std::string::npos ? std::string::npos : end - start);
    EXPECT_LE(word.size() + std::string("Subject: ").size(), 76u) << word;
    EXPECT_EQ(word.rfind("=?UTF-8?B?", 0), 0u) << word;
    if (end == std::string::npos) break;
    start = end + 3;
  }
}

TEST(Mime, TheMessageCarriesTheKeyAndAStableMessageId) {
  EmailContent content{"Ủy ban MTTQ",           "tb@mttq.vn",        "Trần Văn Bình",
                       "binh@mttq.vn",          "Hồ sơ sắp đến hạn", "Dòng một\nDòng hai",
                       "12:email:binh@mttq.vn", "docket.mttq.vn",    *parse_datetime("2026-03-02T02:00:00Z")};
  const std::string first = compose_email(content);
  content.date += std::chrono::hours{1};
  const std::string again = compose_email(content);
  EXPECT_EQ(header_of(first, "Message-ID"), header_of(again, "Message-ID"));
  EXPECT_EQ(header_of(first, "X-Docket-Idempotency-Key"), "12:email:binh@mttq.vn");
  EXPECT_EQ(header_of(first, "Date"), "Mon, 02 Mar 2026 09:00:00 +0700");
  EXPECT_EQ(body_of(first), "Dòng một\r\nDòng hai");
}

TEST(Mime, AnAttachmentTravelsAsAFileOfItsOwnBesideTheText) {
  EmailContent content{"Ủy ban MTTQ tỉnh Ninh Bình",
                       "tb@mttq.vn",
                       "",
                       "kiemchung@mattran.org.vn",
                       "Điểm kiểm chứng nhật ký",
                       "Tệp đính kèm là điểm kiểm chứng.",
                       "checkpoint-20261207T015000Z-42:email:kiemchung@mattran.org.vn",
                       "docket.mttq.vn",
                       *parse_datetime("2026-12-07T01:50:00Z")};
  content.attachment_name = "checkpoint-20261207T015000Z-42.json";
  content.attachment = R"({"unit":"ninh-binh","note":"Ninh Bình"})";
  content.attachment_type = "application/json";
  const std::string message = compose_email(content);
  EXPECT_EQ(header_of(message, "Content-Type").rfind("multipart/mixed; boundary=\"", 0), 0u) << message;
  const std::vector<std::string> parts = parts_of(message);
  ASSERT_EQ(parts.size(), 2u) << message;
  EXPECT_EQ(header_of(parts[0], "Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(body_of(parts[0]), "Tệp đính kèm là điểm kiểm chứng.");
  EXPECT_EQ(header_of(parts[1], "Content-Disposition"), "attachment; filename=\"checkpoint-20261207T015000Z-42.json\"");
  EXPECT_EQ(body_of(parts[1]), content.attachment);

  content.attachment_name.clear();  // without one, the message stays a single text part
  EXPECT_EQ(header_of(compose_email(content), "Content-Type"), "text/plain; charset=UTF-8");
}

TEST(Mime, DotStuffing) {
  EXPECT_EQ(dot_stuffed(".a\r\nb\r\n.\r\n"), "..a\r\nb\r\n..\r\n");
  EXPECT_EQ(dot_stuffed("x"), "x\r\n");
}

}  // namespace
}  // namespace docket::testing
