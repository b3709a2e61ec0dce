#include "server/http_server.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>

#include <spdlog/spdlog.h>

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

namespace docket::server {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

class Connection;

// What the listener and every connection share; lives as long as the last of them.
struct Shared {
  Limits limits;
  Handler handler;
  ErrorResponder errors;
  std::shared_ptr<std::atomic<int>> connections;
  std::atomic<bool> stopping{false};
  std::mutex connections_mutex;  // guards open_connections and per_address
  std::set<Connection*> open_connections;
  std::map<std::string, int> per_address;  // open connections by client address
};

constexpr std::size_t kReadChunk = 4096;

// What the transport itself refuses in a request read whole: RFC 9112 asks for 400 when an
// HTTP/1.1 request has no Host or several (3.2), and 501 for a transfer coding the server does
// not implement (6.1): only chunked is, and a body sent gzip'ed as "plain" must not be taken
// for the JSON it is not.
struct Refusal {
  http::status status;
  std::string code, message;
};

std::optional<Refusal> refused_by_transport(const Request& request) {
  const auto hosts = request.count(http::field::host);
  if (hosts > 1 || (hosts == 0 && request.version() >= 11)) {
    return Refusal{http::status::bad_request, "malformed_http",
                   "an HTTP/1.1 request has exactly one Host header; this one has " + std::to_string(hosts)};
  }
  const auto [first, last] = request.equal_range(http::field::transfer_encoding);
  for (auto field = first; field != last; ++field) {
    for (const auto coding : http::token_list{field->value()}) {
      if (!beast::iequals(coding, "chunked")) {
        return Refusal{http::status::not_implemented, "unsupported_transfer_coding",
                       "the transfer coding \"" + std::string(coding) +
                           "\" is not supported; send the body as it is (chunked or with Content-Length)"};
      }
    }
  }
  return std::nullopt;
}

// One connection: reads requests one after another (keep-alive), hands each to the handler and
// writes its response. All of it runs on the connection's io_context, which one thread runs.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket&& socket, std::shared_ptr<Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)), limits_(shared_->limits) {
    boost::system::error_code unknown;
    const tcp::endpoint remote = stream_.socket().remote_endpoint(unknown);
    if (!unknown) peer_ = remote.address().to_string();
    shared_->connections->fetch_add(1);
    std::lock_guard lock(shared_->connections_mutex);
    shared_->open_connections.insert(this);
    from_same_address_ = ++shared_->per_address[peer_];
  }
  ~Connection() {
    {
      std::lock_guard lock(shared_->connections_mutex);
      shared_->open_connections.erase(this);
      if (--shared_->per_address[peer_] == 0) shared_->per_address.erase(peer_);
    }
    shared_->connections->fetch_sub(1);
  }

  // The connections open from this one's address when it was accepted, itself included.
  int from_same_address() const { return from_same_address_; }

  void run() {
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Connection::read_request, shared_from_this()));
  }

  // Refuses the connection politely: one 503 and close. It lingers a second at most (for a
  // request already under way), not the read timeout: a refused connection still holds a file
  // descriptor, and a flood of them must not take those the server keeps.
  void refuse(const std::string& message) {
    net::dispatch(stream_.get_executor(), [self = shared_from_this(), message] {
      self->linger_for_ = std::chrono::seconds{1};
      self->send(self->shared_->errors(http::status::service_unavailable, "too_many_connections", message),
                 After::linger);
    });
  }

  // The server is stopping: a connection waiting for its next request closes now; one with a
  // request under way closes after answering it.
  void close_if_idle() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) self->stream_.socket().cancel();
    });
  }

 private:
  enum class After { keep_alive, close, linger };

  // Waits for the first bytes of the next request (the idle timeout), then reads the whole
  // request within the read timeout: a client that starts a request and stalls is dropped.
  void read_request() {
    if (shared_->stopping) return close();
    parser_.emplace();
    parser_->body_limit(limits_.max_body_bytes);
    parser_->header_limit(limits_.max_header_bytes);
    if (buffer_.size() > 0) return read_header();  // a pipelined request has already started
    idle_ = true;
    stream_.expires_after(requests_ == 0 ? std::min(limits_.first_request_timeout, limits_.idle_timeout)
                                         : limits_.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            beast::bind_front_handler(&Connection::on_first_bytes, shared_from_this()));
  }

  void on_first_bytes(beast::error_code ec, std::size_t bytes) {
    idle_ = false;
    if (ec) return on_error(ec);
    buffer_.commit(bytes);
    read_header();
  }

  void read_header() {
    if (parse_buffered()) return;
    stream_.expires_after(limits_.read_timeout);  // from the first byte to the end of the body
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Connection::on_header, shared_from_this()));
  }

  // A request whose bytes are all in the buffer already (the usual case: a small request arrives
  // in one piece) is parsed right here instead of by two more asynchronous reads. True when the
  // request was handled (read whole, or refused); false when more of it must be read.
  bool parse_buffered() {
    beast::error_code ec;
    while (buffer_.size() > 0 && !parser_->is_done()) {
      const std::size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == http::error::need_more) return false;
      if (ec) {
        on_error(ec);
        return true;
      }
      if (used == 0) return false;
    }
    if (!parser_->is_done()) return false;
    on_read({}, 0);
    return true;
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return on_error(ec);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Connection::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return on_error(ec);
    stream_.expires_never();  // the handler may take a while; the client waits for us
    ++requests_;
    Request request = parser_->release();
    if (const auto refusal = refused_by_transport(request)) {
      return send(shared_->errors(refusal->status, refusal->code, refusal->message), After::linger);
    }
    const bool keep_alive = request.keep_alive();
    const bool head = request.method() == http::verb::head;
    auto self = shared_from_this();
    // An answer made on this connection's thread (a read served by the I/O thread itself) is
    // sent right away; one made by a storage thread is posted to it.
    shared_->handler(std::move(request), peer_, [self, keep_alive, head](std::function<Response()> make) {
      net::dispatch(self->stream_.get_executor(), [self, make = std::move(make), keep_alive, head] {
        Response response;
        try {
          response = make();
        } catch (const std::exception& problem) {
          response = self->shared_->errors(http::status::internal_server_error, "internal",
                                           std::string("the response could not be made: ") + problem.what());
        }
        self->send(std::move(response), keep_alive && !self->shared_->stopping ? After::keep_alive : After::close,
                   head);
      });
    });
  }

  void on_error(beast::error_code ec) {
    const auto& errors = shared_->errors;
    if (ec == http::error::body_limit) {
      return send(errors(http::status::payload_too_large, "body_too_large",
                         "the request body is larger than " + std::to_string(limits_.max_body_bytes) + " bytes"),
                  After::linger);
    }
    if (ec == http::error::header_limit) {
      return send(errors(http::status::request_header_fields_too_large, "headers_too_large",
                         "the request headers are larger than " + std::to_string(limits_.max_header_bytes) + " bytes"),
                  After::linger);
    }
    if (ec == http::error::bad_method || ec == http::error::bad_target || ec == http::error::bad_version ||
        ec == http::error::bad_field || ec == http::error::bad_value || ec == http::error::bad_content_length ||
        ec == http::error::multiple_content_length || ec == http::error::bad_transfer_encoding ||
        ec == http::error::bad_chunk || ec == http::error::bad_chunk_extension || ec == http::error::bad_line_ending ||
        ec == http::error::bad_obs_fold) {
      return send(
          errors(http::status::bad_request, "malformed_http", std::string("malformed HTTP request: ") + ec.message()),
          After::linger);
    }
    // end_of_stream, timeouts (slow or idle clients), resets, stopping: close quietly.
    close();
  }

  // A small response (most of them: a case is about a kilobyte) is serialized by Beast into
  // one buffer, which goes out in one write: copying it once costs less than Beast's write
  // walking its sequence of header and body buffers. A large one (a document, an export) is
  // written from where it is. The answer to a HEAD is the GET's header alone: its
  // Content-Length is the GET's body's (RFC 9110 9.3.2).
  void send(Response&& response, After after, bool head = false) {
    constexpr std::size_t kCopiedBody = 64 * 1024;
    response.keep_alive(after == After::keep_alive);
    response.prepare_payload();
    stream_.expires_after(limits_.read_timeout);
    if (head) {
      sending_.clear();
      http::response_serializer<http::string_body> serializer(response);
      serializer.split(true);
      return write_serialized(serializer, after, [&] { return serializer.is_header_done(); });
    }
    if (response.body().size() > kCopiedBody) {
      response_ = std::make_shared<Response>(std::move(response));
      http::async_write(stream_, *response_,
                        beast::bind_front_handler(&Connection::on_write, shared_from_this(), after));
      return;
    }
    sending_.clear();
    http::response_serializer<http::string_body> serializer(response);
    write_serialized(serializer, after, [&] { return serializer.is_done(); });
  }

  // Copies what `serializer` gives into sending_ until `done`, then writes it.
  template <typename Done>
  void write_serialized(http::response_serializer<http::string_body>& serializer, After after, Done done) {
    beast::error_code ec;
    while (!ec && !done()) {
      serializer.next(ec, [&](beast::error_code&, const auto& buffers) {
        const std::size_t size = net::buffer_size(buffers);
        const std::size_t at = sending_.size();
        sending_.resize(at + size);
        net::buffer_copy(net::buffer(sending_.data() + at, size), buffers);
        serializer.consume(size);
      });
    }
    if (ec) return close();  // a string body cannot fail to serialize
    net::async_write(stream_, net::buffer(sending_),
                     beast::bind_front_handler(&Connection::on_write, shared_from_this(), after));
  }

  void on_write(After after, beast::error_code ec, std::size_t) {
    response_.reset();
    if (ec || after == After::close) return close();
    if (after == After::linger) return linger();
    read_request();
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  // After refusing a request the client may still be sending it. Closing now would reset the
  // connection and could destroy the answer before the client reads it; so stop sending, and
  // read and discard what still comes, until the client closes or the read timeout.
  void linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(linger_for_);
    discard();
  }

  void discard() {
    buffer_.consume(buffer_.size());
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->stream_.close();
                              self->discard();
                            });
  }

  beast::tcp_stream stream_;
  std::string peer_;  // the client's address, for the handler
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string sending_;                 // the bytes of a small response being written
  std::shared_ptr<Response> response_;  // a large response being written
  std::shared_ptr<Shared> shared_;
  const Limits& limits_;
  bool idle_ = false;  // waiting for the first byte of a request (on the connection's thread)
  int requests_ = 0;   // read on this connection so far
  std::chrono::seconds linger_for_ = limits_.read_timeout;
  int from_same_address_ = 0;  // set under Shared::connections_mutex, then only read
};

}  // namespace

class HttpServer::Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(std::vector<net::io_context*> contexts, const tcp::endpoint& endpoint, std::shared_ptr<Shared> shared)
      : contexts_(std::move(contexts)),
        acceptor_(*contexts_.front()),
        retry_(*contexts_.front()),
        shared_(std::move(shared)) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
  }

  tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  void accept() {
    net::io_context& next = *contexts_[accepted_++ % contexts_.size()];  // on the acceptor's thread only
    acceptor_.async_accept(next, beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
  }
  // Stops accepting and closes the connections that wait for a request; the others close
  // after answering the request they are reading or handling.
  void stop() {
    shared_->stopping = true;
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->acceptor_.close(ignored);
      self->retry_.cancel();
    });
    // Take references under the lock, use them after it: dropping the last reference to a
    // connection runs its destructor, which takes the lock too.
    std::vector<std::shared_ptr<Connection>> open;
    {
      std::lock_guard lock(shared_->connections_mutex);
      for (Connection* connection : shared_->open_connections) {
        if (auto alive = connection->weak_from_this().lock()) open.push_back(std::move(alive));
      }
    }
    for (const auto& connection : open) connection->close_if_idle();
  }

 private:
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (out_of_descriptors(ec)) return retry_later(ec);
    if (!ec) admit(std::make_shared<Connection>(std::move(socket), shared_));
    accept();
  }

  void admit(const std::shared_ptr<Connection>& connection) {
    const Limits& limits = shared_->limits;
    if (shared_->connections->load() > limits.max_connections) {
      connection->refuse("the server has reached its connection limit; try again shortly");
    } else if (limits.max_connections_per_address > 0 &&
               connection->from_same_address() > limits.max_connections_per_address) {
      connection->refuse("this address has " + std::to_string(limits.max_connections_per_address) +
                         " connections open already, the most one address may have; close one or reuse it");
    } else {
      connection->run();
    }
  }

  // The connection waiting to be accepted stays in the listen queue; accepting it again at once
  // would fail again at once, in a loop that takes a whole core and starves the connections
  // being served. So wait a little: connections close meanwhile and free descriptors.
  static bool out_of_descriptors(const beast::error_code& ec) {
    return ec == net::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system ||
           ec == net::error::no_buffer_space || ec == net::error::no_memory;
  }

  void retry_later(const beast::error_code& ec) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_warned_ > std::chrono::seconds{10}) {  // a flood would log every retry
      spdlog::warn("cannot accept a connection: {}; {} open; accepting again every {} ms until one closes",
                   ec.message(), shared_->connections->load(), kAcceptRetry.count());
      last_warned_ = now;
    }
    retry_.expires_after(kAcceptRetry);
    retry_.async_wait([self = shared_from_this()](beast::error_code waited) {
      if (!waited && self->acceptor_.is_open()) self->accept();
    });
  }

  std::vector<net::io_context*> contexts_;
  std::size_t accepted_ = 0;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;                              // the wait after running out of descriptors
  std::chrono::steady_clock::time_point last_warned_{};  // of running out (on the acceptor's thread)
  std::shared_ptr<Shared> shared_;
};

HttpServer::HttpServer(std::vector<net::io_context*> contexts, const tcp::endpoint& endpoint, Limits limits,
                       Handler handler, ErrorResponder errors)
    : connections_(std::make_shared<std::atomic<int>>(0)) {
  auto shared = std::make_shared<Shared>();
  shared->limits = limits;
  shared->handler = std::move(handler);
  shared->errors = std::move(errors);
  shared->connections = connections_;
  listener_ = std::make_shared<Listener>(std::move(contexts), endpoint, std::move(shared));
}

HttpServer::~HttpServer() = default;

tcp::endpoint HttpServer::local_endpoint() const { return listener_->local_endpoint(); }
void HttpServer::start() { listener_->accept(); }
void HttpServer::stop() { listener_->stop(); }

}  // namespace docket::server
