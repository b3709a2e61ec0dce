// The server tests' fixture: a fresh SQLite file in a temporary folder with the built-in
// workflows and calendars installed, the organisation
//
//   ninh-binh (province)
//   ├── gia-vien (commune)
//   └── hoa-lu (commune)
//
// and users holding the workflows' roles, each with a bearer token; then the real server on a
// free loopback port, and an HTTP client for the test's own thread.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "http_client.h"
#include "server/server.h"

namespace docket::server_test {

// The users of the fixture (id -> unit and roles):
//   chu-tich     ninh-binh  standing_board
//   lan          ninh-binh  department_head, officer, delegation_head
//   so-ld        ninh-binh  drafting_body     (outside party of social-critique)
//   so-tc        ninh-binh  drafting_body     (another drafting body)
//   ubnd         ninh-binh  supervised_body   (outside party of supervision)
//   admin        ninh-binh  auditor, and an administrator
//   gv-chu-tich  gia-vien   standing_board
//   gv-can-bo    gia-vien   department_head, officer
//   hl-can-bo    hoa-lu     department_head, officer
//   revoked      ninh-binh  officer           (its token is revoked before the server starts)
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Stops the running server (if any) and starts one on the same database with `adjust`
  // applied to the default options (2 I/O threads, 2 readers, port 0).
  void restart(const std::function<void(server::ServerOptions&)>& adjust = {});
  unsigned short port() const { return server_->port(); }
  const std::string& token(const std::string& user) const { return tokens_.at(user); }

  // Requests as `user` on the test thread's client.
  Reply get(const std::string& user, const std::string& target) { return client_->get(target, token(user)); }
  Reply post(const std::string& user, const std::string& target, const std::string& body,
             const std::string& if_match = "", const std::string& key = "") {
    return client_->post(target, token(user), body, if_match, key);
  }
  // The case's current ETag as `user` reads it.
  std::string etag(const std::string& user, const std::string& number);
  // POSTs `body` to /api/v1/cases/NUMBER/<action> with the current ETag as If-Match.
  Reply act(const std::string& user, const std::string& number, const std::string& action, const std::string& body);
  Reply move(const std::string& user, const std::string& number, const std::string& transition,
             const std::string& fields_json = "{}");
  Reply upload(const std::string& user, const std::string& number, const std::string& kind, const std::string& name,
               const std::string& bytes, const std::string& media_type = "application/pdf");
  // Opens a case (fields as a JSON object text) and returns its number; fails the test on refusal.
  std::string open_case(const std::string& user, const std::string& workflow, const std::string& unit,
                        const std::string& title, const std::string& fields_json);
  // A social-critique case at `unit` naming `drafting_body`, opened by `user`.
  std::string open_critique(const std::string& user = "lan", const std::string& unit = "ninh-binh",
                            const std::string& drafting_body = "so-ld");
  // Moves a critique of ninh-binh opened by open_critique() on to "awaiting_answer" (its draft
  // recommendations are issued); fails the test on a refusal.
  void issue_critique(const std::string& number);
  // The event types of the case's history, in order, and its stage.changed transitions.
  std::vector<std::string> event_types(const std::string& number);
  std::vector<std::string> transitions_made(const std::string& number);

  struct Ran {
    int exit_code = -1;
    std::string out;  // its standard output and error together
  };
  // Runs `docket --db DB ARGS...` as a separate process and waits for it.
  Ran docket(std::vector<std::string> args);

  std::filesystem::path folder_;
  std::filesystem::path db_path_;
  FixedClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 3 / 2} + std::chrono::hours{2}};
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<server::Server> server_;
  std::unique_ptr<HttpClient> client_;

 private:
  void create_database();
};

// Asserts the one error shape {"error": {"code", "message", "details"}} with `status` and `code`.
::testing::AssertionResult is_error(const Reply& reply, int status, const std::string& code);

// A JSON string literal for `text` (quotes and escapes included).
std::string quoted(const std::string& text);

}  // namespace docket::server_test
