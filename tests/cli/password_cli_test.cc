// `docket user password` and `docket user revoke` through the real binary, for the web
// application's sign-in: what they store is checked with the store's SignIn on the same file.
#include "case_fixture.h"
#include "core/clock.h"
#include "store/database.h"
#include "store/sign_in.h"

namespace docket::cli_test {
namespace {

class PasswordCli : public CaseCliFixture {
 protected:
  // Runs docket ARGS... with `input` as its standard input.
  Outcome with_input(const std::string& input, std::vector<std::string> args) {
    return finish(start(std::move(args), "input", true, true, write("stdin.txt", input)));
  }
  std::unique_ptr<Database> database() {
    auto db = Database::open({db_, false, 5000, true});
    EXPECT_TRUE(db.ok());
    return db.ok() ? std::move(db.value()) : nullptr;
  }
  bool accepted(const std::string& user, const std::string& password) {
    auto db = database();
    if (db == nullptr) return false;
    auto verdict = SignIn(*db, clock_).verify(user, password, "127.0.0.1");
    EXPECT_TRUE(verdict.ok());
    return verdict.ok() && verdict->accepted;
  }

  SystemClock clock_;
};

TEST_F(PasswordCli, APasswordReadFromStandardInputSignsTheUserIn) {
  set_up_directory();
  const Outcome set = with_input("Mặt trận 2026\n", {"user", "password", "lan", "--stdin"});
  ASSERT_EQ(set.exit_code, 0) << set;
  EXPECT_EQ(set.out, "password of lan set\n");
  EXPECT_TRUE(accepted("lan", "Mặt trận 2026"));
  EXPECT_FALSE(accepted("lan", "Mặt trận 2026\n"));
  EXPECT_FALSE(accepted("hoa", "Mặt trận 2026")) << "another user has no password";
  // A line ending in CR LF (typed on Windows) is the same password.
  ASSERT_EQ(with_input("Mặt trận 2027\r\n", {"user", "password", "lan", "--stdin"}).exit_code, 0);
  EXPECT_TRUE(accepted("lan", "Mặt trận 2027"));
}

TEST_F(PasswordCli, BadPasswordsAndUnknownUsersAreRefusedAndChangeNothing) {
  set_up_directory();
  ASSERT_EQ(with_input("Mặt trận 2026\n", {"user", "password", "lan", "--stdin"}).exit_code, 0);
  const Outcome short_one = with_input("ngắn\n", {"user", "password", "lan", "--stdin"});
  EXPECT_EQ(short_one.exit_code, 1) << short_one;
  EXPECT_EQ(short_one.err, "docket: invalid_argument: the password is too short: at least 8 characters (it has 4)\n");
  const Outcome nobody = with_input("Mặt trận 2026\n", {"user", "password", "nobody", "--stdin"});
  EXPECT_EQ(nobody.exit_code, 1) << nobody;
  EXPECT_EQ(nobody.err, "docket: not_found: unknown user \"nobody\"\n");
  const Outcome empty = with_input("", {"user", "password", "lan", "--stdin"});
  EXPECT_EQ(empty.exit_code, 1) << empty;
  EXPECT_TRUE(contains(empty.err, "no password on standard input")) << empty;
  const Outcome no_terminal = with_input("Mặt trận 2028\n", {"user", "password", "lan"});
  EXPECT_EQ(no_terminal.exit_code, 1) << no_terminal;
  EXPECT_TRUE(contains(no_terminal.err, "standard input is not a terminal: give the password on it with --stdin"))
      << no_terminal;
  EXPECT_TRUE(accepted("lan", "Mặt trận 2026")) << "the first password still holds";
  EXPECT_EQ(docket({"user", "password"}).exit_code, 2) << "USER is required";
}

TEST_F(PasswordCli, RevokingAUsersAccessEndsTheirWebSessions) {
  set_up_directory();
  ok("", {"user", "token", "lan"});
  std::string key;
  {
    auto db = database();
    ASSERT_NE(db, nullptr);
    auto opened = SignIn(*db, clock_).open("lan", "127.0.0.1");
    ASSERT_TRUE(opened.ok());
    key = opened->key;
    ASSERT_TRUE(SignIn(*db, clock_).find(key).ok());
  }
  EXPECT_EQ(ok("", {"user", "revoke", "lan"}), "1 token(s) of lan revoked\n");
  auto db = database();
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(SignIn(*db, clock_).find(key).error().code, ErrorCode::not_found);
  EXPECT_TRUE(contains(ok("", {"audit", "export", "--admin"}), R"("type":"sessions.ended")"));
}

}  // namespace
}  // namespace docket::cli_test
