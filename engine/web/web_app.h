// The officers' web application, served by `docket serve` under "/" beside the API (which
// keeps /api/v1): pages rendered on the server from the embedded templates (page.h), plain
// forms that post and redirect, sign-in with a password and a session cookie (store/sign_in.h).
//
// One path for every rule: a page reads through the same CaseStore, AccessPolicy and
// Directory as the API, and every change goes through CaseStore::execute_as_reader, in the
// writer's group commit, as an API change does; nothing here decides who may read or do what.
// Every POST but the sign-in itself needs the session's CSRF token (the sign-in form carries a
// token of its own, checked against a cookie), or it is refused before anything is read.
//
// Threads: handle() runs on an I/O thread and only parses; pages render on the readers (long
// lists and CSV on the long readers), changes and sign-ins apply on the writer; password
// hashes are verified on a reader, never on the writer.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "documents/letterhead.h"
#include "server/api.h"
#include "store/sign_in.h"
#include "web/forms.h"
#include "web/page.h"

namespace docket::web {

using server::ApiResponse;
using server::http::verb;

struct WebOptions {
  bool secure_cookies = false;  // behind TLS: cookies get `Secure`
  SessionLimits sessions;
  // The committee's letterhead and the documents' templates (serve --documents-config): with
  // them, a case's page offers its recommendation letter, as a draft and to issue.
  std::optional<documents::Letterhead> letterhead = std::nullopt;
  std::filesystem::path document_templates = {};
};

// One request to a page or an action, as the handlers see it.
struct WebRequest {
  verb method = verb::get;
  std::string path;
  std::map<std::string, std::string> query;   // decoded ("+" is a space)
  std::map<std::string, std::string> params;  // from the route pattern
  Form form;                                  // a POST's body
  std::string peer;                           // the client's address
  Language language;
  Viewer viewer;  // the signed-in user (every route but the sign-in pages has one)
  // Set when an action was refused and its page is shown again: why, and the form as typed.
  std::optional<Error> refused;
  std::shared_ptr<server::Served> served;  // for the access log; never null once WebApp::handle has it
  const WebOptions* options = nullptr;     // the server's; never null once WebApp::handle has it
  std::string query_value(const std::string& key) const;
};

// What an action did: where to go next (POST-redirect-GET), or why it was refused, in which
// case the page at `page` (a GET path; the referring page by default) is shown again with the
// refusal and the form as the user typed it.
struct ActionOutcome {
  std::string redirect;
  std::optional<Error> refused;
  std::string page;
};

struct WebRoute {
  verb method = verb::get;
  std::string pattern;  // "/cases/{number}"
  // A page (GET) renders from a reader's snapshot...
  std::function<ApiResponse(Workspace&, WebRequest&)> page = {};
  // ...an action (POST) runs on the writer, inside a group commit.
  std::function<ActionOutcome(Workspace&, WebRequest&)> action = {};
  bool long_read = false;  // runs on the long readers (lists of every case, CSV downloads)
};

// The routes, by resource (pages_*.cc).
void add_case_pages(std::vector<WebRoute>& routes);
void add_list_pages(std::vector<WebRoute>& routes);
void add_case_actions(std::vector<WebRoute>& routes);
void add_workflow_pages(std::vector<WebRoute>& routes);
void add_report_pages(std::vector<WebRoute>& routes);
void add_admin_pages(std::vector<WebRoute>& routes);
void add_import_pages(std::vector<WebRoute>& routes);

// An HTML response of `status`.
ApiResponse html(std::string body, server::http::status status = server::http::status::ok);
// 303 See Other to `location`.
ApiResponse redirect(const std::string& location);
// A page that says `message` (not found, forbidden, a fault), in the layout.
ApiResponse message_page(const WebRequest& request, server::http::status status, const std::string& title,
                         const std::string& message);

class WebApp {
 public:
  WebApp(server::ApiThreads threads, server::Metrics& metrics, WebOptions options);
  // `served` (made when null) is told the route and the signed-in user, for the access log.
  void handle(server::Request&& request, const std::string& peer, server::Respond respond,
              std::shared_ptr<server::Served> served = nullptr);

 private:
  using Reply = std::function<void(ApiResponse)>;
  void serve_page(const WebRoute& route, WebRequest request, const std::string& session_key, Reply reply);
  void run_action(const WebRoute& route, WebRequest request, const std::string& session_key, Reply reply);
  void show_refused(WebRequest request, std::string page, Error refusal, Reply reply);
  void sign_in(WebRequest request, const std::string& pre_token, Reply reply);
  void sign_out(WebRequest request, const std::string& session_key, Reply reply);
  ApiResponse sign_in_page(const WebRequest& request, server::http::status status, const std::string& problem);
  // Finds the session; fills request.viewer. nullopt when there is none (sign in again).
  std::optional<SignIn::Session> session(Workspace& workspace, WebRequest& request, const std::string& key);
  std::string cookie(const std::string& name, const std::string& value, std::chrono::seconds max_age) const;

  server::ApiThreads threads_;
  server::Metrics& metrics_;
  WebOptions options_;
};

}  // namespace docket::web
