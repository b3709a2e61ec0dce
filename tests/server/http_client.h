// A small HTTP/1.1 client for the server tests, on Boost.Beast: one TCP connection kept alive
// between requests (reopened only after the server said Connection: close or dropped it).
// Every wait is bounded (`timeout`), so a broken server fails a test instead of hanging it.
// Thread-safety: none; give each thread its own client.
#pragma once

#include <rapidjson/document.h>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace docket::server_test {

namespace http = boost::beast::http;

// One response as a client sees it. status 0: no response (`error` says why).
struct Reply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string error;

  // The header's value; empty when absent.
  std::string header(const std::string& name) const;
  // The string at a JSON pointer into the body ("/error/code"); empty when absent or not a string.
  std::string at(const char* pointer) const;
  // The value at a JSON pointer: array size, integer or bool as a number; -1 when absent.
  long long number(const char* pointer) const;
  rapidjson::Document json() const;
};

std::ostream& operator<<(std::ostream& os, const Reply& reply);

struct Call {
  Call(http::verb method_, std::string target_, std::string token_, std::string body_ = "")
      : method(method_), target(std::move(target_)), token(std::move(token_)), body(std::move(body_)) {}

  http::verb method = http::verb::get;
  std::string target;
  std::string token;  // sent as Authorization: Bearer <token> when not empty
  std::string body;
  std::string content_type = "application/json";
  std::string if_match;  // sent as is (an ETag value, quotes included) when not empty
  std::string idempotency_key;
  std::vector<std::pair<std::string, std::string>> headers;
};

class HttpClient {
 public:
  explicit HttpClient(unsigned short port, std::chrono::seconds timeout = std::chrono::seconds{30})
      : port_(port), timeout_(timeout) {}

  Reply send(const Call& call);
  Reply get(const std::string& target, const std::string& token) { return send({http::verb::get, target, token}); }
  Reply post(const std::string& target, const std::string& token, const std::string& body,
             const std::string& if_match = "", const std::string& idempotency_key = "");

  // Connects from `address` (127.0.0.2: all of 127/8 is loopback on Linux) instead of from the
  // address the system picks, 127.0.0.1; for connections opened from here on.
  void connect_from(std::string address) { source_ = std::move(address); }
  // Opens the connection without sending anything (an idle client); false when that fails.
  bool open();

  // Low level, for misbehaving clients: writes raw bytes on the connection (opening it if need
  // be); false when that fails.
  bool write_raw(const std::string& bytes);
  // Waits up to `limit` for the server to close the connection; returns the bytes it sent
  // before closing, or nullopt when it still had not closed.
  std::optional<std::string> wait_for_close(std::chrono::seconds limit);

  // How many TCP connections this client has opened (keep-alive reuses one).
  int connections_opened() const { return connections_opened_; }

 private:
  bool connect(std::string& error);
  void run();

  unsigned short port_;
  std::chrono::seconds timeout_;
  std::string source_;  // the address to connect from; empty: the system's choice
  boost::asio::io_context io_;
  std::optional<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
  int connections_opened_ = 0;
};

}  // namespace docket::server_test
