#include "server/server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>

namespace docket::server {

namespace net = boost::asio;

namespace {
thread_local Runtime* io_runtime = nullptr;  // the I/O thread's own connection
}  // namespace

Server::Server(const ServerOptions& options, const Clock& clock)
    : options_(options), clock_(clock), scheduler_timer_(io_) {}

Server::~Server() { stop(); }

Result<std::unique_ptr<Server>> Server::start(const ServerOptions& options, const Clock& clock) {
  std::unique_ptr<Server> server(new Server(options, clock));
  auto writer = WorkerPool::start(1, options.database, clock, options.max_queued, options.notifications);
  if (!writer) return writer.error();
  if (options.notifications) {
    auto notifier = Notifier::start(options.database, clock, options.notifications, options.notifications_setup);
    if (!notifier) return notifier.error();
    server->notifier_ = std::move(notifier.value());
  }
  auto readers = WorkerPool::start(options.reader_threads, options.database, clock, options.max_queued);
  if (!readers) return readers.error();
  // Each I/O thread reads a case by number on a connection of its own (Route::point).
  for (int i = 0; i < std::max(1, options.io_threads); ++i) {
    auto runtime = Runtime::open(options.database, clock);
    if (!runtime) return runtime.error();
    server->io_runtimes_.push_back(std::move(runtime.value()));
  }
  server->writer_ = std::move(writer.value());
  server->writer_->set_group_commit(options.group_commit);
  server->readers_ = std::move(readers.value());
  Server* self = server.get();
  server->api_ = std::make_unique<Api>(
      *server->readers_, *server->writer_, server->metrics_,
      [self](Runtime&) {
        if (self->notifier_) self->notifier_->wake();
        net::post(self->io_, [self] { self->arm_scheduler(); });
      },
      [] { return io_runtime; });
  boost::system::error_code bad_address;
  const auto address = net::ip::make_address(options.host, bad_address);
  if (bad_address)
    return make_error(ErrorCode::invalid_argument,
                      "cannot listen on " + in_quotes(options.host) + ": not an IP address");
  std::vector<net::io_context*> contexts{&server->io_};
  for (std::size_t i = 1; i < server->io_runtimes_.size(); ++i) {
    server->more_io_.push_back(std::make_unique<net::io_context>(1));
    contexts.push_back(server->more_io_.back().get());
  }
  try {
    server->http_ = std::make_unique<HttpServer>(
        contexts, net::ip::tcp::endpoint{address, options.port}, options.limits,
        [self](Request&& request, Respond respond) { self->api_->handle(std::move(request), std::move(respond)); },
        [](http::status status, const std::string& code, const std::string& message) {
          const ApiResponse error = error_response(status, code, message);
          Response response{error.status, 11};
          response.set(http::field::content_type, error.content_type);
          response.body() = error.body;
          return response;
        });
  } catch (const boost::system::system_error& problem) {
    return make_error(ErrorCode::storage, "cannot listen on " + options.host + ":" + std::to_string(options.port) +
                                              ": " + problem.code().message());
  }
  server->http_->start();
  server->arm_scheduler();
  // The I/O threads run until stop(), even at a moment when no socket operation is pending
  // (every connection waiting for the storage threads to answer).
  for (std::size_t i = 0; i < contexts.size(); ++i) {
    server->work_.push_back(net::make_work_guard(*contexts[i]));
    server->threads_.emplace_back([context = contexts[i], r = server->io_runtimes_[i].get()] {
      io_runtime = r;
      context->run();
    });
  }
  return server;
}

unsigned short Server::port() const { return http_->local_endpoint().port(); }

// Fires what is due (on the writer), then sleeps until the next timer in the database.
void Server::arm_scheduler() {
  if (stopped_) return;
  writer_->post([this](Runtime& runtime) {
    auto fired = runtime.cases().fire_due_timers();
    if (!fired) spdlog::warn("scheduler: {}", fired.error().message);
    auto next_due = runtime.cases().next_timer_due();
    if (!next_due) spdlog::warn("scheduler: {}", next_due.error().message);
    const std::optional<Timestamp> next = next_due ? *next_due : std::nullopt;
    net::post(io_, [this, next] {
      if (stopped_) return;
      const auto now = clock_.now();
      // Wake at the next due time; at the latest in a minute, to follow a clock that jumps.
      auto wait = std::chrono::seconds{60};
      if (next)
        wait = std::clamp(std::chrono::duration_cast<std::chrono::seconds>(*next - now), std::chrono::seconds{0}, wait);
      scheduler_timer_.expires_after(wait);
      scheduler_timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec) arm_scheduler();
      });
    });
  });
}

void Server::run_until_signal() {
  net::signal_set signals(io_, SIGINT, SIGTERM);
  std::promise<void> signalled;
  signals.async_wait([&](boost::system::error_code, int number) {
    spdlog::info("signal {}: stopping", number);
    signalled.set_value();
  });
  signalled.get_future().wait();
  stop();
}

void Server::stop() {
  if (stopped_.exchange(true)) return;
  if (http_) http_->stop();
  net::post(io_, [this] { scheduler_timer_.cancel(); });
  // Queued storage jobs finish and answer their requests before the I/O threads stop.
  if (writer_) writer_->stop();
  if (readers_) readers_->stop();
  if (notifier_) notifier_->stop();
  // Give the last responses a moment to be written.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{5};
  while (http_ && http_->open_connections() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  work_.clear();
  io_.stop();
  for (auto& context : more_io_) context->stop();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

}  // namespace docket::server
