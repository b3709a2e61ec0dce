#include "server/api.h"

#include <boost/beast/core/string.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>

#include "core/text.h"
#include "server/build_info.h"
#include "server/conditional.h"
#include "store/idempotency.h"
#include "store/search_index.h"

namespace docket::server {
namespace {

constexpr std::size_t kMaxIdempotencyKey = 200;

std::string bearer_token(const Request& request) {
  const auto header = request.find(http::field::authorization);
  if (header == request.end()) return "";
  const std::string value(header->value());
  // The scheme is case-insensitive (RFC 9110 11.1).
  if (value.size() < 7 || !boost::beast::iequals(value.substr(0, 7), "Bearer ")) return "";
  return value.substr(7);
}

// 401 with the challenge RFC 6750 asks for.
ApiResponse unauthenticated(const std::string& message) {
  ApiResponse response = error_response(http::status::unauthorized, "unauthenticated", message);
  response.headers.emplace_back("WWW-Authenticate", "Bearer");
  return response;
}

// {"status":"ok","version":"0.1.0","commit":"f958f85c1a2b"}; commit null when not known.
const std::string& health_text() {
  const BuildInfo& build = build_info();
  static const std::string text = json_text([&](Json& json) {
    json.StartObject();
    put(json, "status", "ok");
    put(json, "version", std::string(build.version));
    if (build.commit.empty()) {
      json.Key("commit"), json.Null();
    } else {
      put(json, "commit", std::string(build.commit));
    }
    json.EndObject();
  });
  return text;
}

// What a change compares with the case's version: a strong entity tag's text ("7" for "7");
// a weak tag (W/"7") or `*` as sent, which no version equals (If-Match compares strongly, RFC
// 9110 13.1.1). Nullopt when the value is not one entity tag: an unquoted 7, a list, a stray quote.
std::optional<std::string> if_match_tag(std::string_view value) {
  value = trim_whitespace(value);
  if (value == "*") return std::string(value);
  const auto tag = parse_entity_tag(value);
  if (!tag) return std::nullopt;
  return std::string(tag->weak ? value : tag->opaque);
}

// application/json, in any case, with or without parameters (RFC 9110 8.3.1).
bool is_json_media_type(std::string_view content_type) {
  return boost::beast::iequals(trim_whitespace(content_type.substr(0, content_type.find(';'))), "application/json");
}

// Replays the stored response of an earlier request with the same Idempotency-Key, or runs
// `handle` and records its response, in the writer's transaction.
ApiResponse idempotent(Workspace& workspace, const ApiRequest& request, const std::function<ApiResponse()>& handle) {
  std::string target = request.path;
  for (const auto& [key, value] : request.query) target += (target == request.path ? "?" : "&") + key + "=" + value;
  const IdempotentRequest keyed{request.user, request.idempotency_key, std::string(http::to_string(request.method)),
                                std::move(target), request.body};
  IdempotencyRecords records(workspace.database());
  ApiResponse response;
  const Status done = workspace.database().write([&]() -> Status {
    auto earlier = records.find(keyed);
    if (!earlier && earlier.error().code == ErrorCode::conflict) {
      response = error_response(http::status::unprocessable_entity, "idempotency_key_reused", earlier.error().message);
      return Ok{};
    }
    if (!earlier) return earlier.error();
    if (*earlier) {
      response.status = static_cast<http::status>((*earlier)->status);
      response.body = std::move((*earlier)->body);
      for (const auto& [name, value] : (*earlier)->headers) response.headers.emplace_back(name, value);
      response.headers.emplace_back("Idempotent-Replay", "true");
      return Ok{};
    }
    response = handle();
    if (static_cast<int>(response.status) >= 500) return Ok{};
    complete(response);  // the record keeps the body itself
    const RecordedResponse recorded{
        static_cast<int>(response.status),
        std::map<std::string, std::string>(response.headers.begin(), response.headers.end()), response.body};
    return records.record(keyed, recorded, workspace.clock().now());
  });
  return done ? response : error_response(done.error());
}

}  // namespace

const std::vector<Route>& api_routes() {
  static const std::vector<Route> routes = [] {
    std::vector<Route> all;
    add_case_routes(all);
    add_admin_routes(all);
    add_report_routes(all);
    return all;
  }();
  return routes;
}

Api::Api(ApiThreads threads, Metrics& metrics, std::function<Workspace*()> local)
    : threads_(threads), metrics_(metrics), local_(std::move(local)) {}

void Api::handle(Request&& request, Respond respond, std::shared_ptr<Served> served) {
  const auto started = std::chrono::steady_clock::now();
  const unsigned version = request.version();
  if (!served) served = std::make_shared<Served>();
  auto reply = [this, respond, version, started, served, method = std::string(request.method_string())](
                   const std::string& route, ApiResponse api) {
    served->route = route;
    metrics_.record_request(
        method, route, static_cast<int>(api.status),
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started));
    respond([api = std::move(api), version]() mutable {
      complete(api);
      return to_http(api, version);
    });
  };
  // A NUL-terminated copy that outlives the view parsed from it (Debian's libboost_url 1.81
  // measures some of its input with strlen).
  const std::string raw_target(request.target().data(), request.target().size());
  const auto target = boost::urls::parse_origin_form(raw_target);
  if (!target)
    return reply("unmatched",
                 error_response(http::status::bad_request, "bad_target", "the request target is not a valid path"));
  ApiRequest api;
  api.served = served;
  api.method = request.method();
  api.path = std::string(target->path());
  for (const auto& param : target->params()) api.query[std::string(param.key)] = std::string(param.value);
  if (api.path == "/healthz") {
    if (request.method() == http::verb::get)
      return reply("/healthz", ApiResponse{http::status::ok, health_text(), "application/json", {}, {}});
    ApiResponse refused =
        error_response(http::status::method_not_allowed, "method_not_allowed", "/healthz accepts GET and HEAD");
    refused.headers.emplace_back("Allow", "GET, HEAD");
    return reply("unmatched", refused);
  }
  const auto path = split_path(api.path);
  const Route* route = nullptr;
  std::string allowed;  // the methods the path accepts, for 405's Allow header
  static const std::vector<std::vector<std::string>> patterns = [] {
    std::vector<std::vector<std::string>> split;
    for (const auto& candidate : api_routes()) split.push_back(split_path(candidate.pattern));
    return split;
  }();
  for (std::size_t i = 0; i < api_routes().size(); ++i) {
    const Route& candidate = api_routes()[i];
    std::map<std::string, std::string> params;
    if (!path_matches(patterns[i], path, params)) continue;
    if (candidate.method == request.method()) {
      route = &candidate;
      api.params = std::move(params);
      break;
    }
    allowed += (allowed.empty() ? "" : ", ") + std::string(http::to_string(candidate.method));
    if (candidate.method == http::verb::get) allowed += ", HEAD";  // the server answers HEAD for every GET
  }
  if (route == nullptr && !allowed.empty()) {
    ApiResponse refused = error_response(
        http::status::method_not_allowed, "method_not_allowed",
        "this path does not accept " + std::string(request.method_string()) + " (it accepts " + allowed + ")");
    refused.headers.emplace_back("Allow", allowed);
    return reply("unmatched", refused);
  }
  if (route == nullptr)
    return reply("unmatched", error_response(http::status::not_found, "no_such_route", "no API route " + api.path));
  const std::string token = bearer_token(request);
  if (token.empty()) return reply(route->pattern, unauthenticated("send Authorization: Bearer <token>"));
  api.body = std::move(request.body());
  if (const auto type = request.find(http::field::content_type); type != request.end())
    api.content_type = std::string(type->value());
  if (const auto match = request.find(http::field::if_match); match != request.end()) {
    const std::string_view sent(match->value().data(), match->value().size());
    const auto tag = if_match_tag(sent);
    if (!tag) {
      return reply(route->pattern, error_response(http::status::bad_request, "invalid_argument",
                                                  "If-Match takes one ETag in double quotes, as the ETag header gives "
                                                  "it (\"7\"), not " +
                                                      std::string(sent)));
    }
    api.if_match = *tag;
  }
  if (const auto key = request.find("Idempotency-Key"); key != request.end())
    api.idempotency_key = std::string(key->value());
  if (api.idempotency_key.size() > kMaxIdempotencyKey) {
    return reply(route->pattern, error_response(http::status::bad_request, "invalid_argument",
                                                "Idempotency-Key is longer than " + std::to_string(kMaxIdempotencyKey) +
                                                    " characters"));
  }
  run(*route, std::move(api), token,
      [reply, pattern = route->pattern](const ApiResponse& response) { reply(pattern, response); });
}

void Api::run(const Route& route, ApiRequest api, const std::string& token, Reply reply) {
  const bool json_body = route.writes && route.pattern.find("/documents") == std::string::npos;
  if (json_body && !is_json_media_type(api.content_type)) {
    return reply(error_response(
        http::status::unsupported_media_type, "unsupported_media_type",
        "send the body as application/json" + (api.content_type.empty() ? std::string(" (no Content-Type was sent)")
                                                                        : ", not " + in_quotes(api.content_type))));
  }
  if (route.writes) return run_write(route, std::move(api), token, std::move(reply));
  if (Workspace* here = route.point && local_ ? local_() : nullptr) return reply(respond(*here, route, api, token));
  run_read(route, std::move(api), token, std::move(reply));
}

void Api::run_read(const Route& route, ApiRequest api, const std::string& token, Reply reply) {
  StorageThreads& readers = route.long_read && route.long_read(api) ? threads_.long_readers : threads_.readers;
  auto job = [this, &route, api = std::move(api), token, reply](Workspace& workspace) mutable {
    reply(respond(workspace, route, api, token));
  };
  if (route.indexed) {
    auto search = std::make_shared<decltype(job)>(std::move(job));
    auto indexed = [search, reply, &readers](Workspace& writer) {
      // With the disk full what is indexed is searched; the cases changed since wait.
      const Status current = SearchIndex::catch_up(writer.database());
      if (!current && current.error().code != ErrorCode::storage_full) return reply(error_response(current.error()));
      if (!readers.post(std::move(*search))) reply(refused(readers));
    };
    if (threads_.writer.post(std::move(indexed))) return;
    // The writer has too much queued: searched as indexed so far (the writer brings the index up
    // to date at most every Scheduler::kIndexEvery while it writes).
    if (!readers.post(std::move(*search))) reply(refused(readers));
    return;
  }
  if (!readers.post(std::move(job))) reply(refused(readers));
}

namespace {

// Whether a handler's answer is the refusal of error_response(storage_corrupt): its batch then
// commits nothing either (Database::write_batch), and the other requests of the batch are told so.
bool found_damaged_file(const ApiResponse& response) {
  return response.status == http::status::service_unavailable &&
         response.body.find(R"("code":"storage_corrupt")") != std::string::npos;
}

}  // namespace

// Group commit: the writer applies this request inside a batch's transaction (its own
// savepoint) and answers only once the batch has committed. The token is looked up first by a
// reader (it only reads), so the single writer spends its time on writes.
void Api::run_write(const Route& route, ApiRequest api, const std::string& token, Reply reply) {
  auto authenticated = [this, &route, api = std::move(api), token, reply](Workspace& workspace) mutable {
    if (auto refusal = authenticate(workspace, api, token)) return reply(*refusal);
    auto response = std::make_shared<ApiResponse>();
    WriteJob write{[this, &route, api = std::move(api), response](Workspace& writer) mutable -> Status {
                     *response = handle_authenticated(writer, route, api);
                     // A fault undoes whatever the request wrote; a refusal (4xx) keeps its
                     // idempotency record.
                     if (static_cast<int>(response->status) >= 500)
                       return found_damaged_file(*response)
                                  ? make_error(ErrorCode::storage_corrupt,
                                               "the database file is damaged (found by a request committed "
                                               "with this one); nothing was written. Restore the latest backup")
                                  : make_error(ErrorCode::internal, "request failed");
                     return Ok{};
                   },
                   [response, reply](Workspace&, const Status& committed) {
                     if (!committed && static_cast<int>(response->status) < 500)
                       *response = error_response(committed.error());
                     reply(*response);
                   }};
    if (!threads_.writer.post_write(std::move(write))) reply(refused(threads_.writer));
  };
  if (Workspace* here = local_ ? local_() : nullptr) {
    const Database::ReadSnapshot snapshot(here->database());
    return authenticated(*here);
  }
  if (!threads_.readers.post(std::move(authenticated))) reply(refused(threads_.readers));
}

std::optional<ApiResponse> Api::authenticate(Workspace& workspace, ApiRequest& api, const std::string& token) {
  auto holder = workspace.directory().authenticate(token);
  if (!holder && holder.error().code != ErrorCode::not_found) return error_response(holder.error());
  if (!holder) return unauthenticated("the token is unknown or revoked");
  api.user = holder->user;
  api.admin = holder->admin;
  if (api.served) api.served->user = holder->user;
  return std::nullopt;
}

ApiResponse Api::handle_authenticated(Workspace& workspace, const Route& route, ApiRequest& api) {
  try {
    RouteContext context{metrics_, audit_verifying_};
    if (route.admin_only && !api.admin) {
      return error_response(http::status::forbidden, "role_not_allowed", "only administrators may do this");
    }
    if (route.auditors_only && !api.admin) {
      auto user = workspace.directory().user(api.user);
      if (!user) return error_response(user.error());
      if (std::none_of(user->roles.begin(), user->roles.end(),
                       [](const UserRole& held) { return held.role == "auditor"; }))
        return error_response(http::status::forbidden, "role_not_allowed",
                              "only administrators and auditors may verify the audit log");
    }
    // POSTs only: a PUT is idempotent by itself, and its body (a password) is not to be kept,
    // not even as the SHA-256 an idempotency record holds.
    if (route.writes && route.method == http::verb::post && !api.idempotency_key.empty()) {
      return idempotent(workspace, api, [&] { return route.handle(workspace, api, context); });
    }
    return route.handle(workspace, api, context);
  } catch (const std::exception& problem) {  // a fault in a library a handler uses (RapidJSON, the STL)
    return error_response(make_error(ErrorCode::internal, problem.what()));
  }
}

// What a reader answers: authentication, then the route's handler, all from one snapshot.
ApiResponse Api::respond(Workspace& workspace, const Route& route, ApiRequest& api, const std::string& token) {
  const Database::ReadSnapshot snapshot(workspace.database());
  if (auto refusal = authenticate(workspace, api, token)) return *refusal;
  return handle_authenticated(workspace, route, api);
}

ApiResponse Api::refused(const StorageThreads& threads) {
  ApiResponse busy = threads.stopping() ? error_response(http::status::service_unavailable, "shutting_down",
                                                         "the server is shutting down; retry in a moment")
                                        : error_response(http::status::too_many_requests, "too_many_requests",
                                                         "the server has too much work queued; retry after a moment");
  busy.headers.emplace_back("Retry-After", "1");
  return busy;
}

}  // namespace docket::server
