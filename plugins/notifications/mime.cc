#include "notifications/mime.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstdio>

namespace docket {
namespace {

// Each encoded word holds at most 39 bytes: 52 base64 characters, 64 with its delimiters, so
// that "Subject: " and the first word stay within the 76 characters RFC 2047 allows a line.
constexpr std::size_t kMaxWordBytes = 39;
constexpr std::size_t kMaxLine = 76;
constexpr std::string_view kWordStart = "=?UTF-8?B?";
constexpr std::string_view kWordEnd = "?=";

std::string base64_block(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(std::max(written, 0)));
  return out;
}

bool is_plain_ascii(std::string_view text) {
  const bool printable = std::all_of(text.begin(), text.end(), [](unsigned char c) { return c >= 0x20 && c < 0x7F; });
  return printable && text.find("=?") == std::string_view::npos;
}

// The length of the UTF-8 sequence that starts with `lead`.
std::size_t sequence_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

std::string hex(const unsigned char* bytes, std::size_t size) {
  static const char* digits = "0123456789abcdef";
  std::string text;
  for (std::size_t i = 0; i < size; ++i) text += {digits[bytes[i] >> 4], digits[bytes[i] & 0xF]};
  return text;
}

std::string crlf_lines(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  return out;
}

}  // namespace

std::string base64_encode(std::string_view bytes) { return base64_block(bytes); }

std::string encode_header_text(std::string_view text) {
  if (is_plain_ascii(text)) return std::string(text);
  const std::size_t max_bytes = kMaxWordBytes;
  std::string encoded;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = start;
    while (end < text.size() && end + sequence_length(static_cast<unsigned char>(text[end])) - start <= max_bytes) {
      end += sequence_length(static_cast<unsigned char>(text[end]));
    }
    end = std::min(std::max(end, start + 1), text.size());
    if (!encoded.empty()) encoded += "\r\n ";
    encoded += std::string(kWordStart) + base64_block(text.substr(start, end - start)) + std::string(kWordEnd);
    start = end;
  }
  return encoded;
}

std::string format_mailbox(std::string_view name, std::string_view address) {
  const std::string angle = "<" + std::string(address) + ">";
  if (name.empty()) return angle;
  if (!is_plain_ascii(name)) {
    // Fold before the address when it would not fit after the name's last word and "From: ".
    const std::string words = encode_header_text(name);
    const auto last_line = words.rfind('\n');
    const std::size_t used = last_line == std::string::npos ? words.size() + std::string_view("From: ").size()
                                                            : words.size() - last_line - 1;
    return words + (used + 1 + angle.size() > kMaxLine ? "\r\n " : " ") + angle;
  }
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\" " + angle;
}

std::string base64_lines(std::string_view bytes) {
  const std::string encoded = base64_block(bytes);
  std::string lines;
  for (std::size_t i = 0; i < encoded.size(); i += 76) lines += encoded.substr(i, 76) + "\r\n";
  return lines;
}

std::string rfc5322_date(Timestamp at) {
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto local = at + kVietnamOffset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss clock{local - day};
  char text[64];
  std::snprintf(text, sizeof text, "%s, %02u %s %d %02d:%02d:%02d +0700", days[std::chrono::weekday{day}.c_encoding()],
                static_cast<unsigned>(date.day()), months[static_cast<unsigned>(date.month()) - 1],
                static_cast<int>(date.year()), static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()), static_cast<int>(clock.seconds().count()));
  return text;
}

std::string compose_email(const EmailContent& content) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(content.idempotency_key.data()), content.idempotency_key.size(),
         digest);
  std::string message;
  message += "From: " + format_mailbox(content.from_name, content.from_address) + "\r\n";
  message += "To: " + format_mailbox(content.to_name, content.to_address) + "\r\n";
  message += "Subject: " + encode_header_text(content.subject) + "\r\n";
  message += "Date: " + rfc5322_date(content.date) + "\r\n";
  message += "Message-ID: <docket." + hex(digest, 12) + "@" + content.domain + ">\r\n";
  message += "X-Docket-Idempotency-Key: " + content.idempotency_key + "\r\n";
  message += "Auto-Submitted: auto-generated\r\n";
  message += "MIME-Version: 1.0\r\n";
  const std::string text_part = "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
                                base64_lines(crlf_lines(content.text));
  if (content.attachment_name.empty()) return message + text_part;
  const std::string boundary = "docket-" + hex(digest, 16);  // base64 and headers never hold it
  message += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
  message += "--" + boundary + "\r\n" + text_part;
  message += "--" + boundary + "\r\n";
  message += "Content-Type: " + content.attachment_type + "; name=\"" + content.attachment_name + "\"\r\n";
  message += "Content-Disposition: attachment; filename=\"" + content.attachment_name + "\"\r\n";
  message += "Content-Transfer-Encoding: base64\r\n\r\n";
  message += base64_lines(content.attachment);
  message += "--" + boundary + "--\r\n";
  return message;
}

std::string dot_stuffed(std::string_view message) {
  std::string out;
  bool line_start = true;
  for (char c : message) {
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = c == '\n';
  }
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

}  // namespace docket
