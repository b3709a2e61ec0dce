// Building an Internet message (RFC 5322) for the e-mail channel: UTF-8 display names and
// subjects as RFC 2047 encoded words, so Vietnamese text arrives intact through any relay, and
// a UTF-8 text body in base64. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/time.h"

namespace docket {

// `text` as is when it is printable ASCII without "=?"; otherwise as "=?UTF-8?B?...?=" words
// of at most 64 characters, never splitting a UTF-8 character, folded with CRLF SP: every line
// stays within RFC 2047's 76 characters, the first one after a header name such as "Subject: ".
std::string encode_header_text(std::string_view text);

// "Name <address>", the name encoded (or quoted when it is ASCII); "<address>" without a name.
// Folds before the address when the line would pass 76 characters.
std::string format_mailbox(std::string_view name, std::string_view address);

// Plain base64 (one line).
std::string base64_encode(std::string_view bytes);

// RFC 2045 base64 in lines of 76 characters, each ended by CRLF.
std::string base64_lines(std::string_view bytes);

// The date as a Date header wants it, in Vietnam time: "Mon, 02 Mar 2026 09:00:00 +0700".
std::string rfc5322_date(Timestamp at);

struct EmailContent {
  std::string from_name, from_address;
  std::string to_name, to_address;
  std::string subject;  // UTF-8, one line
  std::string text;     // UTF-8; LF or CRLF line ends
  std::string idempotency_key;
  std::string domain;  // right side of the Message-ID
  Timestamp date{};
  std::string attachment_name{};  // ASCII file name; empty: no attachment
  std::string attachment{};       // its bytes
  std::string attachment_type = "application/octet-stream";
};

// The whole message, CRLF line ends, ready for DATA (before dot-stuffing). Carries
// "Message-ID: <docket.<hash of the key>@domain>" and "X-Docket-Idempotency-Key: <key>", the same
// for every attempt, so a receiver can drop repeats. With an attachment it is multipart/mixed:
// the text, then the file in base64.
std::string compose_email(const EmailContent& content);

// Lines starting with '.' get another '.' (RFC 5321 4.5.2); ends with CRLF.
std::string dot_stuffed(std::string_view message);

}  // namespace docket
