// The HTTP/1.1 front of `docket serve` on Boost.Beast: accepts connections, reads requests with
// size limits and timeouts, hands each complete request to a Handler and writes its response,
// keeping the connection alive between requests.
//
// Threads: each connection lives on one of the given io_contexts (taken in turn as they are
// accepted; the acceptor is on the first), each meant to be run by one thread: a connection's
// work then never crosses threads and needs no strand. A Handler must not block long (the API
// posts storage work to its own threads and calls `respond` from there; respond is safe to
// call from any thread). Stopping: stop() closes the acceptor and the connections waiting
// for a request; requests already read are answered (Connection: close), then their
// connections close. Error responses the transport sends itself (413, 431, 400, 501, 503) are
// followed by a lingering close, so the client reads them even while it is still sending.
// Out of file descriptors (EMFILE, ENFILE), the listener waits kAcceptRetry before accepting
// again, instead of failing again at once in a loop; the connections already open are served.
// A HEAD request is handed on as it came; of its response only the header is sent, with the
// Content-Length of the body it would have (the Handler answers it as it would a GET).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace docket::server {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
// Answers a request, once, from any thread, with what makes the response: that runs on the
// connection's thread, so work left in it (a case's JSON) is done by an I/O thread, not by the
// storage thread that answered.
using Respond = std::function<void(std::function<Response()>)>;
// `peer` is the client's IP address as text ("127.0.0.1"); behind a proxy, the proxy's.
using Handler = std::function<void(Request&&, const std::string& peer, Respond)>;

struct Limits {
  std::uint64_t max_body_bytes = 20 * 1024 * 1024;  // 413 above
  std::uint32_t max_header_bytes = 16 * 1024;       // 431 above
  std::chrono::seconds read_timeout{30};            // from a request's first byte to the end of its body
  std::chrono::seconds idle_timeout{60};            // between requests on a kept-alive connection
  // From accepting a connection to the first byte of its first request (at most idle_timeout):
  // a client that connects and says nothing holds a connection only this long.
  std::chrono::seconds first_request_timeout{10};
  int max_connections = 1024;  // more are answered 503 and closed
  // Open connections from one client address; more are answered 503 and closed. 0: no cap
  // (behind a reverse proxy every client has the proxy's address).
  int max_connections_per_address = 64;
};

// Plain-text/JSON responses for errors the transport itself detects (limits, timeouts).
using ErrorResponder = std::function<Response(http::status, const std::string& code, const std::string& message)>;

// How long the listener waits to accept again after running out of file descriptors.
inline constexpr std::chrono::milliseconds kAcceptRetry{50};

class HttpServer {
 public:
  HttpServer(std::vector<boost::asio::io_context*> contexts, const boost::asio::ip::tcp::endpoint& endpoint,
             Limits limits, Handler handler, ErrorResponder errors);
  ~HttpServer();

  // The address actually bound (port 0 picks a free port).
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  void start();
  void stop();
  int open_connections() const { return connections_->load(); }

 private:
  class Listener;
  std::shared_ptr<Listener> listener_;
  std::shared_ptr<std::atomic<int>> connections_;
};

}  // namespace docket::server
