// Section 1, the limit: plain prepared statements writing the rows one transition writes (an
// event with its two chain hashes, the case's new state, a timer and an outbox message) on
// Docket's own schema, with synchronous=FULL. Once with one durable commit per transition,
// once with many transitions per commit.
#pragma once

#include <chrono>
#include <filesystem>

namespace docket::bench {

struct BaselineResult {
  double single_per_second = 0;  // transitions/s, one commit each
  double single_p50_us = 0, single_p99_us = 0;
  double batched_per_second = 0;                  // transitions/s, `batch` per commit
  double batched_p50_us = 0, batched_p99_us = 0;  // per commit
  int batch = 0;
  static constexpr int kRowsPerTransition = 4;
};

BaselineResult run_baseline(const std::filesystem::path& path, std::chrono::milliseconds duration, int batch);

}  // namespace docket::bench
