// `docket serve`: the HTTP API and the web application (web/web_app.h), the deadline scheduler and (when loaded) the
// notification dispatcher in one process, over one SQLite file.
//
// Threads: `io_threads` I/O threads run Beast, each with a read connection of its own for
// reading one case by number and a request's token. The storage threads (storage_threads.h) own
// the other database connections: one writer, `reader_threads` readers for short reads and
// `long_read_threads` long readers for reports, the audit and lists of every due case, each set
// with its own queue, so that a long read never holds up a case read, a short list or a write.
// The scheduler (scheduler/scheduler.h) has a thread that sleeps until the earliest timer in the
// database is due (woken after every committed batch of writes, never by polling) and fires it
// on the writer. stop() (or SIGINT/SIGTERM in run_until_signal()) stops accepting, answers what
// was read, finishes queued storage work and returns. The scheduler also writes the scheduled
// signed checkpoints on the writer (CheckpointSchedule).
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "scheduler/scheduler.h"
#include "server/api.h"
#include "server/conventions.h"
#include "server/http_server.h"
#include "server/metrics.h"
#include "server/notifier.h"
#include "server/storage_threads.h"
#include "store/signing_key.h"
#include "web/web_app.h"

namespace docket::server {

// Signed checkpoints of the audit chains on a schedule (store/checkpoint.h): the scheduler
// writes one into `folder` every `every`, the first when the server starts.
struct CheckpointSchedule {
  SigningKey key;
  std::string unit;  // the unit that signs
  std::filesystem::path folder;
  std::chrono::seconds every{3600};
};

struct ServerOptions {
  // An IP address, or a name resolved when the server starts (to its first IPv4 address, else
  // its first address): "localhost" listens on 127.0.0.1.
  std::string host = "127.0.0.1";
  unsigned short port = 8080;  // 0: any free port
  int io_threads = 2;
  int reader_threads = 2;
  // Reports, audit exports and lists of every due case run on these, beside the readers.
  int long_read_threads = 1;
  std::size_t max_queued = 10000;          // jobs waiting for the writer or the readers; more: 429
  std::size_t max_queued_long_reads = 16;  // long reads waiting; more are answered 429
  GroupCommit group_commit;                // how many queued writes share one transaction (storage_threads.h)
  DatabaseOptions database;
  Limits limits;
  // When set, changes queue notifications and a dispatcher thread delivers them.
  std::shared_ptr<const NotificationsConfig> notifications;
  NotificationsSetup notifications_setup;  // the rules file and extra channel plugins
  web::WebOptions web;                     // the web application's cookies and sessions
  // When set, signed checkpoints are written on this schedule.
  std::optional<CheckpointSchedule> checkpoints;
  CorsOptions cors;         // the origins whose scripts may call the server (none by default)
  bool access_log = false;  // a line per request on the access logger (access_log.h); `docket serve` turns it on
};

// Why Server::start failed, where a caller answers the reason in its own way (`docket serve`
// exits with its own code when the address is taken).
enum class StartFailure { other, address_in_use };

class Server {
 public:
  // Opens the database connections, listens and starts the threads. Errors: the store's when the
  // database cannot be opened; invalid_argument when the host neither is an address nor resolves,
  // when the address cannot be listened on (the error says why) and when another program
  // listens on it already (then `failure`, when given, is set to address_in_use).
  static Result<std::unique_ptr<Server>> start(const ServerOptions& options, const Clock& clock,
                                               StartFailure* failure = nullptr);
  ~Server();

  unsigned short port() const;
  // The address and port listened on: "127.0.0.1:8080", "[::1]:8080".
  std::string address() const;
  // Blocks until SIGINT or SIGTERM, then stops gracefully.
  void run_until_signal();
  // Stops gracefully (idempotent); safe from any thread.
  void stop();

 private:
  Server(const ServerOptions& options, const Clock& clock);
  // Lowers limits.max_connections to what the file descriptor limit holds beside the database
  // connections and threads (raising the soft limit first, where the hard one allows); an error
  // when not one client connection fits.
  Status size_connection_limit();
  // Opens the storage threads' connections (and the notifier's).
  Status open_storage();
  // Starts accepting connections (on the I/O contexts, not run yet); sets `*failure` (when not
  // null) to address_in_use when another program listens on the address.
  Status listen(StartFailure* failure);
  // Starts the scheduler and wires the duties that follow each committed batch of writes.
  void start_background();
  void run_io_threads();
  // Hands a request to the API (/api/, /healthz, /metrics) or to the web application (the rest),
  // a HEAD as a GET, and finishes its response by the conventions of conventions.h (a CORS
  // preflight is answered here); then logs it on the access log.
  void route(Request&& request, const std::string& peer, Respond respond);
  // `respond`, made to finish each response of `exchange` and log it.
  Respond finishing(std::shared_ptr<const Exchange> exchange, std::shared_ptr<Served> served, Respond respond);

  ServerOptions options_;
  const Clock& clock_;
  // Each further I/O thread runs one of more_io_ (connections only); the first I/O thread runs
  // io_: the acceptor and a share of the connections. Declared in this
  // order so that io_ is destroyed first: the accept it still has pending when it goes holds
  // a socket of one of more_io_, which must outlive it.
  std::vector<std::unique_ptr<boost::asio::io_context>> more_io_;
  boost::asio::io_context io_{1};
  Metrics metrics_;
  std::unique_ptr<StorageThreads> writer_;
  std::unique_ptr<StorageThreads> readers_;
  std::unique_ptr<StorageThreads> long_readers_;
  std::unique_ptr<Scheduler> scheduler_;  // runs its rounds on writer_
  std::unique_ptr<Notifier> notifier_;    // null without notification rules
  std::unique_ptr<Api> api_;
  std::unique_ptr<web::WebApp> web_;
  std::unique_ptr<HttpServer> http_;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::unique_ptr<Workspace>> io_workspaces_;  // one per I/O thread, for point reads
  std::vector<std::thread> threads_;
  std::atomic<bool> stopped_{false};
};

}  // namespace docket::server
