// How `docket serve` logs, through spdlog: its level, each line as text or as a JSON object (for
// a log collector), times in UTC ISO 8601; and the access log, one line per request answered
// (logger "access", at level info):
//
//   2026-12-07T08:10:37.123Z [access] GET /api/v1/cases/{number} 200 3.1ms user=lan
//       id=5f0c2a9e1b7d4c33 peer=127.0.0.1 path=/api/v1/cases/PB-2026-0001        (one line)
//   {"time":"2026-12-07T08:10:37.123Z","level":"info","logger":"access","method":"GET",
//    "route":"/api/v1/cases/{number}","path":"/api/v1/cases/PB-2026-0001","status":200,
//    "duration_ms":3.1,"user":"lan","request_id":"5f0c2a9e1b7d4c33","peer":"127.0.0.1"}
//
// Thread-safety: configure_logging() once, before the server starts; log_access() from any
// thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace docket::server {

enum class LogFormat { text, json };

// "text" or "json"; nullopt for anything else.
std::optional<LogFormat> log_format_from_string(std::string_view name);

// Sets every logger's level to `level` (REQUIRES: is_log_level) and its lines' shape, and makes
// the access logger (on standard output, beside the others).
void configure_logging(std::string_view level, LogFormat format);

// One request as the access log tells it.
struct AccessRecord {
  std::string method;  // as sent (HEAD, OPTIONS included)
  std::string route;   // the route pattern it matched ("/api/v1/cases/{number}"); "unmatched"
  std::string path;    // the raw target, query included
  int status = 0;
  double duration_ms = 0;  // from the complete request to its response made
  std::string user;        // the authenticated caller; empty: nobody
  std::string request_id;
  std::string peer;
};

// The record's fields as one line of the given format (the JSON members without braces, which
// the logger's pattern adds around its time and level).
std::string access_line(const AccessRecord& record, LogFormat format);
// Logs the record on the access logger; does nothing when configure_logging() made none.
void log_access(const AccessRecord& record);

}  // namespace docket::server
