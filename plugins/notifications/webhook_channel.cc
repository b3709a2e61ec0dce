#include "notifications/webhook_channel.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

#include <optional>

#include "core/text.h"
#include "notifications/tls_support.h"

namespace docket {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

constexpr std::uint64_t kMaxResponseBody = 64 * 1024;  // we only need the status; read a little

struct Target {
  bool tls = false;
  std::string host;
  std::string port;
  std::string path;  // origin form: "/hooks/docket?x=1"
};

std::optional<Target> parse_target(const std::string& url) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->host_address().empty()) return std::nullopt;
  Target target;
  target.tls = parsed->scheme_id() == boost::urls::scheme::https;
  if (!target.tls && parsed->scheme_id() != boost::urls::scheme::http) return std::nullopt;
  target.host = std::string(parsed->host_address());
  target.port = parsed->has_port() ? std::string(parsed->port()) : (target.tls ? "443" : "80");
  target.path = std::string(parsed->encoded_target());
  if (target.path.empty()) target.path = "/";
  return target;
}

using Request = http::request<http::string_body>;

Request make_request(const Target& target, const WebhookEndpoint& endpoint, const Delivery& delivery) {
  Request request{http::verb::post, target.path, 11};
  const bool default_port = target.port == (target.tls ? "443" : "80");
  request.set(http::field::host, default_port ? target.host : target.host + ":" + target.port);
  request.set(http::field::user_agent, "docket-notifications/1");
  request.set(http::field::content_type, "application/json; charset=utf-8");
  request.body() = to_json(delivery.message, delivery.idempotency_key);
  request.set(kIdempotencyHeader, delivery.idempotency_key);
  request.set(kSignatureHeader, webhook_signature(endpoint.secret, request.body()));
  request.set(http::field::connection, "close");
  request.prepare_payload();
  return request;
}

// Sends `request` on a connected stream and reads the response's status.
template <typename Stream>
net::awaitable<unsigned> exchange(Stream& stream, Request& request) {
  co_await http::async_write(stream, request, net::use_awaitable);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxResponseBody);
  co_await http::async_read(stream, buffer, parser, net::use_awaitable);
  co_return parser.get().result_int();
}

net::awaitable<unsigned> post_plain(const Target& target, const WebhookEndpoint& endpoint, Request request) {
  auto executor = co_await net::this_coro::executor;
  tcp::resolver resolver(executor);
  const auto addresses = co_await resolver.async_resolve(target.host, target.port, net::use_awaitable);
  beast::tcp_stream stream(executor);
  stream.expires_after(endpoint.connect_timeout);
  co_await stream.async_connect(addresses, net::use_awaitable);
  stream.expires_after(endpoint.response_timeout);
  const unsigned status = co_await exchange(stream, request);
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  co_return status;
}

net::awaitable<unsigned> post_tls(const Target& target, const WebhookEndpoint& endpoint, Request request) {
  auto executor = co_await net::this_coro::executor;
  tcp::resolver resolver(executor);
  const auto addresses = co_await resolver.async_resolve(target.host, target.port, net::use_awaitable);
  net::ssl::context tls = client_tls_context(endpoint.ca_file);
  beast::ssl_stream<beast::tcp_stream> stream(executor, tls);
  prepare_client_tls(stream, target.host);
  beast::get_lowest_layer(stream).expires_after(endpoint.connect_timeout);
  co_await beast::get_lowest_layer(stream).async_connect(addresses, net::use_awaitable);
  beast::get_lowest_layer(stream).expires_after(endpoint.response_timeout);
  co_await stream.async_handshake(net::ssl::stream_base::client, net::use_awaitable);
  const unsigned status = co_await exchange(stream, request);
  beast::error_code ignored;
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
  co_return status;
}

DeliveryOutcome classify(unsigned status) {
  const std::string said = "HTTP " + std::to_string(status);
  if (status >= 200 && status < 300) return {DeliveryStatus::delivered, said};
  if (status == 429 || status >= 500) return {DeliveryStatus::retry, said};
  return {DeliveryStatus::failed, said + " (not retried)"};
}

}  // namespace

std::string webhook_signature(std::string_view secret, std::string_view body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &size);
  static const char* digits = "0123456789abcdef";
  std::string signature = "sha256=";
  for (unsigned int i = 0; i < size; ++i) signature += {digits[digest[i] >> 4], digits[digest[i] & 0xF]};
  return signature;
}

DeliveryOutcome WebhookChannel::deliver(const Delivery& delivery) {
  const auto endpoint = endpoints_.find(delivery.recipient);
  if (endpoint == endpoints_.end()) {
    return {DeliveryStatus::failed, "no webhook endpoint " + in_quotes(delivery.recipient) + " in the rules file"};
  }
  const auto target = parse_target(endpoint->second.url);
  if (!target)
    return {DeliveryStatus::failed,
            "endpoint " + endpoint->first + ": " + in_quotes(endpoint->second.url) + " is not an http(s) URL"};
  Request request = make_request(*target, endpoint->second, delivery);
  auto task = target->tls ? post_tls(*target, endpoint->second, std::move(request))
                          : post_plain(*target, endpoint->second, std::move(request));
  auto status = run_network_task(std::move(task));
  if (!status) return {DeliveryStatus::retry, endpoint->second.url + ": " + status.error().message};
  return classify(*status);
}

}  // namespace docket
