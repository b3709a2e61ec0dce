// Real receivers on 127.0.0.1 for the notifications tests: an HTTP(S) server (Beast) that
// answers from a script of status codes, and an SMTP server (Asio) that speaks enough of RFC
// 5321 for a relay, with STARTTLS when given a certificate. Each runs on its own thread and
// io_context, on a port the kernel picks, until destroyed. Thread-safe accessors.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace docket::testing {

// A key and self-signed certificate for 127.0.0.1 and localhost, written as PEM files.
struct TlsFiles {
  std::filesystem::path certificate;
  std::filesystem::path key;
};
TlsFiles make_self_signed_certificate(const std::filesystem::path& folder);

struct HttpRequestSeen {
  std::string target;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  unsigned answered = 0;
};

class HttpReceiver {
 public:
  // Answers the statuses of `script` in order, then 200. With `tls`, speaks HTTPS.
  explicit HttpReceiver(std::deque<unsigned> script = {}, std::optional<TlsFiles> tls = std::nullopt);
  ~HttpReceiver();

  unsigned short port() const { return port_; }
  std::string url(const std::string& path = "/hooks/docket") const;
  std::vector<HttpRequestSeen> requests() const;
  // How many 2xx answers each Idempotency-Key got: a receiver's view of duplicates.
  std::map<std::string, int> accepted_by_key() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  unsigned short port_ = 0;
};

struct MailSeen {
  std::string from;
  std::vector<std::string> to;
  std::string data;  // the message as received, dot-stuffing undone, CRLF line ends
  bool over_tls = false;
};

class SmtpReceiver {
 public:
  // Offers STARTTLS when `tls` is given.
  explicit SmtpReceiver(std::optional<TlsFiles> tls = std::nullopt);
  ~SmtpReceiver();

  unsigned short port() const { return port_; }
  std::vector<MailSeen> messages() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  unsigned short port_ = 0;
};

// A port on 127.0.0.1 where nothing listens (bound, then closed).
unsigned short unused_port();

// RFC 2047 "=?UTF-8?B?...?=" words (and Q words) decoded, folding undone: what a mail reader shows.
std::string decode_header_value(const std::string& value);
// The value of header `name` (unfolded, as sent) in `message`; empty when absent.
std::string header_of(const std::string& message, const std::string& name);
// The body of `message`, base64-decoded when it says so.
std::string body_of(const std::string& message);
// The parts of a multipart `message`, each with its own headers and body (for header_of and
// body_of); empty when it is not multipart.
std::vector<std::string> parts_of(const std::string& message);

}  // namespace docket::testing
