// Section 4, scale: a generated database of `cases` cases (about 8.6 events each: the real
// state machine's events for part of the lifecycle, with deadlines, hash chains computed by the
// store's own code so audit verify passes). Generated once and cached; then timed: the province's
// roll-up report (in-process, from the kept report facts, against folding every history) and its
// .docx, the overdue list of one unit and one case's history (in-process, and over HTTP as the
// province's standing board, who reads every commune from above), audit verify, the file size per
// event, the web application's inbox and case page (as the province's board, the bench user and a
// commune officer) and the server's peak memory.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "http_load.h"

namespace docket::bench {

// The web application's pages as one signed-in user sees them (the case page: of random cases).
struct WebTimes {
  std::string user;
  ReadTimes inbox{}, case_page{};
};

struct ScaleResult {
  std::int64_t cases = 0, events = 0;
  double generate_seconds = 0;  // 0: reused the cached file
  double overdue_p50_us = 0, overdue_p99_us = 0, overdue_rows = 0;
  double history_p50_us = 0, history_p99_us = 0;
  double http_overdue_p50_us = 0, http_overdue_p99_us = 0;
  double http_history_p50_us = 0, http_history_p99_us = 0;
  double audit_events_per_second = 0;
  // Its wall time and the CPU time of its two threads (reading, hashing): their ratio below 2 is
  // time spent waiting, for the disk or for a core the other builds had.
  double audit_seconds = 0, audit_cpu_seconds = 0;
  bool audit_ok = false;
  double bytes_per_event = 0, file_mib = 0;
  // The province's roll-up report of the current year as of now (every commune; reports::
  // read_report from the kept facts), unscoped as the CLI reads it and as the province's standing
  // board; and the same report by folding every history (reports::fold_report), timed only up to
  // kMaxFoldCases cases (minutes beyond).
  double report_p50_us = 0, report_max_us = 0, report_board_p50_us = 0, report_board_max_us = 0;
  double report_cases = 0;  // cases the report counts (the total's all-workflows row: opened + carried in)
  // The .docx of the same report (documents::report_document, the example letterhead and the
  // templates of workflows/documents), timed from the report read to the file's bytes.
  double docx_p50_us = 0, docx_max_us = 0, docx_kib = 0;
  double fold_us = 0;  // 0: not timed
  bool report_matches_fold = false;
  double server_rss_mib = 0;
  std::vector<WebTimes> web;
};

// `self` is this executable (for the child server); `data` the folder holding the cached file.
ScaleResult run_scale(const std::filesystem::path& self, const std::filesystem::path& data, int cases);

}  // namespace docket::bench
