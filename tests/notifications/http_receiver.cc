// The HTTP(S) receiver of loopback_receivers.h.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>

#include "loopback_receivers.h"

namespace docket::testing {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

struct HttpReceiver::Impl {
  net::io_context io;
  tcp::acceptor acceptor{io};
  std::optional<net::ssl::context> tls;
  mutable std::mutex mutex;  // guards script and seen
  std::deque<unsigned> script;
  std::vector<HttpRequestSeen> seen;
  std::thread thread;

  unsigned record(HttpRequestSeen request) {
    std::lock_guard lock(mutex);
    request.answered = 200;
    if (!script.empty()) {
      request.answered = script.front();
      script.pop_front();
    }
    seen.push_back(request);
    return request.answered;
  }

  template <typename Stream>
  net::awaitable<void> answer(Stream& stream) {
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    co_await http::async_read(stream, buffer, request, net::use_awaitable);
    HttpRequestSeen seen_now{std::string(request.target()), {}, request.body(), 0};
    for (const auto& field : request)
      seen_now.headers[lower(std::string(field.name_string()))] = std::string(field.value());
    http::response<http::string_body> response{static_cast<http::status>(record(std::move(seen_now))), 11};
    response.set(http::field::content_type, "application/json");
    response.body() = "{}";
    response.keep_alive(false);
    response.prepare_payload();
    co_await http::async_write(stream, response, net::use_awaitable);
  }

  net::awaitable<void> session(tcp::socket socket) {
    try {
      beast::error_code ignored;
      if (tls) {
        beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls);
        co_await stream.async_handshake(net::ssl::stream_base::server, net::use_awaitable);
        co_await answer(stream);
        beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
      } else {
        beast::tcp_stream stream(std::move(socket));
        co_await answer(stream);
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
      }
    } catch (const std::exception&) {
      // A client that went away is the client's problem; the test asserts on what arrived.
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

HttpReceiver::HttpReceiver(std::deque<unsigned> script, std::optional<TlsFiles> tls) : impl_(std::make_unique<Impl>()) {
  impl_->script = std::move(script);
  if (tls) {
    impl_->tls.emplace(net::ssl::context::tls_server);
    impl_->tls->use_certificate_chain_file(tls->certificate.string());
    impl_->tls->use_private_key_file(tls->key.string(), net::ssl::context::pem);
  }
  const tcp::endpoint loopback(net::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(loopback.protocol());
  impl_->acceptor.bind(loopback);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  net::co_spawn(impl_->io, impl_->accept_loop(), net::detached);
  impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

HttpReceiver::~HttpReceiver() {
  impl_->io.stop();
  impl_->thread.join();
}

std::string HttpReceiver::url(const std::string& path) const {
  return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<HttpRequestSeen> HttpReceiver::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->seen;
}

std::map<std::string, int> HttpReceiver::accepted_by_key() const {
  std::map<std::string, int> counts;
  for (auto& request : requests()) {
    if (request.answered >= 200 && request.answered < 300) counts[request.headers["idempotency-key"]] += 1;
  }
  return counts;
}

unsigned short unused_port() {
  net::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

}  // namespace docket::testing
