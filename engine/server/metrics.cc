#include "server/metrics.h"

#include <sstream>

namespace docket::server {

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
  for (const auto& [name, value] : gauges) out << "# TYPE " << name << " gauge\n" << name << " " << value << "\n";
  return out.str();
}

}  // namespace docket::server
