// The directory and the registries as their callers rely on them: what they record is stamped
// with the injected clock, and a storage fault in any read comes back as an error, never as a
// SQLite exception.
#include <gtest/gtest.h>

#include "core/time.h"
#include "store/calendar_registry.h"
#include "store_fixture.h"

namespace docket::testing {
namespace {

class DirectoryTest : public StoreTest {
 protected:
  std::string column(const std::string& sql) { return db_->sql().execAndGet(sql).getString(); }

  // Every read of `directory` fails with a storage error naming the missing table.
  static void expect_storage_errors(Directory& directory) {
    const auto expect_storage = [](const auto& result, const char* what) {
      ASSERT_FALSE(result.ok()) << what;
      EXPECT_EQ(result.error().code, ErrorCode::storage) << what << ": " << result.error().message;
      EXPECT_NE(result.error().message.find("no such table"), std::string::npos) << result.error().message;
    };
    expect_storage(directory.units(), "units");
    expect_storage(directory.unit("ninh-binh"), "unit");
    expect_storage(directory.subtree("ninh-binh"), "subtree");
    expect_storage(directory.users(), "users");
    expect_storage(directory.user("lan"), "user");
    expect_storage(directory.roles_at("lan", "ninh-binh"), "roles_at");
    expect_storage(directory.is_admin("lan"), "is_admin");
    expect_storage(directory.email("lan"), "email");
    expect_storage(directory.users_with_role("ninh-binh", "officer"), "users_with_role");
    expect_storage(directory.authenticate("dkt_unknown"), "authenticate");
    expect_storage(directory.issue_token("lan"), "issue_token");
  }
};

TEST_F(DirectoryTest, UsersTokensWorkflowsAndCalendarsCarryTheInjectedClocksTime) {
  // Installed and created by the fixture under its clock.
  EXPECT_EQ(column("SELECT MIN(installed_at) || ' ' || MAX(installed_at) FROM workflows"),
            "2026-03-02T02:00:00Z 2026-03-02T02:00:00Z");
  EXPECT_EQ(column("SELECT created_at FROM users WHERE id = 'lan'"), "2026-03-02T02:00:00Z");

  clock_.set(*parse_datetime("2031-07-04T05:06:07Z"));
  ASSERT_TRUE(
      CalendarRegistry(*db_, clock_).install_directory(std::filesystem::path(DOCKET_WORKFLOWS_DIR) / "calendars").ok());
  EXPECT_EQ(column("SELECT MIN(installed_at) || ' ' || MAX(installed_at) FROM calendars"),
            "2031-07-04T05:06:07Z 2031-07-04T05:06:07Z");
  Directory directory(*db_, clock_);
  ASSERT_TRUE(directory.add_user("hoa", "Trần Thị Hoa", "gia-vien", {"officer"}).ok());
  EXPECT_EQ(column("SELECT created_at FROM users WHERE id = 'hoa'"), "2031-07-04T05:06:07Z");
  ASSERT_TRUE(directory.issue_token("hoa").ok());
  EXPECT_EQ(column("SELECT created_at FROM tokens WHERE user_id = 'hoa'"), "2031-07-04T05:06:07Z");

  clock_.advance(std::chrono::hours{24});
  ASSERT_EQ(directory.revoke_tokens("hoa").value(), 1);
  EXPECT_EQ(column("SELECT revoked_at FROM tokens WHERE user_id = 'hoa'"), "2031-07-05T05:06:07Z");
}

TEST_F(DirectoryTest, ReadsAnswerAStorageFaultWithAnErrorNotAnException) {
  Directory directory(*db_, clock_);
  ASSERT_TRUE(directory.issue_token("lan").ok());
  for (const char* table : {"org_units", "user_roles", "tokens", "users"})
    db_->sql().exec(std::string("ALTER TABLE ") + table + " RENAME TO gone_" + table);
  expect_storage_errors(directory);
  Directory fresh(*db_, clock_);  // nothing read and kept before the fault
  expect_storage_errors(fresh);
  const Status added = fresh.add_user("hoa", "Trần Thị Hoa", "gia-vien", {"officer"});
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().code, ErrorCode::storage) << added.error().message;
}

TEST_F(DirectoryTest, RegistriesAnswerAStorageFaultWithAnErrorNotAnException) {
  db_->sql().exec("ALTER TABLE workflows RENAME TO gone_workflows");
  db_->sql().exec("ALTER TABLE calendars RENAME TO gone_calendars");
  const auto catalog = WorkflowRegistry(*db_, clock_).catalog();
  ASSERT_FALSE(catalog.ok());
  EXPECT_EQ(catalog.error().code, ErrorCode::storage);
  const auto calendar = CalendarRegistry(*db_, clock_).calendar();
  ASSERT_FALSE(calendar.ok());
  EXPECT_EQ(calendar.error().code, ErrorCode::storage);
  // A user's roles are checked against the installed workflows: that read fails the same way.
  const Status added = Directory(*db_, clock_).add_user("hoa", "Trần Thị Hoa", "gia-vien", {"officer"});
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().code, ErrorCode::storage) << added.error().message;
}

}  // namespace
}  // namespace docket::testing
