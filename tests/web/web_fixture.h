// The web pages' tests' fixture: the server fixture (server_fixture.h) with web sessions, opened
// on a connection of the test's own as the sign-in page would open them, and pages fetched with
// the session's cookie, as a browser sends it.
#pragma once

#include <regex>
#include <string>

#include "../server/server_fixture.h"
#include "store/database.h"
#include "store/sign_in.h"

namespace docket::server_test {

class WebTest : public ServerTest {
 protected:
  // A web session of `user`.
  std::string session_of(const std::string& user) {
    auto db = Database::open(DatabaseOptions{db_path_, false, 5000, true});
    EXPECT_TRUE(db.ok());
    if (!db) return "";
    auto opened = SignIn(**db, clock_).open(user, "127.0.0.1");
    EXPECT_TRUE(opened.ok()) << opened.error().message;
    return opened ? opened->key : "";
  }

  // GET `target` (a page or a download) in `session`.
  Reply page(const std::string& session, const std::string& target) {
    Call call(http::verb::get, target, "");
    call.headers.emplace_back("Cookie", "docket_session=" + session);
    return client_->send(call);
  }

  // The CSRF token the forms of `html` carry ("" when none).
  static std::string csrf_of(const std::string& html) {
    std::smatch token;
    if (!std::regex_search(html, token, std::regex("name=\"csrf\" value=\"([^\"]+)\""))) return "";
    return token[1].str();
  }

  // POSTs `body` of `content_type` to `target` in `session`, as a browser submits a form.
  Reply submit(const std::string& session, const std::string& target, const std::string& body,
               const std::string& content_type = "application/x-www-form-urlencoded") {
    Call call(http::verb::post, target, "", body);
    call.content_type = content_type;
    call.headers.emplace_back("Cookie", "docket_session=" + session);
    return client_->send(call);
  }
};

}  // namespace docket::server_test
