// The web pages' tests' fixture: the server fixture (server_fixture.h) with web sessions, opened
// on a connection of the test's own as the sign-in page would open them, and pages fetched with
// the session's cookie, as a browser sends it.
#pragma once

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
};

}  // namespace docket::server_test
