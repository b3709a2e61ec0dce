#include "server/conventions.h"

#include <algorithm>
#include <cstdio>
#include <random>

#include "server/api_types.h"

namespace docket::server {
namespace {

constexpr const char* kAllowedMethods = "GET, HEAD, POST, PUT";
constexpr const char* kAllowedHeaders =
    "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, Range, If-Range, X-Request-Id";
// What a script of an allowed origin may read besides the safelisted headers.
constexpr const char* kExposedHeaders =
    "ETag, Location, X-Request-Id, Retry-After, Content-Disposition, Content-Range, Idempotent-Replay";

std::string field(const Request& request, std::string_view name) {
  const auto found = request.find(name);
  return found == request.end() ? std::string() : std::string(found->value());
}

bool allowed_origin(const CorsOptions& cors, const std::string& origin) {
  return !origin.empty() && std::find(cors.origins.begin(), cors.origins.end(), origin) != cors.origins.end();
}

// Vary names every request header the response depends on, added to what the response has.
void add_vary(Response& response, std::string_view names) {
  const auto found = response.find(http::field::vary);
  response.set(http::field::vary,
               found == response.end() ? std::string(names) : std::string(found->value()) + ", " + std::string(names));
}

}  // namespace

std::string new_request_id() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  static const char* hex = "0123456789abcdef";
  std::uint64_t bits = random();
  std::string id(16, '0');
  for (char& digit : id) {
    digit = hex[bits & 15];
    bits >>= 4;
  }
  return id;
}

std::string request_id_from(std::string_view sent) {
  const bool sane = !sent.empty() && sent.size() <= kMaxRequestId &&
                    std::all_of(sent.begin(), sent.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
  return sane ? std::string(sent) : new_request_id();
}

Exchange begin_exchange(const Request& request, const std::string& peer) {
  Exchange exchange;
  exchange.method = std::string(request.method_string());
  exchange.target = std::string(request.target().data(), request.target().size());
  exchange.peer = peer;
  exchange.request_id = request_id_from(field(request, "X-Request-Id"));
  exchange.origin = field(request, "Origin");
  exchange.preconditions = preconditions_of(request);
  exchange.conditional = request.method() == http::verb::get || request.method() == http::verb::head;
  exchange.started = std::chrono::steady_clock::now();
  return exchange;
}

std::string http_date(Timestamp at) {
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = std::chrono::floor<std::chrono::days>(at);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss of_day{at - day};
  const std::chrono::weekday weekday{day};
  char text[32];
  std::snprintf(text, sizeof text, "%s, %02u %s %04d %02d:%02d:%02d GMT", days[weekday.c_encoding()],
                static_cast<unsigned>(date.day()), months[static_cast<unsigned>(date.month()) - 1],
                static_cast<int>(date.year()), static_cast<int>(of_day.hours().count()),
                static_cast<int>(of_day.minutes().count()), static_cast<int>(of_day.seconds().count()));
  return text;
}

std::optional<Response> answer_preflight(const Request& request, const CorsOptions& cors) {
  const std::string origin = field(request, "Origin");
  if (request.method() != http::verb::options || origin.empty() ||
      field(request, "Access-Control-Request-Method").empty())
    return std::nullopt;
  if (!allowed_origin(cors, origin)) {
    const ApiResponse refused =
        error_response(http::status::forbidden, "origin_not_allowed",
                       "the origin " + origin + " may not call this server (serve --cors-origin lists those that may)");
    return to_http(refused, request.version());
  }
  Response allowed{http::status::no_content, request.version()};
  allowed.set(http::field::server, "docket");
  allowed.set(http::field::access_control_allow_origin, origin);
  allowed.set(http::field::access_control_allow_methods, kAllowedMethods);
  allowed.set(http::field::access_control_allow_headers, kAllowedHeaders);
  allowed.set(http::field::access_control_max_age, std::to_string(cors.max_age.count()));
  allowed.set(http::field::vary, "Access-Control-Request-Method, Access-Control-Request-Headers");
  return allowed;
}

void stamp_response(Response& response, const std::string& request_id, const Clock& clock) {
  response.set(http::field::date, http_date(clock.now()));
  response.set("X-Request-Id", request_id);
  if (response.find(http::field::cache_control) == response.end())
    response.set(http::field::cache_control, "private, no-store");
}

void finish_response(const Exchange& exchange, const CorsOptions& cors, const Clock& clock, Response& response) {
  stamp_response(response, exchange.request_id, clock);
  if (!cors.origins.empty()) add_vary(response, "Origin");  // an answer differs by origin
  if (allowed_origin(cors, exchange.origin)) {
    response.set(http::field::access_control_allow_origin, exchange.origin);
    response.set(http::field::access_control_expose_headers, kExposedHeaders);
  }
  if (exchange.conditional) apply_preconditions(exchange.preconditions, response);
}

}  // namespace docket::server
