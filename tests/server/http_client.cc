#include "http_client.h"

#include <rapidjson/pointer.h>

#include <boost/asio/ip/address.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>

namespace docket::server_test {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string Reply::header(const std::string& name) const {
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  const auto found = headers.find(lower);
  return found == headers.end() ? "" : found->second;
}

rapidjson::Document Reply::json() const {
  rapidjson::Document document;
  document.Parse(body.data(), body.size());
  return document;
}

std::string Reply::at(const char* pointer) const {
  const rapidjson::Document document = json();
  if (document.HasParseError()) return "";
  const rapidjson::Value* value = rapidjson::Pointer(pointer).Get(document);
  return value != nullptr && value->IsString() ? std::string(value->GetString(), value->GetStringLength()) : "";
}

long long Reply::number(const char* pointer) const {
  const rapidjson::Document document = json();
  if (document.HasParseError()) return -1;
  const rapidjson::Value* value = rapidjson::Pointer(pointer).Get(document);
  if (value == nullptr) return -1;
  if (value->IsArray()) return value->Size();
  if (value->IsInt64()) return value->GetInt64();
  if (value->IsBool()) return value->GetBool() ? 1 : 0;
  return -1;
}

std::ostream& operator<<(std::ostream& os, const Reply& reply) {
  if (reply.status == 0) return os << "no response: " << reply.error;
  os << reply.status;
  for (const auto& [name, value] : reply.headers) os << "\n" << name << ": " << value;
  return os << "\n\n" << reply.body.substr(0, 2000);
}

Reply HttpClient::post(const std::string& target, const std::string& token, const std::string& body,
                       const std::string& if_match, const std::string& idempotency_key) {
  Call call{http::verb::post, target, token, body};
  call.if_match = if_match;
  call.idempotency_key = idempotency_key;
  return send(call);
}

void HttpClient::run() {
  io_.restart();
  io_.run();
}

bool HttpClient::connect(std::string& error) {
  stream_.emplace(io_);
  buffer_.clear();
  beast::error_code ec;
  if (!source_.empty()) {
    stream_->socket().open(tcp::v4(), ec);
    if (!ec) stream_->socket().bind(tcp::endpoint{net::ip::make_address(source_), 0}, ec);
    if (ec) {
      error = "bind to " + source_ + ": " + ec.message();
      stream_.reset();
      return false;
    }
  }
  stream_->expires_after(timeout_);
  stream_->async_connect(tcp::endpoint{net::ip::make_address("127.0.0.1"), port_},
                         [&](beast::error_code e) { ec = e; });
  run();
  if (ec) {
    error = "connect: " + ec.message();
    stream_.reset();
    return false;
  }
  ++connections_opened_;
  return true;
}

Reply HttpClient::send(const Call& call) {
  Reply reply;
  if (!stream_ && !connect(reply.error)) return reply;
  http::request<http::string_body> request{call.method, call.target, 11};
  request.set(http::field::host, "127.0.0.1");
  if (!call.token.empty()) request.set(http::field::authorization, "Bearer " + call.token);
  if (!call.if_match.empty()) request.set(http::field::if_match, call.if_match);
  if (!call.idempotency_key.empty()) request.set("Idempotency-Key", call.idempotency_key);
  if (call.method != http::verb::get) request.set(http::field::content_type, call.content_type);
  for (const auto& [name, value] : call.headers) request.set(name, value);
  request.body() = call.body;
  request.keep_alive(true);
  request.prepare_payload();

  beast::error_code ec;
  stream_->expires_after(timeout_);
  http::async_write(*stream_, request, [&](beast::error_code e, std::size_t) { ec = e; });
  run();
  http::response_parser<http::string_body> parser;
  parser.body_limit(256 * 1024 * 1024);
  parser.skip(call.method == http::verb::head);  // its Content-Length is the GET's; no body follows
  if (!ec) {
    stream_->expires_after(timeout_);
    http::async_read(*stream_, buffer_, parser, [&](beast::error_code e, std::size_t) { ec = e; });
    run();
  }
  if (ec) {
    reply.error = ec.message();
    stream_.reset();
    return reply;
  }
  const auto& response = parser.get();
  reply.status = static_cast<int>(response.result_int());
  reply.body = response.body();
  for (const auto& field : response) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    reply.headers[name] = std::string(field.value());
  }
  if (!response.keep_alive()) stream_.reset();
  return reply;
}

bool HttpClient::open() {
  std::string error;
  return stream_ || connect(error);
}

bool HttpClient::write_raw(const std::string& bytes) {
  std::string error;
  if (!stream_ && !connect(error)) return false;
  beast::error_code ec;
  stream_->expires_after(timeout_);
  net::async_write(*stream_, net::buffer(bytes), [&](beast::error_code e, std::size_t) { ec = e; });
  run();
  return !ec;
}

std::optional<std::string> HttpClient::wait_for_close(std::chrono::seconds limit) {
  if (!stream_) return std::string();
  std::string received(static_cast<const char*>(buffer_.data().data()), buffer_.size());
  buffer_.consume(buffer_.size());
  stream_->expires_after(limit);
  for (;;) {
    char chunk[4096];
    beast::error_code ec;
    std::size_t got = 0;
    stream_->async_read_some(net::buffer(chunk), [&](beast::error_code e, std::size_t n) { ec = e, got = n; });
    run();
    received.append(chunk, got);
    if (ec == beast::error::timeout) return std::nullopt;
    if (ec) break;  // end of stream or reset: the server closed the connection
  }
  stream_.reset();
  return received;
}

}  // namespace docket::server_test
