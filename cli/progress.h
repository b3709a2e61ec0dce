// Progress of long work (report, audit verify, audit export, org import, backup) for a person
// watching a terminal: one status line on stderr, rewritten in place and cleared when the work
// ends, so stdout keeps only the result. Silent unless enabled: Context::progress is on when
// stderr is a terminal (or --progress), off in pipes, files, cron and tests (or --no-progress).
// Used by the one thread that runs the command.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

namespace docket::cli {

class Progress {
 public:
  // `task` names the work: "audit verify".
  Progress(std::ostream& err, bool enabled, std::string task);
  ~Progress();  // clears the status line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Shows "task: what" now ("audit verify: checking the case chains").
  void step(std::string_view what);
  // Shows "task: 1200 of 5000 events" ("1200 events" when `total` is 0), at most ten times a
  // second however often it is called.
  void count(std::int64_t done, std::int64_t total, std::string_view unit);
  // Clears the status line, before the command prints its result on the same terminal.
  void clear();

 private:
  void show(const std::string& text);

  std::ostream& err_;
  bool enabled_;
  std::string task_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

// A stream buffer that passes every byte on to `target` and counts the lines written, telling
// `progress` (as `unit`, e.g. "events") as they go: for commands that stream their output.
class LineCounter : public std::streambuf {
 public:
  LineCounter(std::streambuf* target, Progress& progress, std::string unit);
  std::int64_t lines() const { return lines_; }

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* text, std::streamsize count) override;
  int sync() override;

 private:
  std::streambuf* target_;
  Progress& progress_;
  std::string unit_;
  std::int64_t lines_ = 0;
};

}  // namespace docket::cli
