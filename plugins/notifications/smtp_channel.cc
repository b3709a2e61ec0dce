#include "notifications/smtp_channel.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <vector>

#include "core/text.h"
#include "notifications/mime.h"
#include "notifications/tls_support.h"

namespace docket {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr std::size_t kMaxLine = 4096;  // RFC 5321 allows 512; be generous, not unbounded
constexpr int kMaxReplyLines = 100;

struct Reply {
  int code = 0;
  std::vector<std::string> lines;  // text after the code

  std::string text() const { return std::to_string(code) + " " + (lines.empty() ? "" : lines.back()); }
  bool offers(std::string_view extension) const {
    for (const auto& line : lines) {
      if (line.size() >= extension.size() && line.compare(0, extension.size(), extension) == 0) return true;
    }
    return false;
  }
};

// One SMTP session on `stream`: plain text on its TCP layer until start_tls(), TLS after.
class SmtpConversation {
 public:
  SmtpConversation(TlsStream& stream, std::chrono::milliseconds timeout) : stream_(stream), timeout_(timeout) {}

  bool secure() const { return tls_; }

  net::awaitable<Reply> read_reply() {
    Reply reply;
    for (int count = 0; count < kMaxReplyLines; ++count) {
      const std::string line = co_await read_line();
      if (line.size() < 3) throw std::runtime_error("malformed SMTP reply " + in_quotes(line));
      reply.code = std::atoi(line.substr(0, 3).c_str());
      reply.lines.push_back(line.size() > 4 ? line.substr(4) : "");
      if (line.size() == 3 || line[3] != '-') co_return reply;
    }
    throw std::runtime_error("SMTP reply longer than " + std::to_string(kMaxReplyLines) + " lines");
  }

  net::awaitable<Reply> command(std::string line) {
    co_await write(line + "\r\n");
    co_return co_await read_reply();
  }

  net::awaitable<void> start_tls() {
    buffer_.clear();  // nothing the relay sent in the clear may be read as protected
    co_await stream_.async_handshake(net::ssl::stream_base::client, net::use_awaitable);
    tls_ = true;
  }

  net::awaitable<void> write(std::string text) {
    boost::beast::get_lowest_layer(stream_).expires_after(timeout_);
    if (tls_) {
      co_await net::async_write(stream_, net::buffer(text), net::use_awaitable);
    } else {
      co_await net::async_write(stream_.next_layer(), net::buffer(text), net::use_awaitable);
    }
  }

 private:
  net::awaitable<std::string> read_line() {
    boost::beast::get_lowest_layer(stream_).expires_after(timeout_);
    auto buffer = net::dynamic_buffer(buffer_, kMaxLine);
    std::size_t size = 0;
    if (tls_) {
      size = co_await net::async_read_until(stream_, buffer, "\r\n", net::use_awaitable);
    } else {
      size = co_await net::async_read_until(stream_.next_layer(), buffer, "\r\n", net::use_awaitable);
    }
    std::string line = buffer_.substr(0, size - 2);
    buffer_.erase(0, size);
    co_return line;
  }

  TlsStream& stream_;
  std::chrono::milliseconds timeout_;
  bool tls_ = false;
  std::string buffer_;
};

// The outcome when the relay answered `reply` where `step` needed something else.
DeliveryOutcome refused(const char* step, const Reply& reply) {
  const std::string detail = std::string(step) + ": the relay answered " + reply.text();
  return {reply.code >= 500 && reply.code < 600 ? DeliveryStatus::failed : DeliveryStatus::retry, detail};
}

// Greeting, EHLO, STARTTLS and AUTH: a session ready for MAIL FROM, or the outcome that stops it.
net::awaitable<std::optional<DeliveryOutcome>> open_session(SmtpConversation& smtp, TlsStream& stream,
                                                            const SmtpSettings& settings) {
  Reply reply = co_await smtp.read_reply();
  if (reply.code != 220) co_return refused("greeting", reply);
  reply = co_await smtp.command("EHLO " + settings.helo);
  if (reply.code != 250) co_return refused("EHLO", reply);
  const bool offered = reply.offers("STARTTLS");
  if (settings.starttls == StartTls::required && !offered) {
    co_return DeliveryOutcome{DeliveryStatus::retry,
                              "the relay does not offer STARTTLS, which the rules file requires"};
  }
  if (offered && settings.starttls != StartTls::never) {
    reply = co_await smtp.command("STARTTLS");
    if (reply.code != 220) co_return refused("STARTTLS", reply);
    prepare_client_tls(stream, settings.host);
    co_await smtp.start_tls();
    reply = co_await smtp.command("EHLO " + settings.helo);
    if (reply.code != 250) co_return refused("EHLO after STARTTLS", reply);
  }
  if (settings.username.empty()) co_return std::nullopt;
  if (!smtp.secure()) co_return DeliveryOutcome{DeliveryStatus::failed, "no password is sent to a relay without TLS"};
  reply = co_await smtp.command("AUTH PLAIN " +
                                base64_encode(std::string(1, '\0') + settings.username + '\0' + settings.password));
  if (reply.code != 235) co_return refused("AUTH", reply);
  co_return std::nullopt;
}

net::awaitable<DeliveryOutcome> send_mail(const SmtpSettings& settings, std::string to, std::string message) {
  auto executor = co_await net::this_coro::executor;
  tcp::resolver resolver(executor);
  const auto addresses =
      co_await resolver.async_resolve(settings.host, std::to_string(settings.port), net::use_awaitable);
  net::ssl::context tls = client_tls_context(settings.ca_file);
  TlsStream stream(executor, tls);
  boost::beast::get_lowest_layer(stream).expires_after(settings.connect_timeout);
  co_await boost::beast::get_lowest_layer(stream).async_connect(addresses, net::use_awaitable);
  SmtpConversation smtp(stream, settings.command_timeout);
  if (auto stopped = co_await open_session(smtp, stream, settings)) co_return *stopped;
  Reply reply = co_await smtp.command("MAIL FROM:<" + settings.from_address + ">");
  if (reply.code != 250) co_return refused("MAIL FROM", reply);
  reply = co_await smtp.command("RCPT TO:<" + to + ">");
  if (reply.code != 250 && reply.code != 251) co_return refused("RCPT TO", reply);
  reply = co_await smtp.command("DATA");
  if (reply.code != 354) co_return refused("DATA", reply);
  co_await smtp.write(dot_stuffed(message) + ".\r\n");
  reply = co_await smtp.read_reply();
  if (reply.code != 250) co_return refused("end of DATA", reply);
  const DeliveryOutcome delivered{DeliveryStatus::delivered, reply.text()};
  try {
    co_await smtp.command("QUIT");
  } catch (const std::exception&) {
    // The relay took the message; how it says goodbye does not matter.
  }
  co_return delivered;
}

// Why `recipient` cannot be mailed, or empty.
std::string unmailable(const std::string& recipient) {
  if (recipient.rfind("user:", 0) == 0) {
    return "user " + recipient.substr(5) + " has no e-mail address (set one with `docket user add " +
           recipient.substr(5) + " --email ...`)";
  }
  if (recipient.rfind("party:", 0) == 0) {
    return "no address for the outside body " + in_quotes(recipient.substr(6)) +
           ": add it to \"contacts\" in the rules file";
  }
  const bool plain =
      recipient.find('@') != std::string::npos && recipient.find_first_of(" \r\n<>") == std::string::npos;
  return plain ? "" : in_quotes(recipient) + " is not an e-mail address";
}

}  // namespace

DeliveryOutcome SmtpChannel::deliver(const Delivery& delivery) {
  if (const std::string why = unmailable(delivery.recipient); !why.empty()) return {DeliveryStatus::failed, why};
  EmailContent content;
  content.from_name = settings_.from_name;
  content.from_address = settings_.from_address;
  content.to_name = delivery.message.recipient_name;
  content.to_address = delivery.recipient;
  content.subject = delivery.message.subject;
  content.text = delivery.message.text + (delivery.message.link.empty() ? "" : "\n\n" + delivery.message.link);
  content.idempotency_key = delivery.idempotency_key;
  content.domain = settings_.helo;
  content.date = delivery.now;
  content.attachment_name = delivery.message.attachment_name;
  content.attachment = delivery.message.attachment;
  if (!content.attachment_name.empty()) content.attachment_type = "application/json";
  auto outcome = run_network_task(send_mail(settings_, delivery.recipient, compose_email(content)));
  if (!outcome)
    return {DeliveryStatus::retry,
            settings_.host + ":" + std::to_string(settings_.port) + ": " + outcome.error().message};
  return *outcome;
}

}  // namespace docket
