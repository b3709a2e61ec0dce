// The HTTP conventions every response of `docket serve` follows, whichever part made it (the
// API, the web application, the transport's own refusals): a Date; an X-Request-Id (the
// client's, when it sent a sane one, else a new one); Cache-Control private, no-store unless the
// response says otherwise (case data is personal); CORS headers for the origins configured (none
// by default) and the answer to their preflight requests; and the conditional and partial GETs
// of conditional.h. Thread-safety: every function may be called from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "server/conditional.h"
#include "server/http_server.h"

namespace docket::server {

struct CorsOptions {
  // Origins ("https://portal.example.org", scheme, host and port as a browser sends them in
  // Origin) whose scripts may call the server. Empty: CORS is off, every preflight is refused.
  std::vector<std::string> origins;
  std::chrono::seconds max_age{600};  // how long a browser may keep a preflight's answer
};

// What one request said that its response depends on, read before the request is handed on.
struct Exchange {
  std::string method;  // as sent: "HEAD" for a HEAD, which is handled as a GET
  std::string target;  // the raw path and query
  std::string peer;
  std::string request_id;
  std::string origin;  // empty: none sent
  Preconditions preconditions;
  bool conditional = false;  // a GET or HEAD, to which preconditions apply
  std::chrono::steady_clock::time_point started;
};

// The longest X-Request-Id taken from a client; a longer one, or one with characters other than
// visible ASCII, is replaced by a new id.
inline constexpr std::size_t kMaxRequestId = 128;

// A new request id: 16 random hexadecimal digits.
std::string new_request_id();
// `sent` when it is a sane request id (1 to kMaxRequestId visible ASCII characters), else a new one.
std::string request_id_from(std::string_view sent);

// The exchange of `request` (its request id chosen), started now.
Exchange begin_exchange(const Request& request, const std::string& peer);

// `at` as an HTTP date: "Mon, 07 Dec 2026 08:10:37 GMT" (RFC 9110 5.6.7).
std::string http_date(Timestamp at);

// The answer to a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method), or
// nullopt when `request` is not one: 204 with the methods and headers allowed for an origin in
// the list, 403 origin_not_allowed (and no CORS headers) for any other.
std::optional<Response> answer_preflight(const Request& request, const CorsOptions& cors);

// Adds what every response carries: Date (from `clock`), X-Request-Id, Cache-Control when the
// response has none. For a GET, applies the preconditions (304, 206, 416).
void finish_response(const Exchange& exchange, const CorsOptions& cors, const Clock& clock, Response& response);

// The Date and X-Request-Id (and no-store) of a response the transport makes by itself.
void stamp_response(Response& response, const std::string& request_id, const Clock& clock);

}  // namespace docket::server
