// The HTTP/JSON API under /api/v1 (documented in docs/api.md and docs/openapi.json): routing,
// authentication by bearer token, idempotent retries, and the hand-off of each request to
// the storage threads (writes to the single writer, long reads to the long readers, other reads
// to the readers: each set has its own queue, so a report never holds up a case read).
// Thread-safety: handle() is called on I/O threads. It blocks one only for a point read (one
// case by number, from the thread's own connection and its kept readings); everything else is
// handed to the storage threads.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "server/api_types.h"
#include "server/metrics.h"
#include "server/storage_threads.h"

namespace docket::server {

struct RouteContext {
  Metrics& metrics;
  // Set while this server verifies the audit log (GET /api/v1/audit/verify): one at a time.
  std::atomic<bool>& audit_verifying;
};

struct Route {
  http::verb method;
  std::string pattern;  // "/api/v1/cases/{number}/transitions"
  bool writes = false;  // runs on the writer; POSTs with an Idempotency-Key replay
  bool admin_only = false;
  // Administrators and the holders of the role "auditor" (at any unit) only: checking the whole
  // log is for them, and its answer tells its size.
  bool auditors_only = false;
  std::function<ApiResponse(Workspace&, ApiRequest&, RouteContext&)> handle;
  // Answered from one row or a few (a case by number): served on the I/O thread that read the
  // request, when that thread has a connection of its own, instead of a hop to a reader.
  bool point = false;
  // Reads the search index: the writer brings it up to date first (SearchIndex::catch_up), so
  // what was committed before the request is found.
  bool indexed = false;
  // Whether this request reads many cases or rows (a report, the audit, every due case): it then
  // runs on the long readers, where it cannot hold up case reads, short lists and writes. Null:
  // never.
  bool (*long_read)(const ApiRequest&) = nullptr;
};

// Route::long_read for routes whose every request is long.
inline bool always_long(const ApiRequest&) { return true; }
// Route::long_read for GET /api/v1/cases: the overdue and due_within filters read every due case
// (api_list.cc).
bool is_long_list(const ApiRequest& request);

// The storage threads a request is handed to.
struct ApiThreads {
  StorageThreads& writer;
  StorageThreads& readers;       // short reads
  StorageThreads& long_readers;  // Route::long_read
};

// Every route of the API, in the order they are matched.
const std::vector<Route>& api_routes();

class Api {
 public:
  // `local` gives the calling I/O thread's own connection, or null when it has none.
  Api(ApiThreads threads, Metrics& metrics, std::function<Workspace*()> local = {});

  // `served` (made when null) is told the route matched and the caller, for the access log.
  void handle(Request&& request, Respond respond, std::shared_ptr<Served> served = nullptr);

 private:
  using Reply = std::function<void(const ApiResponse&)>;
  void run(const Route& route, ApiRequest api_request, const std::string& token, Reply reply);
  void run_write(const Route& route, ApiRequest api_request, const std::string& token, Reply reply);
  ApiResponse respond(Workspace& workspace, const Route& route, ApiRequest& api_request, const std::string& token);
  // Sets api_request.user and .admin from the token; the answer to send instead when it names
  // nobody (or storage failed).
  std::optional<ApiResponse> authenticate(Workspace& workspace, ApiRequest& api_request, const std::string& token);
  // The route's handler for an authenticated request (admin-only routes, idempotent replay).
  ApiResponse handle_authenticated(Workspace& workspace, const Route& route, ApiRequest& api_request);
  // Hands a read to the readers, or (Route::long_read) to the long readers.
  void run_read(const Route& route, ApiRequest api_request, const std::string& token, Reply reply);
  static ApiResponse refused(const StorageThreads& threads);

  ApiThreads threads_;
  Metrics& metrics_;
  std::function<Workspace*()> local_;
  std::atomic<bool> audit_verifying_{false};
};

// Handlers, grouped by resource (api_cases.cc, api_admin.cc).
void add_case_routes(std::vector<Route>& routes);
void add_admin_routes(std::vector<Route>& routes);
void add_report_routes(std::vector<Route>& routes);                                          // api_reports.cc
ApiResponse list_cases(Workspace& workspace, ApiRequest& request, RouteContext& context);    // api_list.cc
ApiResponse search_cases(Workspace& workspace, ApiRequest& request, RouteContext& context);  // api_search.cc

// What every signed-in caller reads (api_directory.cc: workflows, units, users, the spec);
// add_admin_routes adds them.
void add_directory_routes(std::vector<Route>& routes);

}  // namespace docket::server
