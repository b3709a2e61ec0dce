#include "scale.h"

#include <ctime>
#include <fstream>
#include <iostream>
#include <random>

#include "bench_support.h"
#include "documents/report_document.h"
#include "http_load.h"
#include "reports/report_reader.h"
#include "scale_generate.h"
#include "store/audit.h"
#include "store/sign_in.h"
#include "workspace/workspace.h"

namespace docket::bench {
namespace {

constexpr int kCommunes = 1000;
constexpr int kSamples = 200;
constexpr const char* kCommuneOfficer = "xa1";  // officer and department head of xa-0001 only
using Clock = std::chrono::steady_clock;

template <typename Work>
void time_samples(int samples, LatencyLog& log, Work work) {
  for (int i = 0; i < samples; ++i) {
    const auto started = Clock::now();
    work(i);
    log.add(Clock::now() - started);
  }
}

// Times the overdue list of kSamples random communes and the history of kSamples random cases.
// Each is run once untimed first: a serving process has the pages of what it is asked warm in
// its cache, and the first pass over a 3 GB file measures the disk instead (about 5x slower).
void time_in_process(Workspace& workspace, int cases, ScaleResult& result, std::vector<std::string>& history_targets,
                     std::vector<std::string>& overdue_targets) {
  std::mt19937 random(7);
  std::vector<std::string> units, numbers;
  SQLite::Statement number(workspace.database().sql(), "SELECT number FROM cases WHERE id = ?");
  for (int i = 0; i < kSamples; ++i) {
    units.push_back(commune_id(1 + static_cast<int>(random() % kCommunes)));
    number.reset();
    number.bind(1, static_cast<int64_t>(1 + random() % static_cast<unsigned>(cases)));
    number.executeStep();
    numbers.push_back(number.getColumn(0).getString());
    overdue_targets.push_back("/api/v1/cases?overdue=true&unit=" + units.back());
    history_targets.push_back("/api/v1/cases/" + numbers.back() + "/history");
  }
  std::int64_t rows = 0;
  const auto overdue_of = [&](int i) {
    CaseFilter filter;
    filter.unit = units[static_cast<std::size_t>(i)];
    const auto due = workspace.cases().overdue(filter);
    if (due) rows += static_cast<std::int64_t>(due->size());
    if (!due) std::cerr << "scale: " << due.error().message << "\n";
  };
  const auto history_of = [&](int i) {
    if (!workspace.cases().history(numbers[static_cast<std::size_t>(i)]))
      std::cerr << "scale: no history for " << numbers[static_cast<std::size_t>(i)] << "\n";
  };
  LatencyLog warm_up, overdue, history;
  time_samples(kSamples, warm_up, overdue_of);
  time_samples(kSamples, warm_up, history_of);
  rows = 0;
  time_samples(kSamples, overdue, overdue_of);
  time_samples(kSamples, history, history_of);
  result.overdue_p50_us = overdue.percentile(0.50);
  result.overdue_p99_us = overdue.percentile(0.99);
  result.overdue_rows = static_cast<double>(rows) / kSamples;
  result.history_p50_us = history.percentile(0.50);
  result.history_p99_us = history.percentile(0.99);
}

// The .docx of `report` as `docket document report` writes it (documents::report_document with
// the example letterhead and the templates of workflows/documents), kDocxSamples times after one
// untimed run: what the document adds to reading the report.
void time_report_docx(const reports::Report& report, Date today, ScaleResult& result) {
  constexpr int kDocxSamples = 5;
  auto head = documents::load_letterhead(DOCKET_DOCUMENTS_CONFIG, {documents::kReportKind});
  if (!head) {
    std::cerr << "scale: letterhead: " << head.error().message << "\n";
    return;
  }
  const documents::Issue issue{today, ""};
  const std::filesystem::path templates = std::filesystem::path(DOCKET_WORKFLOWS_DIR) / "documents";
  LatencyLog log;
  for (int i = 0; i <= kDocxSamples; ++i) {
    const auto started = Clock::now();
    auto docx = documents::report_document(report, *head, issue, templates);
    if (i > 0) log.add(Clock::now() - started);
    if (!docx) {
      std::cerr << "scale: report .docx: " << docx.error().message << "\n";
      return;
    }
    result.docx_kib = static_cast<double>(docx->size()) / 1024.0;
  }
  result.docx_p50_us = log.percentile(0.5);
  result.docx_max_us = log.percentile(1.0);
}

// The province's roll-up report of the current year as of now, kReportSamples times after one
// untimed run (as the other reads: a serving process has the pages warm), unscoped and as the
// province's standing board; then, on a database small enough, the same by folding the histories.
void time_report(Workspace& workspace, ScaleResult& result) {
  constexpr int kReportSamples = 5;
  constexpr int kMaxFoldCases = 100000;
  const Timestamp now = SystemClock().now();
  reports::ReportRequest request;
  request.period = reports::parse_period(std::to_string(static_cast<int>(vietnam_date(now).year()))).value();
  request.as_of = reports::parse_as_of("", now).value();
  request.unit = "ninh-binh";
  request.rollup = true;
  const auto read = [&](const reports::ReportScope& scope, LatencyLog& log) -> std::optional<reports::Report> {
    std::optional<reports::Report> last;
    for (int i = 0; i <= kReportSamples; ++i) {
      const auto started = Clock::now();
      auto report = reports::read_report(workspace.cases(), workspace.directory(), workspace.catalog(), request, scope);
      if (i > 0) log.add(Clock::now() - started);
      if (!report) {
        std::cerr << "scale: report: " << report.error().message << "\n";
        return std::nullopt;
      }
      last = std::move(*report);
    }
    return last;
  };
  LatencyLog unscoped, board;
  const auto report = read({}, unscoped);
  if (!report) return;
  result.report_max_us = unscoped.percentile(1.0);
  result.report_p50_us = unscoped.percentile(0.5);
  const reports::Figures& all = report->headline().back()->figures;
  result.report_cases = all.closed + all.in_progress;
  time_report_docx(*report, vietnam_date(now), result);
  if (auto reader = workspace.access().reader("tinh")) {
    if (read(reports::reader_scope(workspace.access(), *reader), board)) {
      result.report_board_max_us = board.percentile(1.0);
      result.report_board_p50_us = board.percentile(0.5);
    }
  }
  if (result.cases > kMaxFoldCases) return;
  const auto started = Clock::now();
  auto folded = reports::fold_report(workspace.cases(), workspace.directory(), workspace.catalog(), request);
  result.fold_us = std::chrono::duration<double, std::micro>(Clock::now() - started).count();
  result.report_matches_fold = folded && folded->rows.size() == report->rows.size() &&
                               std::equal(folded->rows.begin(), folded->rows.end(), report->rows.begin(),
                                          [](const reports::ReportRow& a, const reports::ReportRow& b) {
                                            return a.unit == b.unit && a.total == b.total && a.workflow == b.workflow &&
                                                   a.form == b.form && a.figures == b.figures;
                                          });
}

// CPU time this process has used so far (every thread): what a figure costs whatever the other
// builds sharing the machine take.
double process_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// A cached file from a build with an older schema is migrated in place, as `docket migrate` does
// but without its backup (the file can be generated again): generating 1,000,000 cases takes
// minutes, a migration much less.
Status migrate_cached(const std::filesystem::path& path) {
  DOCKET_TRY(version, Database::schema_version_on_disk(path));
  if (!*version || **version >= schema_version()) return Ok{};
  std::cerr << "scale: migrating " << path << " from schema version " << **version << " to " << schema_version()
            << "\n";
  DatabaseOptions options{path, false, 5000, true};
  options.older_schema = OlderSchema::migrate;
  DOCKET_TRY(migrated, Database::open(options));
  return Ok{};
}

}  // namespace

ScaleResult run_scale(const std::filesystem::path& self, const std::filesystem::path& data, int cases) {
  ScaleResult result;
  // The generator's version is in the name: a cached file from an older generator is not reused.
  // 2: open cases past their due date have the breach recorded; 3: the report facts (schema 14)
  constexpr int kGeneratorVersion = 3;
  const std::filesystem::path path =
      data / ("scale-" + std::to_string(cases) + "-v" + std::to_string(kGeneratorVersion) + ".db");
  static const SystemClock clock;
  if (!std::filesystem::exists(path)) {
    std::cerr << "scale: generating " << cases << " cases into " << path << " (cached for later runs)\n";
    const auto started = Clock::now();
    if (const Status made = generate_scale_database(path, cases, kCommunes, clock.now()); !made) {
      std::cerr << "scale: " << made.error().message << "\n";
      return result;
    }
    result.generate_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  }
  if (const Status current = migrate_cached(path); !current) {
    std::cerr << "scale: " << current.error().message << "\n";
    return result;
  }
  std::vector<std::string> history_targets, overdue_targets;
  {
    auto workspace = Workspace::open(DatabaseOptions{path, false, 5000, true}, clock);
    if (!workspace) {
      std::cerr << "scale: " << workspace.error().message << "\n";
      return result;
    }
    result.cases = (*workspace)->database().sql().execAndGet("SELECT COUNT(*) FROM cases").getInt64();
    time_in_process(**workspace, cases, result, history_targets, overdue_targets);
    time_report(**workspace, result);
    const auto started = Clock::now();
    const double cpu_before = process_cpu_seconds();
    auto verified = verify_audit((*workspace)->database());
    result.audit_cpu_seconds = process_cpu_seconds() - cpu_before;
    result.audit_seconds = std::chrono::duration<double>(Clock::now() - started).count();
    if (!verified) {
      std::cerr << "scale: audit verify failed: " << verified.error().message << "\n";
      return result;
    }
    const AuditReport& audit = *verified;
    result.audit_events_per_second = static_cast<double>(audit.events_checked) / result.audit_seconds;
    result.audit_ok = audit.ok;
    result.events = audit.events_checked;
    if (!audit.ok) std::cerr << "scale: audit verify failed at " << audit.seq << ": " << audit.problem << "\n";
  }
  const auto bytes = std::filesystem::file_size(path);
  result.file_mib = static_cast<double>(bytes) / (1024.0 * 1024.0);
  result.bytes_per_event = result.events > 0 ? static_cast<double>(bytes) / static_cast<double>(result.events) : 0;

  // The web pages (issue #24), as three signed-in users: web sessions made here, before the
  // server starts (the sign-in form's Argon2id is not what is measured).
  std::vector<std::pair<std::string, std::string>> sessions;  // user, session key
  {
    auto workspace = Workspace::open(DatabaseOptions{path, false, 5000, true}, clock);
    if (!workspace) return result;
    Directory& directory = (*workspace)->directory();
    if (!directory.user(kCommuneOfficer))
      (void)directory.add_user(kCommuneOfficer, "Cán bộ xã 1", commune_id(1), {"officer", "department_head"});
    SignIn sign_in((*workspace)->database(), clock);
    for (const char* user : {"tinh", "bench", kCommuneOfficer}) {
      auto opened = sign_in.open(user, "127.0.0.1");
      if (!opened) {
        std::cerr << "scale: no session for " << user << ": " << opened.error().message << "\n";
        return result;
      }
      sessions.emplace_back(user, opened->key);
    }
  }
  std::string token;
  std::ifstream(path.string() + ".token") >> token;
  ChildServer server(self, path);
  if (server.port() == 0) return result;
  const ReadTimes overdue = time_reads(server.port(), token, overdue_targets, 1);
  const ReadTimes history = time_reads(server.port(), token, history_targets, 1);
  result.http_overdue_p50_us = overdue.p50_us;
  result.http_overdue_p99_us = overdue.p99_us;
  result.http_history_p50_us = history.p50_us;
  result.http_history_p99_us = history.p99_us;
  std::vector<std::string> pages;  // the case pages of the same random cases as the histories
  for (const std::string& target : history_targets) {
    const std::string prefix = "/api/v1";
    pages.push_back(target.substr(prefix.size(), target.size() - prefix.size() - std::string("/history").size()));
  }
  const std::vector<std::string> inbox(kSamples, "/inbox");
  for (const auto& [user, key] : sessions) {
    WebTimes times{user};
    (void)time_reads(server.port(), "", {"/inbox"}, 3, key);  // untimed first loads
    times.inbox = time_reads(server.port(), "", inbox, 1, key);
    if (user != kCommuneOfficer) times.case_page = time_reads(server.port(), "", pages, 1, key);
    result.web.push_back(times);
  }
  result.server_rss_mib = peak_rss_mib(server.pid());
  return result;
}

}  // namespace docket::bench
