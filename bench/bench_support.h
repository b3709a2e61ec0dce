// What every benchmark section shares: a seeded database, the case lifecycle the load runs,
// latency statistics, peak memory, and the table row each section reports.
// Thread-safety: plain functions and values; LatencyLog is for one thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/command.h"
#include "core/result.h"
#include "store/case_store.h"

namespace docket::bench {

// Seeds a new database at `path` (replacing it): the built-in workflows and calendars, a
// province with `communes` communes ("xa-0001"...), the user "bench" holding every role the
// lifecycle needs at each commune, and "tinh", the province's standing board (who reads every
// commune's cases from above). Returns their API tokens.
struct Tokens {
  std::string bench, province;
};
Result<Tokens> seed_database(const std::filesystem::path& path, int communes);
std::string commune_id(int index);  // "xa-0007"

// One step of the social-critique lifecycle after the case is opened (13 in all, from
// "received" to "closed": fields, documents and every transition on the way).
struct LifecycleStep {
  enum class Kind { fields, document, transition } kind;
  std::string name;  // document kind or transition id
  FieldValues fields;
};
const std::vector<LifecycleStep>& lifecycle();
OpenCase open_request(const std::string& unit);
// The step as engine commands (and the document's content) for case `number`.
CaseCommand to_command(const LifecycleStep& step, const std::string& number, const std::string& user);
// The step as an API request: POST target (after /api/v1/cases/NUMBER), content type, body.
struct HttpStep {
  std::string target, content_type, body;
};
HttpStep to_http(const LifecycleStep& step, const std::string& number);

// Per-operation latencies of one thread, merged at the end.
class LatencyLog {
 public:
  void add(std::chrono::steady_clock::duration took) {
    micros_.push_back(std::chrono::duration<double, std::micro>(took).count());
  }
  void merge(const LatencyLog& other) { micros_.insert(micros_.end(), other.micros_.begin(), other.micros_.end()); }
  std::size_t count() const { return micros_.size(); }
  double percentile(double fraction);  // µs; sorts
 private:
  std::vector<double> micros_;
};

// CPU time (user + system) a process has used so far, in seconds; 10 ms resolution.
double cpu_seconds(pid_t pid);
// Peak resident set of a process (VmHWM), in MiB; 0 when unknown.
double peak_rss_mib(pid_t pid);

// One row of the printed table.
struct Row {
  std::string section, what;
  double per_second = 0;  // operations/s (0: not a throughput row)
  double p50_us = 0, p99_us = 0;
  std::string ratio;  // to the baseline of the same run
  std::string note;
};
void print_table(const std::vector<Row>& rows);
std::string format_ratio(double value, double baseline);

}  // namespace docket::bench
