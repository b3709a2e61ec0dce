// The administrative log as an auditor relies on it: every change to units, users, roles,
// administrators, tokens, calendars and workflows leaves one event naming who made it, in the
// change's own transaction (a refused change leaves none); the chain and its tip catch an event
// changed or cut off behind Docket's back.
#include <gtest/gtest.h>

#include <sstream>

#include "core/time.h"
#include "store/admin_log.h"
#include "store/calendar_registry.h"
#include "store_fixture.h"

namespace docket::testing {
namespace {

class AdminLogTest : public StoreTest {
 protected:
  // The events recorded since `from` (a seq), as "type actor payload".
  std::vector<std::string> events_after(std::int64_t from) {
    std::vector<std::string> found;
    for (const AdminEvent& event : admin_events(*db_).value()) {
      if (event.seq > from) found.push_back(event.type + " " + event.actor + " " + event.payload_json);
    }
    return found;
  }
  std::int64_t newest() {
    const auto events = admin_events(*db_).value();
    return events.empty() ? 0 : events.back().seq;
  }
  void tamper(const std::string& sql) {
    db_->sql().exec("DROP TRIGGER IF EXISTS admin_events_no_update");
    db_->sql().exec("DROP TRIGGER IF EXISTS admin_events_no_delete");
    db_->sql().exec(sql);
  }
};

TEST_F(AdminLogTest, TheFixturesSetUpIsInTheLogInOrder) {
  // Three workflows installed, two units, three users with four roles.
  const auto events = events_after(0);
  ASSERT_EQ(events.size(), 3u + 2u + 3u + 4u);
  EXPECT_EQ(events[0].rfind("workflow.installed system {\"source_sha256\":\"", 0), 0u) << events[0];
  EXPECT_EQ(
      events[3],
      R"(unit.added system {"level":"province","name":"Ủy ban MTTQ Việt Nam tỉnh Ninh Bình","parent":"","unit":"ninh-binh"})");
  EXPECT_EQ(events[5], R"(user.added system {"name":"Phạm Văn Hùng","user":"chu-tich"})");
  EXPECT_EQ(events[6], R"(role.granted system {"role":"standing_board","unit":"ninh-binh","user":"chu-tich"})");
  EXPECT_TRUE(verify_admin_log(*db_).value().ok);
}

TEST_F(AdminLogTest, EveryKindOfChangeLeavesItsEventNamingWhoMadeIt) {
  Directory directory(*db_, clock_);
  const std::int64_t before = newest();
  ASSERT_TRUE(directory.add_unit({"hoa-lu", "Ủy ban MTTQ phường Hoa Lư", "commune", "ninh-binh"}, "quan-tri").ok());
  ASSERT_TRUE(directory.add_user("hoa", "Trần Thị Hoa", "hoa-lu", {"officer", "expert"}, "quan-tri").ok());
  ASSERT_TRUE(directory.add_user("hoa", "Trần Thị Hoa", "hoa-lu", {"officer"}, "quan-tri").ok());  // held: no event
  ASSERT_TRUE(directory.remove_roles("hoa", "hoa-lu", {"expert"}, "quan-tri").ok());
  ASSERT_TRUE(directory.set_admin("hoa", true, "quan-tri").ok());
  ASSERT_TRUE(directory.set_admin("hoa", true, "quan-tri").ok());  // unchanged: no event
  ASSERT_TRUE(directory.set_email("hoa", "hoa@mttq.vn", "quan-tri").ok());
  const std::string token = directory.issue_token("hoa", "quan-tri").value();
  ASSERT_EQ(directory.revoke_tokens("hoa", "quan-tri").value(), 1);
  ASSERT_TRUE(
      directory.rename_unit("hoa-lu", "Ủy ban MTTQ phường Tây Hoa Lư", *parse_date("2026-03-01"), "quan-tri").ok());
  ASSERT_TRUE(directory.move_unit("hoa-lu", "gia-vien", *parse_date("2026-03-02"), "quan-tri").ok());
  ASSERT_TRUE(directory.merge_unit("hoa-lu", "ninh-binh", *parse_date("2026-03-02"), "quan-tri").ok());
  ASSERT_TRUE(CalendarRegistry(*db_, clock_)
                  .install_directory(std::filesystem::path(DOCKET_WORKFLOWS_DIR) / "calendars", "quan-tri")
                  .ok());

  const auto events = events_after(before);
  ASSERT_GE(events.size(), 13u);
  const std::vector<std::string> expected = {
      R"(unit.added quan-tri {"level":"commune","name":"Ủy ban MTTQ phường Hoa Lư","parent":"ninh-binh","unit":"hoa-lu"})",
      R"(user.added quan-tri {"name":"Trần Thị Hoa","user":"hoa"})",
      R"(role.granted quan-tri {"role":"officer","unit":"hoa-lu","user":"hoa"})",
      R"(role.granted quan-tri {"role":"expert","unit":"hoa-lu","user":"hoa"})",
      R"(role.revoked quan-tri {"role":"expert","unit":"hoa-lu","user":"hoa"})",
      R"(admin.granted quan-tri {"user":"hoa"})",
      R"(user.email_set quan-tri {"email":"hoa@mttq.vn","user":"hoa"})",
  };
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(events[i], expected[i]) << i;
  // The token's id is recorded, never the token.
  EXPECT_EQ(events[7].rfind("token.issued quan-tri {\"token_id\":\"", 0), 0u) << events[7];
  EXPECT_EQ(events[7].find(token), std::string::npos);
  EXPECT_EQ(events[8], R"(tokens.revoked quan-tri {"count":1,"user":"hoa"})");
  EXPECT_EQ(
      events[9],
      R"(unit.renamed quan-tri {"effective":"2026-03-01","name":"Ủy ban MTTQ phường Tây Hoa Lư","previous_name":"Ủy ban MTTQ phường Hoa Lư","unit":"hoa-lu"})");
  EXPECT_EQ(
      events[10],
      R"(unit.moved quan-tri {"effective":"2026-03-02","parent":"gia-vien","previous_parent":"ninh-binh","unit":"hoa-lu"})");
  EXPECT_EQ(events[11], R"(unit.merged quan-tri {"effective":"2026-03-02","into":"ninh-binh","unit":"hoa-lu"})");
  EXPECT_EQ(events[12].rfind("calendar.installed quan-tri {\"calendar\":\"vn\",\"source_sha256\":\"", 0), 0u)
      << events[12];
  EXPECT_EQ(verify_admin_log(*db_).value().events_checked, newest());
}

TEST_F(AdminLogTest, ARefusedChangeLeavesNoEvent) {
  Directory directory(*db_, clock_);
  const std::int64_t before = newest();
  EXPECT_FALSE(directory.add_user("hoa", "Trần Thị Hoa", "khong-co", {"officer"}).ok());
  EXPECT_FALSE(directory.remove_roles("lan", "ninh-binh", {"officer", "expert"}).ok());  // not held: all or nothing
  EXPECT_FALSE(directory.import_units({{"a", "A", "commune", "ninh-binh"}, {"b", "B", "commune", "khong-co"}}).ok());
  EXPECT_EQ(newest(), before);
  EXPECT_EQ(directory.roles_at("lan", "ninh-binh").value(), (std::vector<std::string>{"department_head", "officer"}));
}

TEST_F(AdminLogTest, VerifyNamesAnEventChangedBehindDocketsBack) {
  tamper(
      "UPDATE admin_events SET payload = replace(payload, 'Nguyễn Thị Lan', 'Nguyễn Thị Lâm') WHERE type = "
      "'user.added'");
  const AdminLogReport report = verify_admin_log(*db_).value();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.seq, db_->sql().execAndGet("SELECT seq FROM admin_events WHERE payload LIKE '%Lâm%'").getInt64());
  EXPECT_NE(report.problem.find("was changed"), std::string::npos) << report.problem;
}

TEST_F(AdminLogTest, VerifyCatchesTheNewestEventsCutOff) {
  tamper("DELETE FROM admin_events WHERE seq = (SELECT MAX(seq) FROM admin_events)");
  const AdminLogReport report = verify_admin_log(*db_).value();
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.problem.find("ends early"), std::string::npos) << report.problem;
}

TEST_F(AdminLogTest, TheLogIsAppendOnly) {
  EXPECT_THROW(db_->sql().exec("DELETE FROM admin_events"), SQLite::Exception);
  EXPECT_THROW(db_->sql().exec("UPDATE admin_events SET actor = 'x'"), SQLite::Exception);
}

TEST_F(AdminLogTest, ExportLinksEachLineToTheOneBefore) {
  std::ostringstream out;
  ASSERT_TRUE(export_admin_log(*db_, out).ok());
  std::istringstream lines(out.str());
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_NE(first.find(R"("prev_hash":"0000000000000000000000000000000000000000000000000000000000000000")"),
            std::string::npos)
      << first;
  const auto hash_of = [](const std::string& line) {
    const auto at = line.find(R"("hash":")");
    return line.substr(at + 8, 64);
  };
  EXPECT_NE(second.find("\"prev_hash\":\"" + hash_of(first) + "\""), std::string::npos) << second;
}

}  // namespace
}  // namespace docket::testing
