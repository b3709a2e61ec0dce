// Request counts and latencies by route, engine counters, and figures read at scrape time (the
// database file's size, the scheduler's last round), in the Prometheus text format.
// Thread-safety: every member may be called from any thread (one mutex guards the maps), except
// watch(), which is called once before the server serves.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace docket {
class Scheduler;
}

namespace docket::server {

class Metrics {
 public:
  void record_request(const std::string& method, const std::string& route, int status,
                      std::chrono::microseconds latency);
  void count_transition() { add("docket_transitions_total", 1); }
  void add(const std::string& counter, std::int64_t by);

  // What render() reads at scrape time besides the counters: the database file (and its WAL)
  // for their sizes, and the scheduler (null: none) for its last round and lag.
  // REQUIRES: before any render(); `scheduler` outlives this object's use.
  void watch(std::filesystem::path database, const Scheduler* scheduler);

  // The exposition text; `gauges` are values read at scrape time (outbox backlog, timers due).
  std::string render(const std::map<std::string, std::int64_t>& gauges) const;

 private:
  static constexpr double kBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  struct Histogram {
    std::vector<std::uint64_t> counts = std::vector<std::uint64_t>(std::size(kBuckets), 0);
    std::uint64_t total = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;                                                     // guards everything below
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;  // (method, route, status)
  std::map<std::pair<std::string, std::string>, Histogram> latency_;             // (method, route)
  std::map<std::string, std::int64_t> counters_;
  std::filesystem::path database_;        // set by watch()
  const Scheduler* scheduler_ = nullptr;  // set by watch()
};

}  // namespace docket::server
