// The level above acts over the API (issue #23 items 1-4): a province reviewer reads, reviews
// and accepts a commune's report; the province standing board reads and acts on an escalated
// commune case; unassigning has a route of its own.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "server_fixture.h"
#include "store/database.h"
#include "store/directory.h"

namespace docket::server_test {
namespace {

class HierarchyApiTest : public ServerTest {
 protected:
  // Adds a user with a token to the running server's database (the server is restarted).
  void add_user(const std::string& id, const std::string& unit, const std::string& role) {
    {
      auto db = Database::open({db_path_, false, 5000, true});
      ASSERT_TRUE(db.ok()) << db.error().message;
      Directory directory(**db, clock_);
      ASSERT_TRUE(directory.add_user(id, id, unit, {role}).ok());
      auto issued = directory.issue_token(id);
      ASSERT_TRUE(issued.ok()) << issued.error().message;
      tokens_[id] = issued.value();
    }
    restart();
  }
  // A six-monthly report of gia-vien, submitted to the province.
  std::string submitted_report() {
    const std::string number = open_case("gv-chu-tich", "periodic-report", "gia-vien", "Báo cáo sơ kết 6 tháng",
                                         R"({"period":"h1","year":"2026","period_end":"2026-06-30"})");
    EXPECT_EQ(upload("gv-chu-tich", number, "report", "bao-cao.pdf", "%PDF báo cáo").status, 200);
    EXPECT_EQ(move("gv-chu-tich", number, "submit").status, 200);
    return number;
  }
  // Waits (up to 10 s) until the scheduler has escalated the case.
  bool escalated(const std::string& number) {
    for (int i = 0; i < 200; ++i) {
      const Reply reply = get("gv-chu-tich", "/api/v1/cases/" + number + "/history");
      if (reply.status == 200 && reply.body.find("case.escalated") != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
};

TEST_F(HierarchyApiTest, TheProvinceReviewerReviewsAndTheReviewingHeadAcceptsACommuneReport) {
  add_user("tra", "ninh-binh", "reviewer");
  add_user("thu", "ninh-binh", "reviewing_head");
  const std::string number = submitted_report();
  const Reply shown = get("tra", "/api/v1/cases/" + number);
  ASSERT_EQ(shown.status, 200) << shown;
  EXPECT_NE(get("tra", "/api/v1/cases").body.find(number), std::string::npos);
  ASSERT_EQ(act("tra", number, "comments", R"({"text":"Đã nhận"})").status, 200);
  ASSERT_EQ(move("tra", number, "review").status, 200);
  const Reply accepted = move("thu", number, "accept");
  ASSERT_EQ(accepted.status, 200) << accepted;
  EXPECT_EQ(accepted.at("/stage"), "accepted");
}

TEST_F(HierarchyApiTest, AReviewerOfAnotherBranchNeitherReadsNorReviewsTheReport) {
  add_user("hl-tra", "hoa-lu", "reviewer");  // a commune beside gia-vien, not above it
  const std::string number = submitted_report();
  EXPECT_TRUE(is_error(get("hl-tra", "/api/v1/cases/" + number), 404, "not_found"));
}

TEST_F(HierarchyApiTest, TheProvinceStandingBoardActsOnAnEscalatedCommuneCase) {
  const std::string number =
      open_case("gv-can-bo", "supervision", "gia-vien", "Giám sát bình xét hộ nghèo",
                R"({"subject":"Bình xét hộ nghèo","supervised_body":"ubnd","supervision_form":"delegation"})");
  EXPECT_TRUE(is_error(act("chu-tich", number, "comments", R"({"text":"Sớm"})"), 403, "role_not_allowed"));
  // The delegation's plan was due 15 days before a session that is already near: escalated at once.
  ASSERT_EQ(move("gv-chu-tich", number, "start_delegation", R"({"session_date":"2026-03-10"})").status, 200);
  ASSERT_TRUE(escalated(number));
  ASSERT_EQ(act("chu-tich", number, "comments", R"({"text":"Đề nghị khẩn trương"})").status, 200);
  ASSERT_EQ(act("chu-tich", number, "assign", R"({"assignee":"gv-can-bo"})").status, 200);
  ASSERT_EQ(upload("gv-can-bo", number, "plan", "ke-hoach.pdf", "%PDF kế hoạch").status, 200);
  ASSERT_EQ(upload("gv-can-bo", number, "decision", "quyet-dinh.pdf", "%PDF quyết định").status, 200);
  const Reply moved = move("chu-tich", number, "establish_delegation");
  ASSERT_EQ(moved.status, 200) << moved;
  EXPECT_EQ(moved.at("/stage"), "delegation_established");
}

TEST_F(HierarchyApiTest, UnassigningIsARouteOfItsOwnAndAnOutsideBodyIsNeverAssigned) {
  const std::string number = open_critique();
  EXPECT_TRUE(is_error(act("lan", number, "assign", R"({"assignee":"so-ld"})"), 400, "invalid_argument"));
  EXPECT_TRUE(is_error(act("lan", number, "assign", R"({"assignee":""})"), 400, "invalid_argument"));
  ASSERT_EQ(act("lan", number, "assign", R"({"assignee":"lan"})").status, 200);
  const Reply unassigned = act("lan", number, "unassign", "");
  ASSERT_EQ(unassigned.status, 200) << unassigned;
  EXPECT_EQ(unassigned.at("/assignee"), "");
  EXPECT_TRUE(is_error(act("lan", number, "unassign", "{}"), 400, "invalid_argument"));
}

TEST_F(HierarchyApiTest, AnOutsideBodyAnswersOnlyItsOwnIssuedRecommendations) {
  const std::string number = open_critique();
  ASSERT_EQ(act("lan", number, "recommendations", R"({"to":"so-ld","text":"Bổ sung đánh giá tác động."})").status, 200);
  ASSERT_EQ(act("lan", number, "recommendations", R"({"to":"UBND tỉnh Ninh Bình","text":"Bố trí kinh phí."})").status,
            200);
  EXPECT_TRUE(is_error(act("so-ld", number, "recommendations/1/answer", R"({"status":"accepted"})"), 422,
                       "transition_not_allowed"));
  issue_critique(number);
  EXPECT_TRUE(
      is_error(act("so-ld", number, "recommendations/2/answer", R"({"status":"accepted"})"), 403, "role_not_allowed"));
  ASSERT_EQ(act("so-ld", number, "recommendations/1/answer", R"({"status":"accepted"})").status, 200);
  const Reply recorded = act("lan", number, "recommendations/2/answer", R"({"status":"partly_accepted"})");
  ASSERT_EQ(recorded.status, 200) << recorded;
  const Reply history = get("lan", "/api/v1/cases/" + number + "/history");
  EXPECT_NE(history.body.find(R"("recorded_for":"UBND tỉnh Ninh Bình")"), std::string::npos) << history;
}

}  // namespace
}  // namespace docket::server_test
