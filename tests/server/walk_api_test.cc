// The scripted walk of issue #23 over the HTTP API: the walks of tests/cli/walk_cli_test.cc, with
// the same roles at the same levels (the commune gia-vien and the province ninh-binh above it),
// on the fixture's fixed clock, so that every due date, those counted from the day a stage is
// entered included, is checked against a hand count on the vn calendar. The clock is moved only
// between steps, with the server stopped, to a moment when no timer of the case is due unless
// the walk waits for it (the escalation), so the scheduler never races a step.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/time.h"
#include "server_fixture.h"
#include "store/database.h"
#include "store/directory.h"

namespace docket::server_test {
namespace {

using Steps = std::vector<std::string>;

class WalkApiTest : public ServerTest {
 protected:
  // Besides the fixture's users: the commune's outside bodies, delegation head and (wrong-level)
  // reviewer, and the province's reviewer and reviewing head.
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    {
      auto db = Database::open({db_path_, false, 5000, true});
      ASSERT_TRUE(db.ok()) << db.error().message;
      Directory directory(**db, clock_);
      const std::vector<std::vector<std::string>> users = {{"gv-soan-thao", "gia-vien", "drafting_body"},
                                                           {"gv-ubnd", "gia-vien", "supervised_body"},
                                                           {"gv-truong-doan", "gia-vien", "delegation_head"},
                                                           {"gv-tra", "gia-vien", "reviewer"},
                                                           {"tra", "ninh-binh", "reviewer"},
                                                           {"thu", "ninh-binh", "reviewing_head"}};
      for (const auto& user : users) {
        ASSERT_TRUE(directory.add_user(user[0], user[0], user[1], {user[2]}).ok());
        auto issued = directory.issue_token(user[0]);
        ASSERT_TRUE(issued.ok()) << issued.error().message;
        tokens_[user[0]] = issued.value();
      }
    }
    restart();
  }

  // Restarts the server with its clock at `moment` (UTC).
  void now_is(const char* moment) {
    restart([this, moment](server::ServerOptions&) { clock_.set(*parse_datetime(moment)); });
  }
  std::string stage_of(const std::string& number) { return get("admin", "/api/v1/cases/" + number).at("/stage"); }
  std::string due_of(const std::string& number) { return get("admin", "/api/v1/cases/" + number).at("/deadline/due"); }
  // `user` moves the case by `transition` and it reaches `stage`.
  void step(const std::string& user, const std::string& number, const std::string& transition, const std::string& stage,
            const std::string& fields = "{}") {
    const Reply moved = move(user, number, transition, fields);
    EXPECT_EQ(moved.status, 200) << user << " " << transition << ": " << moved;
    EXPECT_EQ(moved.at("/stage"), stage) << moved;
  }
  void attach(const std::string& user, const std::string& number, const std::string& kind) {
    const Reply attached = upload(user, number, kind, kind + ".pdf", "%PDF-1.4 " + kind);
    EXPECT_EQ(attached.status, 200) << attached;
  }
  void ok(const Reply& reply) { EXPECT_EQ(reply.status, 200) << reply; }
  // `reply` (to a request by a user of the wrong role or level) is the error `status`/`code`, and
  // the case did not change.
  void refused(const std::string& number, long long version, const Reply& reply, int status = 403,
               const std::string& code = "role_not_allowed") {
    EXPECT_TRUE(is_error(reply, status, code));
    EXPECT_EQ(get("admin", "/api/v1/cases/" + number).number("/version"), version) << reply;
  }
  long long version_of(const std::string& number) { return get("admin", "/api/v1/cases/" + number).number("/version"); }
  Reply refuse_move(const std::string& user, const std::string& number, const std::string& transition,
                    const std::string& fields = "{}") {
    const long long version = version_of(number);
    const Reply reply = post(user, "/api/v1/cases/" + number + "/transitions",
                             R"({"transition":)" + quoted(transition) + R"(,"fields":)" + fields + "}",
                             "\"" + std::to_string(version) + "\"");
    refused(number, version, reply);
    return reply;
  }
  // Waits (up to 10 s) until the scheduler has escalated the case.
  bool escalated(const std::string& number) {
    for (int i = 0; i < 200; ++i) {
      if (get("admin", "/api/v1/cases/" + number + "/history").body.find("case.escalated") != std::string::npos)
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  // "type by actor" for every event of the history but the deadline bookkeeping.
  Steps history_of(const std::string& number) {
    const rapidjson::Document body = get("admin", "/api/v1/cases/" + number + "/history").json();
    Steps steps;
    if (!body.IsObject() || !body.HasMember("events")) return steps;
    for (const auto& event : body["events"].GetArray()) {
      const std::string type = event["type"].GetString();
      if (type.rfind("deadline.", 0) != 0) steps.push_back(type + " by " + event["actor"].GetString());
    }
    return steps;
  }
};

TEST_F(WalkApiTest, ASocialCritiqueAcrossTet2027IsWalkedByEveryRoleOfTheCommune) {
  now_is("2027-01-20T02:00:00Z");  // Wed 20 Jan 2027, 09:00 in Vietnam
  const std::string number = open_case("gv-can-bo", "social-critique", "gia-vien", "Đề án chợ nông thôn",
                                       R"({"drafting_body":"gv-soan-thao","received_date":"2027-01-19",
                                           "submission_date":"2027-02-12","document_title":"Đề án chợ",
                                           "issuing_authority":"UBND xã Gia Viễn"})");
  // 1 day before Fri 12 Feb 2027 is Thu 11 Feb, rolled back over Thu 11 and Wed 10 (days in
  // lieu of mùng 1 and 2 Tết), Tue 9 and Mon 8 (mùng 4 and 3), Sun 7, Sat 6 and Fri 5 (29 Chạp).
  EXPECT_EQ(due_of(number), "2027-02-04");
  attach("gv-soan-thao", number, "draft");
  EXPECT_TRUE(is_error(get("hl-can-bo", "/api/v1/cases/" + number), 404, "not_found"));  // a commune beside

  refuse_move("gv-soan-thao", number, "assign");
  step("gv-can-bo", number, "assign", "assigned");
  refuse_move("chu-tich", number, "choose_form", R"({"critique_form":"conference"})");  // not escalated to it
  step("gv-chu-tich", number, "choose_form", "form_chosen", R"({"critique_form":"conference"})");
  refuse_move("gv-chu-tich", number, "hold_meeting", R"({"event_time":"2027-01-28T08:00+07:00"})");
  step("gv-can-bo", number, "hold_meeting", "in_progress", R"({"event_time":"2027-01-28T08:00+07:00"})");
  attach("gv-can-bo", number, "critique");
  refuse_move("gv-soan-thao", number, "submit_critique_draft");
  step("gv-can-bo", number, "submit_critique_draft", "drafted");
  refuse_move("gv-can-bo", number, "approve");
  step("gv-chu-tich", number, "approve", "approved");
  EXPECT_EQ(due_of(number), "2027-02-04");
  ok(act("gv-can-bo", number, "recommendations", R"({"to":"gv-soan-thao","text":"Đánh giá tác động"})"));
  ok(act("gv-can-bo", number, "recommendations", R"({"to":"UBND xã Gia Viễn","text":"Bố trí kinh phí"})"));
  refuse_move("gv-soan-thao", number, "issue");
  step("gv-can-bo", number, "issue", "awaiting_answer");
  // 20 days after Wed 20 Jan 2027 is Tue 9 Feb (mùng 4 Tết), rolled forward over Tue 9, Wed 10
  // and Thu 11 (days in lieu): Fri 12 Feb.
  EXPECT_EQ(due_of(number), "2027-02-12");

  now_is("2027-02-04T03:00:00Z");  // Thu 4 Feb 2027, 10:00 in Vietnam: the answers come in
  const long long before = version_of(number);
  refused(number, before, act("gv-soan-thao", number, "recommendations/2/answer", R"({"status":"accepted"})"));
  ok(act("gv-soan-thao", number, "recommendations/1/answer", R"({"status":"accepted"})"));
  ok(act("gv-can-bo", number, "recommendations/2/answer", R"({"status":"partly_accepted","text":"Một phần"})"));
  attach("gv-soan-thao", number, "reply");
  refuse_move("gv-chu-tich", number, "record_answer");
  step("gv-can-bo", number, "record_answer", "answered");
  // 10 working days after Thu 4 Feb 2027, skipping Fri 5 to Thu 11 (Tết, its weekend and the
  // days in lieu) and the weekends of 13-14 and 20-21 Feb: Fri 12, 15-19, 22-25 Feb.
  EXPECT_EQ(due_of(number), "2027-02-25");
  refuse_move("gv-soan-thao", number, "close");
  step("gv-chu-tich", number, "close", "closed");
  EXPECT_EQ(due_of(number), "");

  EXPECT_NE(get("admin", "/api/v1/cases/" + number + "/history").body.find(R"("recorded_for":"UBND xã Gia Viễn")"),
            std::string::npos);
  EXPECT_EQ(
      history_of(number),
      (Steps{"case.opened by gv-can-bo", "document.attached by gv-soan-thao", "stage.changed by gv-can-bo",
             "stage.changed by gv-chu-tich", "stage.changed by gv-can-bo", "document.attached by gv-can-bo",
             "stage.changed by gv-can-bo", "stage.changed by gv-chu-tich", "recommendation.added by gv-can-bo",
             "recommendation.added by gv-can-bo", "stage.changed by gv-can-bo", "recommendations.issued by gv-can-bo",
             "recommendation.answered by gv-soan-thao", "recommendation.answered by gv-can-bo",
             "document.attached by gv-soan-thao", "stage.changed by gv-can-bo", "stage.changed by gv-chu-tich"}));
}

TEST_F(WalkApiTest, ASupervisionByDelegationIsWalkedByTheCommuneAndTheProvinceItEscalatesTo) {
  now_is("2026-04-01T02:00:00Z");  // Wed 1 Apr 2026, 09:00 in Vietnam
  const std::string number = open_case(
      "gv-can-bo", "supervision", "gia-vien", "Giám sát bình xét hộ nghèo",
      R"({"subject":"Bình xét hộ nghèo năm 2026","supervised_body":"gv-ubnd","supervision_form":"delegation"})");
  EXPECT_EQ(due_of(number), "2026-04-15");  // 10 working days: 2, 3, 6-10, 13-15 Apr
  refuse_move("gv-can-bo", number, "start_delegation", R"({"session_date":"2026-05-12"})");
  step("gv-chu-tich", number, "start_delegation", "delegation_planning", R"({"session_date":"2026-05-12"})");
  // 15 days before Tue 12 May 2026 is Mon 27 Apr (the day in lieu of Giỗ Tổ), rolled back over
  // Mon 27, Sun 26 (Giỗ Tổ) and Sat 25 Apr.
  EXPECT_EQ(due_of(number), "2026-04-24");
  attach("gv-can-bo", number, "plan");
  attach("gv-can-bo", number, "decision");
  refuse_move("gv-truong-doan", number, "establish_delegation");
  step("gv-chu-tich", number, "establish_delegation", "delegation_established");
  attach("gv-can-bo", number, "report_request");
  refuse_move("chu-tich", number, "notify_supervised_body");

  now_is("2026-04-25T03:00:00Z");  // Sat 25 Apr, 10:00: the due date has passed
  ASSERT_TRUE(escalated(number));
  const Reply shown = get("admin", "/api/v1/cases/" + number);
  EXPECT_EQ(shown.at("/deadline/escalated_to_role"), "standing_board");
  EXPECT_EQ(shown.at("/deadline/escalated_to_unit"), "ninh-binh");
  step("chu-tich", number, "notify_supervised_body", "awaiting_body_report");
  EXPECT_EQ(due_of(number), "2026-05-05");  // 7 days before Tue 12 May: Tue 5 May, a working day
  attach("gv-ubnd", number, "report");
  refuse_move("chu-tich", number, "receive_body_report");  // the escalation ended with its stage
  step("gv-ubnd", number, "receive_body_report", "session_pending");
  EXPECT_EQ(due_of(number), "2026-05-12");  // on the session date
  attach("gv-truong-doan", number, "minutes");
  refuse_move("gv-chu-tich", number, "hold_session");
  step("gv-truong-doan", number, "hold_session", "results_reporting");
  EXPECT_EQ(due_of(number), "2026-05-27");  // 15 days after Tue 12 May, no end date yet
  ok(act("gv-truong-doan", number, "fields", R"({"fields":{"session_end_date":"2026-05-15"}})"));
  // 15 days after Fri 15 May is Sat 30 May, rolled forward over Sat 30 and Sun 31.
  EXPECT_EQ(due_of(number), "2026-06-01");
  attach("gv-truong-doan", number, "results_report");
  refuse_move("gv-can-bo", number, "submit_results_report");
  step("gv-truong-doan", number, "submit_results_report", "concluding");
  // 15 days after Sat 25 Apr is Sun 10 May, rolled forward to Mon 11 May.
  EXPECT_EQ(due_of(number), "2026-05-11");

  ok(act("gv-truong-doan", number, "recommendations", R"({"to":"gv-ubnd","text":"Công khai danh sách"})"));
  ok(act("gv-can-bo", number, "recommendations", R"({"to":"UBND tỉnh Ninh Bình","text":"Bổ sung kinh phí"})"));
  ok(act("gv-can-bo", number, "fields", R"({"fields":{"competent_authority":"UBND tỉnh Ninh Bình"}})"));
  attach("gv-can-bo", number, "recommendation_letter");
  refuse_move("gv-truong-doan", number, "issue_recommendations");
  step("gv-can-bo", number, "issue_recommendations", "follow_up");
  // 30 days after the letter of Sat 25 Apr (the stamped recommendations_issued_date): Mon 25 May.
  EXPECT_EQ(get("admin", "/api/v1/cases/" + number).at("/fields/recommendations_issued_date"), "2026-04-25");
  EXPECT_EQ(due_of(number), "2026-05-25");

  const long long issued = version_of(number);
  refused(number, issued, act("gv-ubnd", number, "recommendations/2/answer", R"({"status":"accepted"})"));
  ok(act("gv-ubnd", number, "recommendations/1/answer", R"({"status":"partly_accepted","text":"Từ quý III"})"));
  ok(act("gv-can-bo", number, "recommendations/2/answer", R"({"status":"accepted"})"));
  refuse_move("gv-truong-doan", number, "close");
  step("gv-chu-tich", number, "close", "closed");

  EXPECT_EQ(history_of(number), (Steps{"case.opened by gv-can-bo",
                                       "stage.changed by gv-chu-tich",
                                       "document.attached by gv-can-bo",
                                       "document.attached by gv-can-bo",
                                       "stage.changed by gv-chu-tich",
                                       "document.attached by gv-can-bo",
                                       "case.escalated by system",
                                       "stage.changed by chu-tich",
                                       "document.attached by gv-ubnd",
                                       "stage.changed by gv-ubnd",
                                       "document.attached by gv-truong-doan",
                                       "stage.changed by gv-truong-doan",
                                       "fields.set by gv-truong-doan",
                                       "document.attached by gv-truong-doan",
                                       "stage.changed by gv-truong-doan",
                                       "recommendation.added by gv-truong-doan",
                                       "recommendation.added by gv-can-bo",
                                       "fields.set by gv-can-bo",
                                       "document.attached by gv-can-bo",
                                       "stage.changed by gv-can-bo",
                                       "recommendations.issued by gv-can-bo",
                                       "recommendation.answered by gv-ubnd",
                                       "recommendation.answered by gv-can-bo",
                                       "stage.changed by gv-chu-tich"}));
}

TEST_F(WalkApiTest, AYearlyReportOfTheCommuneIsReturnedReviewedAndAcceptedByTheProvince) {
  now_is("2027-01-05T02:00:00Z");  // Tue 5 Jan 2027, 09:00 in Vietnam
  const std::string number = open_case("gv-can-bo", "periodic-report", "gia-vien", "Báo cáo tổng kết năm 2026",
                                       R"({"period":"year","year":"2026","period_end":"2026-12-31"})");
  // 15 calendar days after Thu 31 Dec 2026 (1 January counts): Fri 15 Jan 2027, a working day.
  EXPECT_EQ(due_of(number), "2027-01-15");
  attach("gv-can-bo", number, "report");
  refuse_move("gv-can-bo", number, "submit");
  step("gv-chu-tich", number, "submit", "submitted");
  EXPECT_EQ(due_of(number), "2027-01-12");  // 5 working days: 6, 7, 8, 11, 12 Jan

  ok(act("tra", number, "comments", R"({"text":"Đã nhận báo cáo"})"));
  refuse_move("gv-tra", number, "review");  // the commune's own reviewer
  step("tra", number, "return_for_revision", "drafting", R"({"revision_notes":"Bổ sung số liệu hộ nghèo"})");
  EXPECT_EQ(due_of(number), "2027-01-15");  // still counted from period_end
  attach("gv-can-bo", number, "report");
  refuse_move("tra", number, "submit");
  step("gv-chu-tich", number, "submit", "submitted");
  const long long submitted = version_of(number);
  refused(number, submitted, act("tra", number, "assign", R"({"assignee":"gv-can-bo"})"));
  ok(act("thu", number, "assign", R"({"assignee":"gv-can-bo"})"));
  refuse_move("lan", number, "review");  // the province's officer is no reviewer
  step("tra", number, "review", "reviewed");
  EXPECT_EQ(due_of(number), "2027-01-12");
  refuse_move("tra", number, "accept");
  step("thu", number, "accept", "accepted");
  EXPECT_EQ(due_of(number), "");

  EXPECT_EQ(history_of(number), (Steps{"case.opened by gv-can-bo", "document.attached by gv-can-bo",
                                       "stage.changed by gv-chu-tich", "comment.added by tra", "stage.changed by tra",
                                       "document.attached by gv-can-bo", "stage.changed by gv-chu-tich",
                                       "case.assigned by thu", "stage.changed by tra", "stage.changed by thu"}));
}

}  // namespace
}  // namespace docket::server_test
