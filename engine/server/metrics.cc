#include "server/metrics.h"

#include <sstream>

#include "scheduler/scheduler.h"

namespace docket::server {
namespace {

// What each scrape-time gauge means (HELP); a gauge not listed has only its TYPE line.
const std::map<std::string, const char*>& gauge_help() {
  static const std::map<std::string, const char*> help = {
      {"docket_outbox_backlog", "Notifications waiting to be delivered."},
      {"docket_outbox_dead_letters", "Notifications that failed for good (docket outbox list --failed)."},
      {"docket_timers_due", "Deadline timers due now and not fired yet."},
  };
  return help;
}

void gauge(std::ostringstream& out, const char* name, const char* help, double value) {
  out << "# HELP " << name << " " << help << "\n# TYPE " << name << " gauge\n" << name << " " << value << "\n";
}

// The file's size in bytes; 0 when it does not exist (a WAL after a clean checkpoint).
double file_bytes(const std::filesystem::path& file) {
  std::error_code missing;
  const auto size = std::filesystem::file_size(file, missing);
  return missing ? 0.0 : static_cast<double>(size);
}

void scheduler_figures(std::ostringstream& out, const Scheduler& scheduler) {
  const Scheduler::State state = scheduler.state();
  out << "# HELP docket_scheduler_rounds_total Rounds the deadline scheduler has run.\n"
      << "# TYPE docket_scheduler_rounds_total counter\ndocket_scheduler_rounds_total " << state.rounds << "\n";
  if (state.last_round_at) {
    gauge(out, "docket_scheduler_last_round_timestamp_seconds",
          "When the scheduler last looked for due timers, in seconds since 1970.",
          static_cast<double>(state.last_round_at->time_since_epoch().count()));
  }
  gauge(out, "docket_scheduler_lag_seconds",
        "How late the last round that fired timers fired its earliest one, after it was due.",
        static_cast<double>(state.lag.count()));
}

}  // namespace

void Metrics::watch(std::filesystem::path database, const Scheduler* scheduler) {
  database_ = std::move(database);
  scheduler_ = scheduler;
}

void Metrics::record_request(const std::string& method, const std::string& route, int status,
                             std::chrono::microseconds latency) {
  const double seconds = static_cast<double>(latency.count()) / 1e6;
  std::lock_guard lock(mutex_);
  ++requests_[{method, route, status}];
  Histogram& histogram = latency_[{method, route}];
  for (std::size_t i = 0; i < std::size(kBuckets); ++i) {
    if (seconds <= kBuckets[i]) ++histogram.counts[i];
  }
  ++histogram.total;
  histogram.sum += seconds;
}

void Metrics::add(const std::string& counter, std::int64_t by) {
  std::lock_guard lock(mutex_);
  counters_[counter] += by;
}

std::string Metrics::render(const std::map<std::string, std::int64_t>& gauges) const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP docket_http_requests_total HTTP requests by method, route and status.\n"
      << "# TYPE docket_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [method, route, status] = key;
    out << "docket_http_requests_total{method=\"" << method << "\",route=\"" << route << "\",status=\"" << status
        << "\"} " << count << "\n";
  }
  out << "# HELP docket_http_request_duration_seconds Time from a complete request to its response.\n"
      << "# TYPE docket_http_request_duration_seconds histogram\n";
  for (const auto& [key, histogram] : latency_) {
    const std::string labels = "method=\"" + key.first + "\",route=\"" + key.second + "\"";
    for (std::size_t i = 0; i < std::size(kBuckets); ++i) {
      out << "docket_http_request_duration_seconds_bucket{" << labels << ",le=\"" << kBuckets[i] << "\"} "
          << histogram.counts[i] << "\n";
    }
    out << "docket_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << histogram.total << "\n"
        << "docket_http_request_duration_seconds_sum{" << labels << "} " << histogram.sum << "\n"
        << "docket_http_request_duration_seconds_count{" << labels << "} " << histogram.total << "\n";
  }
  out << "# HELP docket_transitions_total Case transitions committed through the API.\n# TYPE docket_transitions_total "
         "counter\n";
  const auto transitions = counters_.find("docket_transitions_total");
  out << "docket_transitions_total " << (transitions == counters_.end() ? 0 : transitions->second) << "\n";
  for (const auto& [name, value] : gauges) {
    if (const auto help = gauge_help().find(name); help != gauge_help().end())
      out << "# HELP " << name << " " << help->second << "\n";
    out << "# TYPE " << name << " gauge\n" << name << " " << value << "\n";
  }
  out.precision(15);  // byte counts and seconds since 1970 in full, not as 1.7e+09
  if (!database_.empty()) {
    gauge(out, "docket_database_bytes", "Size of the SQLite database file.", file_bytes(database_));
    gauge(out, "docket_database_wal_bytes", "Size of the database's write-ahead log (until its next checkpoint).",
          file_bytes(database_.string() + "-wal"));
  }
  if (scheduler_ != nullptr) scheduler_figures(out, *scheduler_);
  return out.str();
}

}  // namespace docket::server
