// Whole cases run over HTTP only: every step a committee, a drafting body or a supervised body
// takes, through the API, and the history and documents a client reads back.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <vector>

#include "server_fixture.h"
#include "store/case_store.h"
#include "store/workflow_registry.h"

namespace docket::server_test {
namespace {

class CaseFlowTest : public ServerTest {};

// Bytes no text encoding would survive: NUL, 0xFF, CR LF.
std::string binary_document(const std::string& seed) {
  std::string bytes = "%PDF-1.7\n" + seed + "\n";
  for (int i = 0; i < 3000; ++i) bytes.push_back(static_cast<char>(i * 7 % 256));
  return bytes + std::string("\0\xff\r\n", 4);
}

// The history without the deadline bookkeeping the scheduler's plugin adds.
std::vector<std::string> steps(std::vector<std::string> types) {
  std::erase_if(types, [](const std::string& type) { return type.rfind("deadline.", 0) == 0; });
  return types;
}

TEST_F(CaseFlowTest, SocialCritiqueFromDraftToClosedOverHttp) {
  const Reply opened = post("lan", "/api/v1/cases", R"({"workflow":"social-critique","unit":"ninh-binh",
      "title":"Dự thảo Kế hoạch giảm nghèo bền vững 2026-2030",
      "fields":{"submission_date":"2026-06-30","drafting_body":"so-ld","draft_type":"plan"}})");
  ASSERT_EQ(opened.status, 201) << opened;
  const std::string number = opened.at("/number");
  EXPECT_EQ(number, "PB-2026-0001");
  EXPECT_EQ(opened.header("location"), "/api/v1/cases/" + number);
  EXPECT_EQ(opened.header("etag"), "\"" + std::to_string(opened.number("/version")) + "\"");
  EXPECT_EQ(opened.at("/stage"), "received");
  EXPECT_EQ(opened.at("/deadline/due"), "2026-06-29");

  ASSERT_EQ(act("lan", number, "fields",
                R"({"fields":{"document_title":"Kế hoạch giảm nghèo","received_date":"2026-03-02"}})")
                .status,
            200);
  const std::string draft = binary_document("draft");
  const Reply attached = upload("so-ld", number, "draft", "du-thao.pdf", draft);
  ASSERT_EQ(attached.status, 200) << attached;
  EXPECT_EQ(attached.at("/documents/0/kind"), "draft");
  EXPECT_EQ(attached.number("/documents/0/size"), static_cast<long long>(draft.size()));

  ASSERT_EQ(move("lan", number, "assign").status, 200);
  ASSERT_EQ(act("lan", number, "assign", R"({"assignee":"lan"})").status, 200);
  ASSERT_EQ(move("chu-tich", number, "choose_form", R"({"critique_form":"conference"})").status, 200);
  ASSERT_EQ(move("lan", number, "hold_meeting", R"({"event_time":"2026-04-10T08:00+07:00"})").status, 200);
  ASSERT_EQ(act("lan", number, "comments", R"({"text":"Hội nghị có 42 đại biểu tham dự."})").status, 200);
  ASSERT_EQ(upload("lan", number, "critique", "phan-bien.pdf", binary_document("critique")).status, 200);
  ASSERT_EQ(move("lan", number, "submit_critique_draft").status, 200);
  ASSERT_EQ(move("chu-tich", number, "approve").status, 200);
  ASSERT_EQ(act("lan", number, "fields", R"({"fields":{"issuing_authority":"UBND tỉnh Ninh Bình"}})").status, 200);
  ASSERT_EQ(move("lan", number, "issue").status, 200);
  ASSERT_EQ(act("lan", number, "recommendations", R"({"to":"so-ld","text":"Bổ sung chỉ tiêu hộ cận nghèo."})").status,
            200);
  const Reply second = act("lan", number, "recommendations", R"({"to":"so-ld","text":"Làm rõ nguồn vốn đối ứng."})");
  ASSERT_EQ(second.status, 200) << second;
  EXPECT_EQ(second.number("/recommendations"), 2);
  EXPECT_EQ(second.at("/recommendations/1/status"), "sent");

  // The drafting body answers, one of them not accepted with its explanation, and replies.
  ASSERT_EQ(act("so-ld", number, "recommendations/1/answer", R"({"status":"accepted"})").status, 200);
  const Reply refused = act("so-ld", number, "recommendations/2/answer",
                            R"({"status":"not_accepted","text":"Nguồn vốn đối ứng do ngân sách tỉnh bảo đảm."})");
  ASSERT_EQ(refused.status, 200) << refused;
  EXPECT_EQ(refused.at("/recommendations/1/status"), "not_accepted");
  EXPECT_EQ(refused.at("/recommendations/1/answer_text"), "Nguồn vốn đối ứng do ngân sách tỉnh bảo đảm.");
  const std::string reply_bytes = binary_document("reply");
  ASSERT_EQ(upload("so-ld", number, "reply", "tra-loi.pdf", reply_bytes).status, 200);
  ASSERT_EQ(move("lan", number, "record_answer").status, 200);
  const Reply closed = move("lan", number, "close");
  ASSERT_EQ(closed.status, 200) << closed;
  EXPECT_EQ(closed.at("/stage"), "closed");
  EXPECT_EQ(closed.number("/closed"), 1);

  EXPECT_EQ(steps(event_types(number)), (std::vector<std::string>{"case.opened",
                                                                  "fields.set",
                                                                  "document.attached",
                                                                  "stage.changed",
                                                                  "case.assigned",
                                                                  "stage.changed",
                                                                  "stage.changed",
                                                                  "comment.added",
                                                                  "document.attached",
                                                                  "stage.changed",
                                                                  "stage.changed",
                                                                  "fields.set",
                                                                  "stage.changed",
                                                                  "recommendation.added",
                                                                  "recommendation.added",
                                                                  "recommendation.answered",
                                                                  "recommendation.answered",
                                                                  "document.attached",
                                                                  "stage.changed",
                                                                  "stage.changed"}));
  EXPECT_EQ(transitions_made(number),
            (std::vector<std::string>{"assign", "choose_form", "hold_meeting", "submit_critique_draft", "approve",
                                      "issue", "record_answer", "close"}));

  const Reply downloaded = get("lan", "/api/v1/cases/" + number + "/documents/draft/1");
  ASSERT_EQ(downloaded.status, 200) << downloaded;
  EXPECT_EQ(downloaded.body, draft);
  EXPECT_EQ(downloaded.header("content-type"), "application/pdf");
  EXPECT_NE(downloaded.header("content-disposition").find("du-thao.pdf"), std::string::npos);
  EXPECT_EQ(get("so-ld", "/api/v1/cases/" + number + "/documents/reply/1").body, reply_bytes);
}

TEST_F(CaseFlowTest, SupervisionByADelegationFromProposalToClosedOverHttp) {
  const std::string number = open_case("lan", "supervision", "ninh-binh", "Giám sát chi trả trợ cấp xã hội năm 2026",
                                       R"({"subject":"Chi trả trợ cấp xã hội","supervised_body":"ubnd",
                                           "supervision_form":"delegation","basis":"annual_programme"})");
  ASSERT_EQ(number, "GS-2026-0001");
  ASSERT_EQ(move("chu-tich", number, "start_delegation", R"({"session_date":"2026-05-20"})").status, 200);
  ASSERT_EQ(upload("lan", number, "plan", "ke-hoach.pdf", binary_document("plan")).status, 200);
  ASSERT_EQ(upload("chu-tich", number, "decision", "quyet-dinh.pdf", binary_document("decision")).status, 200);
  ASSERT_EQ(move("chu-tich", number, "establish_delegation").status, 200);
  ASSERT_EQ(upload("lan", number, "report_request", "yeu-cau.docx", "yêu cầu báo cáo",
                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
                .status,
            200);
  ASSERT_EQ(move("lan", number, "notify_supervised_body").status, 200);

  // The supervised body (an outside party named by the case) reports and moves the case on.
  const std::string report = binary_document("report");
  ASSERT_EQ(upload("ubnd", number, "report", "bao-cao.pdf", report).status, 200);
  const Reply received = move("ubnd", number, "receive_body_report");
  ASSERT_EQ(received.status, 200) << received;
  EXPECT_EQ(received.at("/stage"), "session_pending");

  ASSERT_EQ(upload("lan", number, "minutes", "bien-ban.pdf", binary_document("minutes")).status, 200);
  ASSERT_EQ(move("lan", number, "hold_session").status, 200);
  ASSERT_EQ(upload("lan", number, "results_report", "ket-qua.pdf", binary_document("results")).status, 200);
  ASSERT_EQ(move("lan", number, "submit_results_report").status, 200);
  ASSERT_EQ(act("lan", number, "fields", R"({"fields":{"competent_authority":"UBND tỉnh Ninh Bình"}})").status, 200);
  ASSERT_EQ(upload("lan", number, "recommendation_letter", "kien-nghi.pdf", binary_document("letter")).status, 200);
  ASSERT_EQ(
      act("lan", number, "recommendations", R"({"to":"ubnd","text":"Chi trả đúng hạn trước ngày 10 hằng tháng."})")
          .status,
      200);
  ASSERT_EQ(
      act("lan", number, "recommendations", R"({"to":"ubnd","text":"Công khai danh sách đối tượng tại thôn."})").status,
      200);
  ASSERT_EQ(move("lan", number, "issue_recommendations").status, 200);

  // Closing needs every recommendation answered.
  const Reply too_early = move("chu-tich", number, "close");
  EXPECT_TRUE(is_error(too_early, 422, "recommendations_open"));
  ASSERT_EQ(
      act("ubnd", number, "recommendations/1/answer", R"({"status":"partly_accepted","text":"Từ quý III."})").status,
      200);
  ASSERT_EQ(act("ubnd", number, "recommendations/2/answer",
                R"({"status":"not_accepted","text":"Danh sách có thông tin cá nhân, chỉ công khai số lượng."})")
                .status,
            200);
  const Reply closed = move("chu-tich", number, "close");
  ASSERT_EQ(closed.status, 200) << closed;
  EXPECT_EQ(closed.at("/stage"), "closed");

  EXPECT_EQ(transitions_made(number),
            (std::vector<std::string>{"start_delegation", "establish_delegation", "notify_supervised_body",
                                      "receive_body_report", "hold_session", "submit_results_report",
                                      "issue_recommendations", "close"}));
  const auto types = steps(event_types(number));
  EXPECT_EQ(std::count(types.begin(), types.end(), "document.attached"), 7);
  EXPECT_EQ(std::count(types.begin(), types.end(), "recommendation.answered"), 2);
  EXPECT_EQ(std::count(types.begin(), types.end(), "stage.changed"), 8);
  EXPECT_EQ(get("chu-tich", "/api/v1/cases/" + number + "/documents/report/1").body, report);
  EXPECT_EQ(get("lan", "/api/v1/cases/" + number + "/documents/report_request/1").body, "yêu cầu báo cáo");
}

// Readers keep what they read (the token's holder, the roles, the case and its JSON) until the
// next commit, from this server or from another process: every read after a change shows it.
TEST_F(CaseFlowTest, ReadsAfterAChangeFromAnyConnectionShowTheChange) {
  const std::string number = open_critique();
  const std::string target = "/api/v1/cases/" + number;
  // Several connections, each read several times: every I/O thread reads the case (on its own
  // connection to the database) and keeps that reading and its JSON.
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int i = 0; i < 4; ++i) clients.push_back(std::make_unique<HttpClient>(port()));
  auto read_all = [&](const std::function<void(const Reply&)>& check) {
    for (int round = 0; round < 3; ++round) {
      for (auto& client : clients) check(client->get(target, token("lan")));
    }
  };
  const Reply first = get("lan", target);
  ASSERT_EQ(first.status, 200) << first;
  read_all([&](const Reply& read) { EXPECT_EQ(read.body, first.body); });

  ASSERT_EQ(act("lan", number, "fields", R"({"fields":{"document_title":"Qua API"}})").status, 200);
  read_all([&](const Reply& read) { EXPECT_EQ(read.at("/fields/document_title"), "Qua API"); });

  {  // Another process (the CLI, say) changes the case on its own connection.
    auto db = Database::open({db_path_, false, 5000, true});
    ASSERT_TRUE(db.ok()) << db.error().message;
    auto catalog = WorkflowRegistry(**db, clock_).catalog();
    ASSERT_TRUE(catalog.ok());
    CaseStore elsewhere(**db, *catalog, clock_);
    ASSERT_TRUE(elsewhere.execute(number, "lan", {SetFields{{{"document_title", "Từ dòng lệnh"}}}}).ok());
  }
  read_all([&](const Reply& read) {
    EXPECT_EQ(read.at("/fields/document_title"), "Từ dòng lệnh");
    EXPECT_EQ(read.header("etag"), "\"" + std::to_string(first.number("/version") + 2) + "\"");
    EXPECT_EQ(read.number("/version"), first.number("/version") + 2);
  });
}

TEST_F(CaseFlowTest, AnUploadedFileKeepsItsBaseNameOnly) {
  const std::string number = open_critique();
  const Reply stored = upload("lan", number, "draft", "..%2F..%2F..%2F..%2Fetc%2Fpasswd", "%PDF dự thảo");
  ASSERT_EQ(stored.status, 200) << stored;
  EXPECT_EQ(get("lan", "/api/v1/cases/" + number).at("/documents/0/file_name"), "passwd");
  const Reply downloaded = get("lan", "/api/v1/cases/" + number + "/documents/draft/1");
  EXPECT_EQ(downloaded.header("content-disposition"), "attachment; filename=\"passwd\"; filename*=UTF-8''passwd");
  // A name that is only a path names no file.
  const Reply nameless = upload("lan", number, "draft", "..%2F", "%PDF");
  EXPECT_TRUE(is_error(nameless, 400, "invalid_argument")) << nameless;
}

TEST_F(CaseFlowTest, WorkflowsAreListedAndShownWithTheirStageGraph) {
  const Reply listed = get("gv-can-bo", "/api/v1/workflows");
  ASSERT_EQ(listed.status, 200) << listed;
  EXPECT_EQ(listed.number("/items"), 3);
  const Reply shown = get("gv-can-bo", "/api/v1/workflows/social-critique");
  ASSERT_EQ(shown.status, 200) << shown;
  EXPECT_EQ(shown.at("/stages/0/id"), "received");
  EXPECT_EQ(shown.at("/transitions/0/id"), "assign");
  EXPECT_EQ(shown.at("/transitions/0/to"), "assigned");
  EXPECT_TRUE(is_error(get("gv-can-bo", "/api/v1/workflows/no-such-workflow"), 404, "not_found"));
}

TEST_F(CaseFlowTest, AdministratorsManageUnitsAndUsersAndAuditTheLog) {
  const Reply unit = post("admin", "/api/v1/units",
                          R"({"id":"kim-son","name":"Ủy ban MTTQ xã Kim Sơn","level":"commune","parent":"ninh-binh"})");
  ASSERT_EQ(unit.status, 201) << unit;
  EXPECT_EQ(unit.header("location"), "/api/v1/units/kim-son");
  const Reply user =
      post("admin", "/api/v1/users", R"({"id":"ks-can-bo","name":"Vũ Thị Mai","unit":"kim-son","roles":["officer"]})");
  ASSERT_EQ(user.status, 201) << user;
  EXPECT_EQ(get("gv-can-bo", "/api/v1/units").number("/items"), 4);
  EXPECT_EQ(get("admin", "/api/v1/users").number("/items"), 11);

  const std::string number = open_critique();
  ASSERT_EQ(act("lan", number, "comments", R"({"text":"Đã nhận đủ hồ sơ."})").status, 200);
  const Reply verified = get("admin", "/api/v1/audit/verify");
  ASSERT_EQ(verified.status, 200) << verified;
  EXPECT_EQ(verified.number("/ok"), 1);
  const Reply exported = get("admin", "/api/v1/audit/export?case=" + number);
  ASSERT_EQ(exported.status, 200) << exported;
  EXPECT_EQ(exported.header("content-type"), "application/x-ndjson");
  EXPECT_NE(exported.body.find("comment.added"), std::string::npos);
}

TEST_F(CaseFlowTest, AdministratorsTakeRolesAwayAndTheAdministrativeLogNamesThem) {
  ASSERT_EQ(post("admin", "/api/v1/users", R"({"id":"nb-tam","name":"Lê Tâm","unit":"ninh-binh","roles":["officer"]})")
                .status,
            201);
  EXPECT_TRUE(is_error(post("gv-can-bo", "/api/v1/users/nb-tam/unrole", R"({"unit":"ninh-binh","roles":["officer"]})"),
                       403, "role_not_allowed"));
  EXPECT_TRUE(is_error(post("admin", "/api/v1/users/nb-tam/unrole", R"({"unit":"ninh-binh","roles":["expert"]})"), 404,
                       "not_found"));
  const Reply removed = post("admin", "/api/v1/users/nb-tam/unrole", R"({"unit":"ninh-binh","roles":["officer"]})");
  ASSERT_EQ(removed.status, 200) << removed;
  EXPECT_EQ(removed.number("/roles"), 0);
  const Reply log = get("admin", "/api/v1/audit/export?log=admin");
  ASSERT_EQ(log.status, 200) << log;
  EXPECT_NE(log.body.find(R"("type":"role.revoked","at":)"), std::string::npos) << log.body;
  EXPECT_NE(log.body.find(R"("actor":"admin","payload":{"role":"officer","unit":"ninh-binh","user":"nb-tam"})"),
            std::string::npos)
      << log.body;
  const Reply verified = get("admin", "/api/v1/audit/verify");
  EXPECT_EQ(verified.number("/ok"), 1);
  EXPECT_GT(verified.number("/admin_events_checked"), 0);
}

}  // namespace
}  // namespace docket::server_test
