#include "web/web_app.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <boost/url/parse.hpp>

#include "web/embedded.h"

namespace docket::web {
namespace {

namespace http = server::http;
constexpr const char* kSessionCookie = "docket_session";
constexpr const char* kPreCookie = "docket_signin";  // the sign-in form's own CSRF token
constexpr const char* kLanguageCookie = "docket_lang";
// A session is marked used at most this often (idle expiry counts from the last mark).
constexpr std::chrono::seconds kTouchEvery{60};

bool matches(const std::string& pattern, const std::string& path, std::map<std::string, std::string>& params) {
  return server::path_matches(server::split_path(pattern), server::split_path(path), params);
}

const std::vector<WebRoute>& web_routes() {
  static const std::vector<WebRoute> routes = [] {
    std::vector<WebRoute> all;
    add_case_actions(all);  // first: "/cases/new" before "/cases/{number}"
    add_case_pages(all);
    add_list_pages(all);
    add_workflow_pages(all);
    add_report_pages(all);
    add_admin_pages(all);
    add_import_pages(all);
    return all;
  }();
  return routes;
}

const WebRoute* find_route(verb method, const std::string& path, std::map<std::string, std::string>& params) {
  for (const WebRoute& route : web_routes()) {
    if (route.method == method && matches(route.pattern, path, params)) return &route;
  }
  return nullptr;
}

std::string random_token() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return "";
  static const char* digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string token;
  for (const unsigned char byte : bytes) token += digits[byte & 63];
  return token;
}

bool same_token(const std::string& given, const std::string& expected) {
  return !expected.empty() && given.size() == expected.size() &&
         CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

// A path of this site to go to after signing in; "/" for anything else (no open redirect).
std::string local_path(const std::string& next) {
  if (next.empty() || next.front() != '/' || next.rfind("//", 0) == 0 || next.find('\\') != std::string::npos)
    return "/";
  return next;
}

ApiResponse asset(const std::string& path) {
  const auto file = embedded_file(path.substr(1));  // "assets/docket.css"
  if (!file) return html("not found", http::status::not_found);
  ApiResponse response;
  response.body = std::string(*file);
  response.content_type = path.ends_with(".css")  ? "text/css; charset=utf-8"
                          : path.ends_with(".js") ? "text/javascript; charset=utf-8"
                                                  : "application/octet-stream";
  response.headers.emplace_back("Cache-Control", "public, max-age=3600");
  return response;
}

}  // namespace

std::string WebRequest::query_value(const std::string& key) const {
  const auto found = query.find(key);
  return found == query.end() ? "" : found->second;
}

ApiResponse html(std::string body, http::status status) {
  ApiResponse response;
  response.status = status;
  response.body = std::move(body);
  response.content_type = "text/html; charset=utf-8";
  // Case data is personal: never kept by a shared cache, nor framed by another site.
  response.headers.emplace_back("Cache-Control", "private, no-store");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; "
                                "frame-ancestors 'none'");
  return response;
}

ApiResponse redirect(const std::string& location) {
  ApiResponse response;
  response.status = http::status::see_other;
  response.content_type = "text/plain; charset=utf-8";
  response.headers.emplace_back("Location", location);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

ApiResponse message_page(const WebRequest& request, http::status status, const std::string& title,
                         const std::string& message) {
  Data data;
  data.set("heading", title);
  data.set("message", message);
  return html(render_page("message", data, request.language, request.viewer, title, request.path), status);
}

WebApp::WebApp(server::ApiThreads threads, server::Metrics& metrics, WebOptions options)
    : threads_(threads), metrics_(metrics), options_(std::move(options)) {}

std::string WebApp::cookie(const std::string& name, const std::string& value, std::chrono::seconds max_age) const {
  return name + "=" + value + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age.count()) +
         (options_.secure_cookies ? "; Secure" : "");
}

void WebApp::handle(server::Request&& request, const std::string& peer, server::Respond respond,
                    std::shared_ptr<server::Served> served) {
  const auto started = std::chrono::steady_clock::now();
  const unsigned version = request.version();
  const std::string method(request.method_string());
  if (!served) served = std::make_shared<server::Served>();
  auto reply = [this, respond, version, started, method, served](const std::string& route, ApiResponse response) {
    served->route = route;
    metrics_.record_request(
        method, route, static_cast<int>(response.status),
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started));
    respond([response = std::move(response), version]() mutable {
      server::complete(response);
      return server::to_http(response, version);
    });
  };
  WebRequest web;
  web.served = served;
  web.options = &options_;
  web.method = request.method();
  web.peer = peer;
  // A NUL-terminated copy for Boost.URL (forms.cc says why).
  const std::string raw_target(request.target().data(), request.target().size());
  const auto target = boost::urls::parse_origin_form(raw_target);
  if (!target) return reply("web", html("bad request", http::status::bad_request));
  web.path = std::string(target->path());
  if (const std::size_t question = raw_target.find('?'); question != std::string::npos)
    web.query = parse_query(std::string_view(raw_target).substr(question + 1));
  std::map<std::string, std::string> cookies;
  if (const auto header = request.find(http::field::cookie); header != request.end())
    cookies = parse_cookies(std::string_view(header->value().data(), header->value().size()));
  const std::string& lang = cookies[kLanguageCookie];
  web.language.code = lang == "en" ? "en" : "vi";
  if (web.path.rfind("/assets/", 0) == 0 && web.method == verb::get) return reply("/assets", asset(web.path));
  if (web.path == "/language" && web.method == verb::get) {
    const std::string to = web.query_value("to") == "en" ? "en" : "vi";
    ApiResponse back = redirect(local_path(web.query_value("back")));
    back.headers.emplace_back("Set-Cookie",
                              kLanguageCookie + std::string("=") + to + "; Path=/; SameSite=Lax; Max-Age=31536000");
    return reply("/language", back);
  }
  if (web.method == verb::post) {
    const auto type = request.find(http::field::content_type);
    auto form = parse_form(type == request.end() ? "" : std::string_view(type->value().data(), type->value().size()),
                           request.body());
    if (!form)
      return reply("web",
                   message_page(web, http::status::bad_request, text(web.language, "error"), form.error().message));
    web.form = std::move(*form);
  }
  const auto done = [reply](const std::string& route) { return [reply, route](ApiResponse r) { reply(route, r); }; };
  if (web.path == "/sign-in") {
    if (web.method == verb::post) return sign_in(std::move(web), cookies[kPreCookie], done("/sign-in"));
    return reply("/sign-in", sign_in_page(web, http::status::ok, ""));
  }
  if (web.path == "/sign-out" && web.method == verb::post)
    return sign_out(std::move(web), cookies[kSessionCookie], done("/sign-out"));
  if (web.path == "/" && web.method == verb::get) return reply("/", redirect("/inbox"));
  const WebRoute* route = find_route(web.method, web.path, web.params);
  if (route == nullptr)
    return reply("web", message_page(web, http::status::not_found, text(web.language, "not_found"),
                                     text(web.language, "not_found_text")));
  if (route->action) return run_action(*route, std::move(web), cookies[kSessionCookie], done(route->pattern));
  serve_page(*route, std::move(web), cookies[kSessionCookie], done(route->pattern));
}

std::optional<SignIn::Session> WebApp::session(Workspace& workspace, WebRequest& request, const std::string& key) {
  if (key.empty()) return std::nullopt;
  SignIn sign_in(workspace.database(), workspace.clock(), options_.sessions);
  auto found = sign_in.find(key);
  if (!found) return std::nullopt;
  request.viewer.user = found->user;
  request.viewer.admin = found->admin;
  if (request.served) request.served->user = found->user;
  request.viewer.csrf = found->csrf;
  if (auto user = workspace.directory().user(found->user)) request.viewer.name = user->name;
  return *found;
}

void WebApp::serve_page(const WebRoute& route, WebRequest request, const std::string& key, Reply reply) {
  auto job = [this, &route, request = std::move(request), key, reply](Workspace& workspace) mutable {
    ApiResponse response;
    {
      const Database::ReadSnapshot snapshot(workspace.database());
      const auto found = session(workspace, request, key);
      if (!found) return reply(redirect("/sign-in?next=" + url_encode(request.path)));
      try {
        response = route.page(workspace, request);
      } catch (const std::exception& problem) {
        response =
            message_page(request, http::status::internal_server_error, text(request.language, "error"), problem.what());
      }
      if (workspace.clock().now() - found->last_seen >= kTouchEvery) {
        threads_.writer.post([key, limits = options_.sessions](Workspace& writer) {
          (void)SignIn(writer.database(), writer.clock(), limits).touch(key);
        });
      }
    }
    reply(std::move(response));
  };
  server::StorageThreads& readers = route.long_read ? threads_.long_readers : threads_.readers;
  if (!readers.post(std::move(job))) reply(html("busy", http::status::service_unavailable));
}

void WebApp::run_action(const WebRoute& route, WebRequest request, const std::string& key, Reply reply) {
  auto outcome = std::make_shared<ActionOutcome>();
  auto shared = std::make_shared<WebRequest>(std::move(request));
  auto forbidden = std::make_shared<bool>(false);
  server::WriteJob write{
      [this, &route, shared, key, outcome, forbidden](Workspace& writer) -> Status {
        const auto found = session(writer, *shared, key);
        if (!found || !same_token(shared->form.value("csrf"), found->csrf)) {
          *forbidden = true;
          return Ok{};
        }
        *outcome = route.action(writer, *shared);
        // A refused action undoes whatever it wrote before the refusal (its savepoint).
        return outcome->refused ? Status(*outcome->refused) : Status(Ok{});
      },
      [this, shared, outcome, forbidden, reply](Workspace&, const Status& committed) {
        if (*forbidden) {
          return reply(message_page(*shared, http::status::forbidden, text(shared->language, "form_expired"),
                                    text(shared->language, "form_expired_text")));
        }
        if (!committed && !outcome->refused) outcome->refused = committed.error();
        if (!outcome->refused) return reply(redirect(outcome->redirect));
        show_refused(std::move(*shared), outcome->page.empty() ? shared->path : outcome->page, *outcome->refused,
                     reply);
      }};
  if (!threads_.writer.post_write(std::move(write))) reply(html("busy", http::status::service_unavailable));
}

void WebApp::show_refused(WebRequest request, std::string page, Error refusal, Reply reply) {
  if (const std::size_t question = page.find('?'); question != std::string::npos) {
    request.query = parse_query(std::string_view(page).substr(question + 1));
    page.resize(question);
  }
  std::map<std::string, std::string> params;
  const WebRoute* route = find_route(verb::get, page, params);
  if (route == nullptr) {
    return reply(
        message_page(request, server::status_for(refusal.code), text(request.language, "refused"), refusal.message));
  }
  request.method = verb::get;
  request.path = page;
  request.params = std::move(params);
  const http::status status =
      refusal.code == ErrorCode::conflict ? http::status::conflict : http::status::unprocessable_entity;
  request.refused = std::move(refusal);
  auto job = [route, request = std::move(request), reply, status](Workspace& workspace) mutable {
    const Database::ReadSnapshot snapshot(workspace.database());
    ApiResponse response = route->page(workspace, request);
    if (response.status == http::status::ok) response.status = status;
    reply(std::move(response));
  };
  if (!threads_.readers.post(std::move(job))) reply(html("busy", http::status::service_unavailable));
}

ApiResponse WebApp::sign_in_page(const WebRequest& request, http::status status, const std::string& problem) {
  const std::string token = random_token();
  Data data;
  data.set("pre", token);
  data.set("next",
           local_path(request.query_value("next").empty() ? request.form.value("next") : request.query_value("next")));
  data.set("user", request.form.value("user"));
  if (!problem.empty()) data.set("problem", problem);
  ApiResponse page = html(
      render_page("sign_in", data, request.language, Viewer{}, text(request.language, "sign_in"), "/sign-in"), status);
  page.headers.emplace_back("Set-Cookie", cookie(kPreCookie, token, std::chrono::hours(1)));
  return page;
}

void WebApp::sign_in(WebRequest request, const std::string& pre_token, Reply reply) {
  if (!same_token(request.form.value("pre"), pre_token)) {
    return reply(sign_in_page(request, http::status::forbidden, text(request.language, "form_expired_text")));
  }
  auto verify = [this, request = std::move(request), reply](Workspace& reader) mutable {
    const std::string user = request.form.value("user");
    auto verdict = SignIn(reader.database(), reader.clock(), options_.sessions)
                       .verify(user, request.form.value("password"), request.peer);
    if (!verdict) return reply(sign_in_page(request, http::status::service_unavailable, verdict.error().message));
    if (verdict->wait) {
      const std::string wait = std::to_string(verdict->wait->count());
      ApiResponse refused =
          sign_in_page(request, http::status::too_many_requests,
                       text(request.language, "sign_in_wait") + " " + wait + " " + text(request.language, "seconds"));
      refused.headers.emplace_back("Retry-After", wait);
      return reply(std::move(refused));
    }
    auto opened = std::make_shared<Result<SignIn::Opened>>(make_error(ErrorCode::internal, "not run"));
    const bool accepted = verdict->accepted;
    auto shared = std::make_shared<WebRequest>(std::move(request));
    server::WriteJob write{
        [this, shared, accepted, opened, user](Workspace& writer) -> Status {
          SignIn sign_in(writer.database(), writer.clock(), options_.sessions);
          if (!accepted) return sign_in.record_failure(user, shared->peer);
          *opened = sign_in.open(user, shared->peer);
          return opened->ok() ? Status(Ok{}) : Status(opened->error());
        },
        [this, shared, accepted, opened, reply](Workspace&, const Status& committed) {
          if (!accepted) {
            return reply(sign_in_page(*shared, http::status::unauthorized, text(shared->language, "sign_in_refused")));
          }
          if (!committed)
            return reply(sign_in_page(*shared, http::status::service_unavailable, committed.error().message));
          if (shared->served) shared->served->user = shared->form.value("user");
          ApiResponse signed_in = redirect(local_path(shared->form.value("next")));
          signed_in.headers.emplace_back("Set-Cookie",
                                         cookie(kSessionCookie, (*opened)->key, options_.sessions.absolute));
          signed_in.headers.emplace_back("Set-Cookie", cookie(kPreCookie, "", std::chrono::seconds(0)));
          reply(std::move(signed_in));
        }};
    if (!threads_.writer.post_write(std::move(write))) reply(html("busy", http::status::service_unavailable));
  };
  if (!threads_.readers.post(std::move(verify))) reply(html("busy", http::status::service_unavailable));
}

void WebApp::sign_out(WebRequest request, const std::string& key, Reply reply) {
  auto shared = std::make_shared<WebRequest>(std::move(request));
  auto forbidden = std::make_shared<bool>(false);
  server::WriteJob write{
      [this, shared, key, forbidden](Workspace& writer) -> Status {
        const auto found = session(writer, *shared, key);
        *forbidden = found && !same_token(shared->form.value("csrf"), found->csrf);
        if (!found || *forbidden) return Ok{};
        return SignIn(writer.database(), writer.clock(), options_.sessions).close(key);
      },
      [this, shared, forbidden, reply](Workspace&, const Status&) {
        if (*forbidden) {
          return reply(message_page(*shared, http::status::forbidden, text(shared->language, "form_expired"),
                                    text(shared->language, "form_expired_text")));
        }
        ApiResponse out = redirect("/sign-in");
        out.headers.emplace_back("Set-Cookie", cookie(kSessionCookie, "", std::chrono::seconds(0)));
        reply(std::move(out));
      }};
  if (!threads_.writer.post_write(std::move(write))) reply(html("busy", http::status::service_unavailable));
}

}  // namespace docket::web
