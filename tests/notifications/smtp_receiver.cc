// The SMTP receiver of loopback_receivers.h: EHLO, STARTTLS (with a certificate), MAIL, RCPT,
// DATA, QUIT. Enough of a relay to take a message the way Postfix would.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>

#include "loopback_receivers.h"

namespace docket::testing {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

bool starts_with(const std::string& line, const char* verb) { return line.rfind(verb, 0) == 0; }

std::string between_angles(const std::string& line) {
  const auto open = line.find('<');
  const auto close = line.rfind('>');
  return open != std::string::npos && close != std::string::npos && open < close
             ? line.substr(open + 1, close - open - 1)
             : "";
}

// One client's conversation, plain until STARTTLS.
class Conversation {
 public:
  explicit Conversation(TlsStream& stream) : stream_(stream) {}

  bool secure() const { return secure_; }

  net::awaitable<std::string> line() {
    auto buffer = net::dynamic_buffer(buffer_, 1 << 20);
    std::size_t size = 0;
    if (secure_) {
      size = co_await net::async_read_until(stream_, buffer, "\r\n", net::use_awaitable);
    } else {
      size = co_await net::async_read_until(stream_.next_layer(), buffer, "\r\n", net::use_awaitable);
    }
    std::string text = buffer_.substr(0, size - 2);
    buffer_.erase(0, size);
    co_return text;
  }

  net::awaitable<void> say(std::string text) {
    if (secure_) {
      co_await net::async_write(stream_, net::buffer(text), net::use_awaitable);
    } else {
      co_await net::async_write(stream_.next_layer(), net::buffer(text), net::use_awaitable);
    }
  }

  net::awaitable<void> start_tls() {
    co_await stream_.async_handshake(net::ssl::stream_base::server, net::use_awaitable);
    secure_ = true;
    buffer_.clear();
  }

  // The lines up to the lone ".", dot-stuffing undone.
  net::awaitable<std::string> data() {
    std::string message;
    for (std::string text = co_await line(); text != "."; text = co_await line()) {
      message += (starts_with(text, "..") ? text.substr(1) : text) + "\r\n";
    }
    co_return message;
  }

 private:
  TlsStream& stream_;
  bool secure_ = false;
  std::string buffer_;
};

}  // namespace

struct SmtpReceiver::Impl {
  net::io_context io;
  tcp::acceptor acceptor{io};
  net::ssl::context context{net::ssl::context::tls_server};
  bool offers_tls = false;
  mutable std::mutex mutex;  // guards seen
  std::vector<MailSeen> seen;
  std::thread thread;

  net::awaitable<void> converse(Conversation& client) {
    co_await client.say("220 loopback ESMTP docket-test\r\n");
    MailSeen mail;
    for (;;) {
      const std::string line = co_await client.line();
      if (starts_with(line, "EHLO")) {
        co_await client.say(std::string("250-loopback\r\n") +
                            (offers_tls && !client.secure() ? "250-STARTTLS\r\n" : "") + "250 8BITMIME\r\n");
      } else if (starts_with(line, "STARTTLS") && offers_tls) {
        co_await client.say("220 2.0.0 ready to start TLS\r\n");
        co_await client.start_tls();
      } else if (starts_with(line, "MAIL FROM:")) {
        mail = MailSeen{between_angles(line), {}, "", client.secure()};
        co_await client.say("250 2.1.0 ok\r\n");
      } else if (starts_with(line, "RCPT TO:")) {
        mail.to.push_back(between_angles(line));
        co_await client.say("250 2.1.5 ok\r\n");
      } else if (starts_with(line, "DATA")) {
        co_await client.say("354 end with <CRLF>.<CRLF>\r\n");
        mail.data = co_await client.data();
        {
          std::lock_guard lock(mutex);
          seen.push_back(mail);
        }
        co_await client.say("250 2.0.0 queued\r\n");
      } else if (starts_with(line, "QUIT")) {
        co_await client.say("221 2.0.0 bye\r\n");
        co_return;
      } else {
        co_await client.say("502 5.5.2 not implemented\r\n");
      }
    }
  }

  net::awaitable<void> session(tcp::socket socket) {
    try {
      TlsStream stream(std::move(socket), context);
      Conversation client(stream);
      co_await converse(client);
    } catch (const std::exception&) {
      // The client hung up.
    }
  }

  net::awaitable<void> accept_loop() {
    try {
      for (;;) {
        tcp::socket socket = co_await acceptor.async_accept(net::use_awaitable);
        net::co_spawn(io, session(std::move(socket)), net::detached);
      }
    } catch (const std::exception&) {
      // Stopped.
    }
  }
};

SmtpReceiver::SmtpReceiver(std::optional<TlsFiles> tls) : impl_(std::make_unique<Impl>()) {
  if (tls) {
    impl_->context.use_certificate_chain_file(tls->certificate.string());
    impl_->context.use_private_key_file(tls->key.string(), net::ssl::context::pem);
    impl_->offers_tls = true;
  }
  const tcp::endpoint loopback(net::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(loopback.protocol());
  impl_->acceptor.bind(loopback);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  net::co_spawn(impl_->io, impl_->accept_loop(), net::detached);
  impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

SmtpReceiver::~SmtpReceiver() {
  impl_->io.stop();
  impl_->thread.join();
}

std::vector<MailSeen> SmtpReceiver::messages() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->seen;
}

}  // namespace docket::testing
