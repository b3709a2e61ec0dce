// `docket serve`: the HTTP API, the deadline scheduler and (when loaded) the notification
// dispatcher in one process, over one SQLite file.
//
// Threads: `threads` I/O threads run Beast, each with a read connection of its own for reading
// one case by number and a request's token; one writer thread and `readers` reader threads own
// the other database connections. The scheduler's timer lives on the I/O context and wakes when the
// earliest timer in the database is due (re-read after every write), never by polling.
// stop() (or SIGINT/SIGTERM in run()) stops accepting, answers what was read, finishes queued
// storage work and returns.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "server/api.h"
#include "server/http_server.h"
#include "server/metrics.h"
#include "server/notifier.h"
#include "server/worker_pool.h"

namespace docket::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0: any free port
  int io_threads = 2;
  int reader_threads = 2;
  std::size_t max_queued = 10000;  // storage jobs waiting; more are answered 429
  GroupCommit group_commit;        // how many queued writes share one transaction (worker_pool.h)
  DatabaseOptions database;
  Limits limits;
  // When set, changes queue notifications and a dispatcher thread delivers them.
  std::shared_ptr<const NotificationsConfig> notifications;
  NotificationsSetup notifications_setup;  // the rules file and extra channel plugins
};

class Server {
 public:
  static Result<std::unique_ptr<Server>> start(const ServerOptions& options, const Clock& clock);
  ~Server();

  unsigned short port() const;
  // Blocks until SIGINT or SIGTERM, then stops gracefully.
  void run_until_signal();
  // Stops gracefully (idempotent); safe from any thread.
  void stop();

 private:
  Server(const ServerOptions& options, const Clock& clock);
  void arm_scheduler();
  void on_scheduler_timer();

  ServerOptions options_;
  const Clock& clock_;
  // Each further I/O thread runs one of more_io_ (connections only); the first I/O thread runs
  // io_: the acceptor, the scheduler's timer and a share of the connections. Declared in this
  // order so that io_ is destroyed first: the accept it still has pending when it goes holds
  // a socket of one of more_io_, which must outlive it.
  std::vector<std::unique_ptr<boost::asio::io_context>> more_io_;
  boost::asio::io_context io_{1};
  Metrics metrics_;
  std::unique_ptr<WorkerPool> writer_;
  std::unique_ptr<WorkerPool> readers_;
  std::unique_ptr<Notifier> notifier_;  // null without notification rules
  std::unique_ptr<Api> api_;
  std::unique_ptr<HttpServer> http_;
  boost::asio::steady_timer scheduler_timer_;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::unique_ptr<Runtime>> io_runtimes_;  // one per I/O thread, for point reads
  std::vector<std::thread> threads_;
  std::atomic<bool> stopped_{false};
};

}  // namespace docket::server
