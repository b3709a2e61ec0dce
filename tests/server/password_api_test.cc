// PUT /api/v1/users/{id}/password: administrators set the password a user signs in to the web
// application with; what it stores is checked with the store's SignIn on the same file.
#include "server_fixture.h"
#include "store/admin_log.h"
#include "store/database.h"
#include "store/sign_in.h"

namespace docket::server_test {
namespace {

class PasswordApiTest : public ServerTest {
 protected:
  Reply put_password(const std::string& user, const std::string& target, const std::string& body,
                     const std::string& idempotency_key = "") {
    Call call{http::verb::put, "/api/v1/users/" + target + "/password", token(user), body};
    call.idempotency_key = idempotency_key;
    return client_->send(call);
  }
  // Whether `password` signs `user` in, as the web application would ask.
  bool accepted(const std::string& user, const std::string& password) {
    auto db = Database::open({db_path_, false, 5000, true});
    EXPECT_TRUE(db.ok());
    if (!db.ok()) return false;
    auto verdict = SignIn(**db, clock_).verify(user, password, "127.0.0.1");
    EXPECT_TRUE(verdict.ok());
    return verdict.ok() && verdict->accepted;
  }
};

TEST_F(PasswordApiTest, AnAdministratorSetsAPasswordThatThenSignsTheUserIn) {
  const Reply set = put_password("admin", "lan", R"({"password":"Mặt trận 2026"})", "retry-1");
  ASSERT_EQ(set.status, 200) << set;
  EXPECT_EQ(set.at("/id"), "lan");
  EXPECT_TRUE(accepted("lan", "Mặt trận 2026"));
  EXPECT_FALSE(accepted("lan", "Mặt trận 2025"));
  const Reply log = get("admin", "/api/v1/audit/export?log=admin");
  ASSERT_EQ(log.status, 200) << log;
  const auto event = log.body.find(R"("type":"user.password_set")");
  ASSERT_NE(event, std::string::npos) << log.body;
  const std::string line = log.body.substr(event, log.body.find('\n', event) - event);
  EXPECT_NE(line.find(R"("actor":"admin","payload":{"user":"lan"})"), std::string::npos) << line;
  EXPECT_EQ(log.body.find("Mặt trận"), std::string::npos) << "the password is not in the log";
  auto db = Database::open({db_path_, false, 5000, true});
  ASSERT_TRUE(db.ok());
  EXPECT_EQ((*db)->sql().execAndGet("SELECT COUNT(*) FROM idempotency").getInt(), 0)
      << "no record of the request body, not even its hash";
}

TEST_F(PasswordApiTest, OnlyAdministratorsSetPasswordsAndBadOnesAreRefused) {
  EXPECT_TRUE(is_error(put_password("lan", "lan", R"({"password":"Mặt trận 2026"})"), 403, "role_not_allowed"));
  EXPECT_TRUE(is_error(put_password("admin", "nobody", R"({"password":"Mặt trận 2026"})"), 404, "not_found"));
  const Reply short_one = put_password("admin", "lan", R"({"password":"ngắn"})");
  EXPECT_TRUE(is_error(short_one, 400, "invalid_argument"));
  EXPECT_NE(short_one.at("/error/message").find("too short"), std::string::npos) << short_one;
  EXPECT_TRUE(is_error(put_password("admin", "lan", R"({"pasword":"Mặt trận 2026"})"), 400, "invalid_argument"));
  EXPECT_TRUE(is_error(put_password("admin", "lan", R"({"password":12345678})"), 400, "invalid_argument"));
  EXPECT_FALSE(accepted("lan", "Mặt trận 2026"));
  EXPECT_FALSE(accepted("lan", "ngắn"));
}

}  // namespace
}  // namespace docket::server_test
