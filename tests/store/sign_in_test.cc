// Passwords and sign-in sessions (store/sign_in.h) on a real SQLite file, the time moved by a
// FixedClock: the answers a sign-in form gives, how failed attempts are slowed down, and when a
// session stops being honoured.
#include "store/sign_in.h"

#include <gtest/gtest.h>

#include "store/admin_log.h"
#include "store_fixture.h"

namespace docket::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr const char* kPassword = "mật khẩu của Lan";  // 16 characters, more bytes
constexpr const char* kHome = "192.0.2.10";

class SignInTest : public StoreTest {
 protected:
  SignIn sign_in() { return SignIn(*db_, clock_); }

  void set_password(const std::string& user, const std::string& password) {
    const Status done = sign_in().set_password(user, password, "admin");
    ASSERT_TRUE(done.ok()) << done.error().message;
  }
  SignIn::Verdict verify(const std::string& user, const std::string& password, const std::string& address = kHome) {
    auto verdict = sign_in().verify(user, password, address);
    EXPECT_TRUE(verdict.ok()) << verdict.error().message;
    return verdict.ok() ? verdict.value() : SignIn::Verdict{};
  }
  // A wrong password tried and counted, as a sign-in form does; the verdict it got.
  SignIn::Verdict fail(const std::string& user, const std::string& address = kHome) {
    const SignIn::Verdict verdict = verify(user, "not the password", address);
    EXPECT_FALSE(verdict.accepted);
    if (!verdict.wait) {
      EXPECT_TRUE(sign_in().record_failure(user, address).ok());
    }
    return verdict;
  }
  SignIn::Opened open(const std::string& user, const std::string& address = kHome) {
    auto opened = sign_in().open(user, address);
    EXPECT_TRUE(opened.ok()) << opened.error().message;
    return opened.ok() ? opened.value() : SignIn::Opened{};
  }
  bool live(const std::string& key) { return sign_in().find(key).ok(); }
  std::vector<AdminEvent> events_of_type(const std::string& type) {
    auto all = admin_events(*db_);
    EXPECT_TRUE(all.ok());
    std::vector<AdminEvent> found;
    for (const AdminEvent& event : all.value())
      if (event.type == type) found.push_back(event);
    return found;
  }
};

TEST_F(SignInTest, APasswordSetIsAcceptedAndOnlyItsHashIsKept) {
  set_password("lan", kPassword);
  EXPECT_TRUE(verify("lan", kPassword).accepted);
  EXPECT_FALSE(verify("lan", "mật khẩu của lan").accepted);
  const std::string stored =
      db_->sql().execAndGet("SELECT password_hash FROM user_passwords WHERE user_id = 'lan'").getString();
  EXPECT_EQ(stored.rfind("$argon2id$", 0), 0u) << stored;
  const std::vector<AdminEvent> set = events_of_type("user.password_set");
  ASSERT_EQ(set.size(), 1u);
  EXPECT_EQ(set[0].actor, "admin");
  EXPECT_EQ(set[0].payload_json, R"({"user":"lan"})");
  // A new password replaces the old one.
  set_password("lan", "một mật khẩu mới");
  EXPECT_FALSE(verify("lan", kPassword).accepted);
  EXPECT_TRUE(verify("lan", "một mật khẩu mới").accepted);
}

TEST_F(SignInTest, PasswordsTooShortTooLongOrForUnknownUsersAreRefused) {
  const auto code_of = [&](const std::string& user, const std::string& password) {
    const Status done = sign_in().set_password(user, password);
    return done.ok() ? std::string("ok") : std::string(to_string(done.error().code)) + ": " + done.error().message;
  };
  EXPECT_EQ(code_of("lan", "mậtkhẩu"), "invalid_argument: the password is too short: at least 8 characters (it has 7)");
  EXPECT_EQ(code_of("lan", "mậtkhẩu1"), "ok");  // 8 characters in 10 bytes
  EXPECT_EQ(code_of("lan", std::string(1025, 'a')), "invalid_argument: the password is too long: at most 1024 bytes");
  EXPECT_EQ(code_of("lan", "password\xff"), "invalid_argument: the password is not valid UTF-8");
  EXPECT_EQ(code_of("nobody", kPassword), "not_found: unknown user \"nobody\"");
  EXPECT_EQ(events_of_type("user.password_set").size(), 1u);
}

TEST_F(SignInTest, AWrongPasswordAnUnknownUserAndAUserWithoutPasswordGetTheSameRefusal) {
  set_password("lan", kPassword);
  for (const std::string user : {"lan", "nobody", "chu-tich"}) {  // chu-tich has no password
    const SignIn::Verdict verdict = verify(user, kPassword + std::string("!"));
    EXPECT_FALSE(verdict.accepted) << user;
    EXPECT_FALSE(verdict.wait) << user;
  }
  EXPECT_FALSE(verify("chu-tich", "").accepted);
  // And the same schedule of waits: an unknown name is counted as a known one is.
  for (int i = 0; i < 4; ++i) {
    fail("lan", "198.51.100." + std::to_string(i));
    fail("nobody", "203.0.113." + std::to_string(i));
  }
  EXPECT_EQ(verify("lan", kPassword, "198.51.100.99").wait, seconds(1));
  EXPECT_EQ(verify("nobody", kPassword, "203.0.113.99").wait, seconds(1));
}

TEST_F(SignInTest, FailuresInARowAreSlowedDownThenLockedOut) {
  set_password("lan", kPassword);
  // From different addresses each time: the user's own count is what asks for the waits.
  const auto from = [](int attempt) { return "198.51.100." + std::to_string(attempt); };
  for (int failure = 1; failure <= 3; ++failure) EXPECT_FALSE(fail("lan", from(failure)).wait) << failure;
  const std::vector<seconds> waits{seconds(1), seconds(2), seconds(4), seconds(8), seconds(16), seconds(32)};
  for (std::size_t i = 0; i < waits.size(); ++i) {
    EXPECT_FALSE(fail("lan", from(static_cast<int>(4 + i))).wait);
    const SignIn::Verdict waiting = verify("lan", kPassword, from(50));
    EXPECT_FALSE(waiting.accepted) << "the right password, unchecked while a wait is asked for";
    EXPECT_EQ(waiting.wait, waits[i]) << "after failure " << 4 + i;
    clock_.advance(waits[i] - seconds(1));
    if (waits[i] > seconds(1)) {
      EXPECT_EQ(verify("lan", kPassword, from(50)).wait, seconds(1));
    }
    clock_.advance(seconds(1));
  }
  EXPECT_FALSE(fail("lan", from(10)).wait);  // the 10th failure: locked out from here
  EXPECT_EQ(verify("lan", kPassword, from(50)).wait, minutes(15));
  clock_.advance(minutes(14));
  EXPECT_EQ(verify("lan", kPassword, from(50)).wait, minutes(1));
  clock_.advance(minutes(1));
  EXPECT_TRUE(verify("lan", kPassword, from(50)).accepted);
  EXPECT_FALSE(fail("lan", from(11)).wait);
  EXPECT_EQ(verify("lan", kPassword, from(50)).wait, minutes(15)) << "the 11th failure in a row locks out again";
}

TEST_F(SignInTest, ASuccessfulSignInClearsTheCounts) {
  set_password("lan", kPassword);
  for (int failure = 1; failure <= 5; ++failure) fail("lan");
  clock_.advance(minutes(1));
  ASSERT_TRUE(verify("lan", kPassword).accepted);
  open("lan");
  fail("lan");
  EXPECT_FALSE(verify("lan", kPassword).wait) << "one failure after a success asks for no wait";
}

TEST_F(SignInTest, FailuresAreCountedPerAddressToo) {
  set_password("lan", kPassword);
  const char* attacker = "203.0.113.7";
  for (const char* user : {"a", "b", "c", "d"}) fail(user, attacker);
  EXPECT_EQ(verify("lan", kPassword, attacker).wait, seconds(1)) << "a user never tried from this address";
  EXPECT_TRUE(verify("lan", kPassword, kHome).accepted) << "the same user from another address";
  clock_.advance(hours(24));
  fail("e", attacker);
  EXPECT_FALSE(verify("lan", kPassword, attacker).wait) << "a day after the last failure, a new run begins";
}

TEST_F(SignInTest, ASessionNamesItsUserCsrfTokenAndAdministratorFlag) {
  ASSERT_TRUE(Directory(*db_, clock_).set_admin("chu-tich", true).ok());
  const SignIn::Opened lan = open("lan");
  const SignIn::Opened chair = open("chu-tich");
  EXPECT_EQ(lan.key.size(), 43u);
  EXPECT_EQ(lan.csrf.size(), 43u);
  EXPECT_EQ(lan.key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_NE(lan.key, chair.key);
  EXPECT_NE(lan.key, lan.csrf);
  auto found = sign_in().find(lan.key);
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(found->user, "lan");
  EXPECT_FALSE(found->admin);
  EXPECT_EQ(found->csrf, lan.csrf);
  EXPECT_EQ(found->last_seen, clock_.now());
  auto admin = sign_in().find(chair.key);
  ASSERT_TRUE(admin.ok());
  EXPECT_TRUE(admin->admin);
  EXPECT_EQ(sign_in().find("not-a-key").error().code, ErrorCode::not_found);
  EXPECT_EQ(sign_in().open("nobody", kHome).error().code, ErrorCode::not_found);
  EXPECT_EQ(db_->sql().execAndGet("SELECT COUNT(*) FROM web_sessions WHERE csrf = '" + lan.csrf + "'").getInt(), 1)
      << "the csrf token is kept";
  EXPECT_EQ(db_->sql().execAndGet("SELECT COUNT(*) FROM web_sessions WHERE key_sha256 = '" + lan.key + "'").getInt(), 0)
      << "the key itself is not";
  EXPECT_TRUE(events_of_type("sessions.ended").empty()) << "signing in is not an administrative change";
}

TEST_F(SignInTest, ASessionUnusedForTheIdleLimitEndsAndTouchingExtendsIt) {
  const SignIn::Opened opened = open("lan");
  clock_.advance(minutes(29));
  ASSERT_TRUE(sign_in().touch(opened.key).ok());
  EXPECT_EQ(sign_in().find(opened.key)->last_seen, clock_.now());
  clock_.advance(minutes(29));
  EXPECT_TRUE(live(opened.key)) << "29 minutes after the touch";
  clock_.advance(minutes(1));
  EXPECT_FALSE(live(opened.key)) << "30 minutes unused";
  ASSERT_TRUE(sign_in().touch(opened.key).ok());
  EXPECT_FALSE(live(opened.key)) << "touching an expired session does not bring it back";
}

TEST_F(SignInTest, ASessionEndsAtTheAbsoluteLimitHoweverMuchItIsUsed) {
  SignIn short_sessions(*db_, clock_, SessionLimits{minutes(10), hours(1), minutes(15)});
  const auto opened = short_sessions.open("lan", kHome);
  ASSERT_TRUE(opened.ok());
  for (int i = 0; i < 6; ++i) {
    clock_.advance(minutes(9));
    ASSERT_TRUE(short_sessions.touch(opened->key).ok());
  }
  clock_.advance(minutes(5));
  EXPECT_TRUE(short_sessions.find(opened->key).ok()) << "59 minutes in, touched every 9 minutes";
  clock_.advance(minutes(1));
  EXPECT_FALSE(short_sessions.find(opened->key).ok()) << "60 minutes in";
  (void)short_sessions.touch(opened->key);
  EXPECT_FALSE(short_sessions.find(opened->key).ok());
}

TEST_F(SignInTest, SignOutEndsOneSessionAndCloseAllEndsEveryOne) {
  const SignIn::Opened first = open("lan");
  const SignIn::Opened second = open("lan", "198.51.100.1");
  const SignIn::Opened third = open("lan", "198.51.100.2");
  const SignIn::Opened other = open("chu-tich");
  ASSERT_TRUE(sign_in().close(first.key).ok());
  EXPECT_FALSE(live(first.key));
  EXPECT_TRUE(live(second.key));
  EXPECT_TRUE(sign_in().close("unknown").ok());
  EXPECT_TRUE(sign_in().close(first.key).ok()) << "signing out twice";
  auto ended = sign_in().close_all("lan", "admin");
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(ended.value(), 2);
  EXPECT_FALSE(live(second.key));
  EXPECT_FALSE(live(third.key));
  EXPECT_TRUE(live(other.key));
  const std::vector<AdminEvent> recorded = events_of_type("sessions.ended");
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].payload_json, R"({"count":2,"user":"lan"})");
  EXPECT_EQ(sign_in().close_all("lan").value(), 0);
  EXPECT_EQ(sign_in().close_all("nobody").value(), 0);
  EXPECT_EQ(events_of_type("sessions.ended").size(), 1u) << "no event when none was live";
}

TEST_F(SignInTest, RevokingAUsersAccessEndsTheirSessionsToo) {
  const SignIn::Opened opened = open("lan");
  SignIn long_sessions(*db_, clock_, SessionLimits{hours(48), hours(48), minutes(15)});
  clock_.advance(hours(1));  // expired under the default limits, not under these
  ASSERT_TRUE(long_sessions.find(opened.key).ok());
  auto revoked = Directory(*db_, clock_).revoke_tokens("lan", "admin");
  ASSERT_TRUE(revoked.ok()) << revoked.error().message;
  EXPECT_EQ(revoked.value(), 0) << "lan had no API token";
  EXPECT_FALSE(long_sessions.find(opened.key).ok()) << "a session the server's limits keep alive ends as well";
}

TEST_F(SignInTest, TheSignInTablesSurviveTheMigrationRunningAgain) {
  set_password("lan", kPassword);
  const SignIn::Opened opened = open("lan");
  db_->sql().exec("PRAGMA user_version = 10");
  store_.reset();
  db_.reset();
  db_ = open_db();
  ASSERT_NE(db_, nullptr);
  EXPECT_TRUE(verify("lan", kPassword).accepted);
  EXPECT_TRUE(live(opened.key));
}

}  // namespace
}  // namespace docket::testing
