#include "server/server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <future>

#include "server/access_log.h"
#include "store/checkpoint.h"

namespace docket::server {

namespace net = boost::asio;

namespace {
thread_local Workspace* io_workspace = nullptr;  // the I/O thread's own connection

// File descriptors kept for all but client connections: for each database connection its file,
// its WAL and temporary files (sorts, statement journals); for each I/O thread its epoll,
// eventfd and timerfd; and a margin for the standard streams, the log, the shared-memory index,
// the listening socket, the signal pipe, report files and the notifier's outgoing connections.
int reserved_descriptors(const ServerOptions& options) {
  const int io_threads = std::max(1, options.io_threads);
  const int database_connections = 1 + options.reader_threads + std::max(1, options.long_read_threads) + io_threads +
                                   (options.notifications ? 1 : 0);
  return 64 + 4 * database_connections + 3 * io_threads;
}

// Raises the soft RLIMIT_NOFILE as far as `wanted` connections and the reserve need (up to the
// hard limit) and returns how many connections fit beside the reserve: at most `wanted`, fewer
// (or none) when the limit is lower. Past it, accept() fails with EMFILE.
struct DescriptorBudget {
  int connections = 0;
  rlim_t limit = RLIM_INFINITY;
};

DescriptorBudget fit_connections(int wanted, int reserved) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return {wanted, RLIM_INFINITY};
  const rlim_t needed = static_cast<rlim_t>(wanted) + static_cast<rlim_t>(reserved);
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? needed : std::min(needed, limit.rlim_max);
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= needed) return {wanted, limit.rlim_cur};
  return {static_cast<int>(limit.rlim_cur) - reserved, limit.rlim_cur};
}

// "127.0.0.1:8080", "[::1]:8080".
std::string endpoint_text(const net::ip::tcp::endpoint& endpoint) {
  const std::string address = endpoint.address().to_string();
  const std::string port = std::to_string(endpoint.port());
  return endpoint.address().is_v6() ? "[" + address + "]:" + port : address + ":" + port;
}

// Where to listen for `host`: an IP address as it is, a name resolved to its first IPv4 address
// (else its first address), so that "localhost" is 127.0.0.1 wherever ::1 is listed first.
Result<net::ip::tcp::endpoint> listening_address(net::io_context& io, const std::string& host, unsigned short port) {
  boost::system::error_code problem;
  const auto address = net::ip::make_address(host, problem);
  if (!problem) return net::ip::tcp::endpoint{address, port};
  net::ip::tcp::resolver resolver(io);
  const auto found = resolver.resolve(host, std::to_string(port), net::ip::tcp::resolver::numeric_service, problem);
  if (problem || found.empty()) {
    return make_error(ErrorCode::invalid_argument, "cannot listen on " + in_quotes(host) +
                                                       ": not an IP address, and the name does not resolve (" +
                                                       (problem ? problem.message() : "no address") + ")");
  }
  for (const auto& entry : found) {
    if (entry.endpoint().address().is_v4()) return entry.endpoint();
  }
  return found.begin()->endpoint();
}

// A failure is logged: the next period tries again, and what is stored is untouched.
void write_scheduled_checkpoint(Workspace& workspace, const CheckpointSchedule& schedule) {
  auto issued = issue_checkpoint(workspace, schedule.key, schedule.unit, schedule.folder);
  if (issued) {
    spdlog::info("checkpoint {} (case log at event {}; {} message(s) queued for the level above)",
                 issued->written.file.string(), issued->written.checkpoint.log_seq, issued->queued);
  } else {
    spdlog::warn("checkpoint: {}", issued.error().message);
  }
}
}  // namespace

Status Server::size_connection_limit() {
  const int wanted = options_.limits.max_connections;
  const int reserved = reserved_descriptors(options_);
  const DescriptorBudget budget = fit_connections(wanted, reserved);
  if (budget.connections < 1) {
    return make_error(ErrorCode::invalid_argument,
                      "the file descriptor limit (ulimit -n) is " + std::to_string(budget.limit) +
                          ", which leaves no room for client connections beside the " + std::to_string(reserved) +
                          " the server keeps for its database connections and threads; raise it");
  }
  options_.limits.max_connections = budget.connections;
  if (budget.connections < wanted) {
    spdlog::warn(
        "connections: at most {}, not {}: the file descriptor limit is {} and {} are kept for the database "
        "and threads; raise ulimit -n for more",
        budget.connections, wanted, budget.limit, reserved);
  } else {
    spdlog::info("connections: at most {} ({} per address; file descriptor limit {})", budget.connections,
                 options_.limits.max_connections_per_address, budget.limit);
  }
  return Ok{};
}

Server::Server(const ServerOptions& options, const Clock& clock) : options_(options), clock_(clock) {}

Server::~Server() { stop(); }

Status Server::open_storage() {
  auto writer = StorageThreads::start(1, options_.database, clock_, options_.max_queued, options_.notifications);
  if (!writer) return writer.error();
  writer_ = std::move(writer.value());
  writer_->set_group_commit(options_.group_commit);
  if (options_.notifications) {
    auto notifier = Notifier::start(options_.database, clock_, options_.notifications, options_.notifications_setup);
    if (!notifier) return notifier.error();
    notifier_ = std::move(notifier.value());
  }
  auto readers = StorageThreads::start(options_.reader_threads, options_.database, clock_, options_.max_queued);
  if (!readers) return readers.error();
  readers_ = std::move(readers.value());
  auto long_readers = StorageThreads::start(std::max(1, options_.long_read_threads), options_.database, clock_,
                                            options_.max_queued_long_reads);
  if (!long_readers) return long_readers.error();
  long_readers_ = std::move(long_readers.value());
  // Each I/O thread reads a case by number on a connection of its own (Route::point).
  for (int i = 0; i < std::max(1, options_.io_threads); ++i) {
    auto workspace = Workspace::open(options_.database, clock_);
    if (!workspace) return workspace.error();
    io_workspaces_.push_back(std::move(workspace.value()));
  }
  return Ok{};
}

// The scheduler fires timers on the writer; after each committed batch it looks again (the
// writes may have set an earlier timer) and the notifier delivers what the batch queued.
void Server::start_background() {
  scheduler_ = std::make_unique<Scheduler>(
      clock_, [this](std::function<void(Workspace&)> round) { return writer_->post(std::move(round)); });
  writer_->set_after_batch([this](Workspace& workspace) {
    scheduler_->after_write(workspace);
    if (notifier_) notifier_->wake();
  });
  if (options_.checkpoints) {
    scheduler_->every(options_.checkpoints->every, [this](Workspace& workspace) {
      write_scheduled_checkpoint(workspace, *options_.checkpoints);
      if (notifier_) notifier_->wake();
    });
  }
  metrics_.watch(options_.database.path, scheduler_.get());
  scheduler_->start();
}

Status Server::listen(StartFailure* failure) {
  auto address = listening_address(io_, options_.host, options_.port);
  if (!address) return address.error();
  std::vector<net::io_context*> contexts{&io_};
  for (std::size_t i = 1; i < io_workspaces_.size(); ++i) {
    more_io_.push_back(std::make_unique<net::io_context>(1));
    contexts.push_back(more_io_.back().get());
  }
  try {
    http_ = std::make_unique<HttpServer>(
        contexts, *address, options_.limits,
        [this](Request&& request, const std::string& peer, Respond respond) {
          route(std::move(request), peer, std::move(respond));
        },
        [this](http::status status, const std::string& code, const std::string& message) {
          const ApiResponse error = error_response(status, code, message);
          Response response{error.status, 11};
          response.set(http::field::content_type, error.content_type);
          response.body() = error.body;
          const std::string request_id = new_request_id();
          stamp_response(response, request_id, clock_);
          if (options_.access_log) log_access({"-", "transport", "-", static_cast<int>(status), 0, "", request_id, ""});
          return response;
        });
  } catch (const boost::system::system_error& problem) {
    if (problem.code() == net::error::address_in_use) {
      if (failure != nullptr) *failure = StartFailure::address_in_use;
      return make_error(ErrorCode::invalid_argument, endpoint_text(*address) + " is already in use by another program");
    }
    return make_error(ErrorCode::invalid_argument,
                      "cannot listen on " + endpoint_text(*address) + ": " + problem.code().message());
  }
  http_->start();
  return Ok{};
}

void Server::route(Request&& request, const std::string& peer, Respond respond) {
  auto served = std::make_shared<Served>();
  respond = finishing(std::make_shared<const Exchange>(begin_exchange(request, peer)), served, std::move(respond));
  if (auto preflight = answer_preflight(request, options_.cors)) {
    served->route = "preflight";
    return respond([answer = std::move(*preflight)] { return answer; });
  }
  // The transport sends only the header of the answer to a HEAD (http_server.h).
  if (request.method() == http::verb::head) request.method(http::verb::get);
  const std::string_view target(request.target().data(), request.target().size());
  const bool api =
      target.rfind("/api/", 0) == 0 || target.rfind("/healthz", 0) == 0 || target.rfind("/metrics", 0) == 0;
  if (api) return api_->handle(std::move(request), std::move(respond), std::move(served));
  web_->handle(std::move(request), peer, std::move(respond), std::move(served));
}

Respond Server::finishing(std::shared_ptr<const Exchange> exchange, std::shared_ptr<Served> served, Respond respond) {
  return [this, exchange, served, respond](std::function<Response()> make) {
    respond([this, exchange, served, make = std::move(make)] {
      Response response = make();
      finish_response(*exchange, options_.cors, clock_, response);
      if (options_.access_log) {
        const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - exchange->started;
        log_access({exchange->method, served->route, exchange->target, static_cast<int>(response.result_int()),
                    took.count(), served->user, exchange->request_id, exchange->peer});
      }
      return response;
    });
  };
}

// The I/O threads run until stop(), even at a moment when no socket operation is pending
// (every connection waiting for the storage threads to answer).
void Server::run_io_threads() {
  std::vector<net::io_context*> contexts{&io_};
  for (auto& context : more_io_) contexts.push_back(context.get());
  for (std::size_t i = 0; i < contexts.size(); ++i) {
    work_.push_back(net::make_work_guard(*contexts[i]));
    threads_.emplace_back([context = contexts[i], workspace = io_workspaces_[i].get()] {
      io_workspace = workspace;
      context->run();
    });
  }
}

Result<std::unique_ptr<Server>> Server::start(const ServerOptions& options, const Clock& clock, StartFailure* failure) {
  if (failure != nullptr) *failure = StartFailure::other;
  std::unique_ptr<Server> server(new Server(options, clock));
  if (const Status sized = server->size_connection_limit(); !sized) return sized.error();
  if (const Status opened = server->open_storage(); !opened) return opened.error();
  server->api_ = std::make_unique<Api>(ApiThreads{*server->writer_, *server->readers_, *server->long_readers_},
                                       server->metrics_, [] { return io_workspace; });
  server->web_ = std::make_unique<web::WebApp>(ApiThreads{*server->writer_, *server->readers_, *server->long_readers_},
                                               server->metrics_, options.web);
  if (const Status listening = server->listen(failure); !listening) return listening.error();
  // Before the I/O threads run: the writer's duties are set before its first write.
  server->start_background();
  server->run_io_threads();
  return server;
}

unsigned short Server::port() const { return http_->local_endpoint().port(); }

std::string Server::address() const { return endpoint_text(http_->local_endpoint()); }

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
  // A round already queued on the writer still runs there: the scheduler outlives the writer.
  if (scheduler_) scheduler_->stop();
  // Queued storage jobs finish and answer their requests before the I/O threads stop.
  if (writer_) writer_->stop();
  if (readers_) readers_->stop();
  if (long_readers_) long_readers_->stop();
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
