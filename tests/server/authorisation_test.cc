// Who sees and who may act on which case: units decide where, the workflow's roles decide what,
// and an outside party sees only the cases that name it.
#include <gtest/gtest.h>

#include <set>

#include "core/text.h"
#include "server_fixture.h"
#include "store/database.h"
#include "store/directory.h"

namespace docket::server_test {
namespace {

class AuthorisationTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    gia_vien_ = open_critique("gv-can-bo", "gia-vien", "so-ld");
    hoa_lu_ = open_critique("hl-can-bo", "hoa-lu", "so-ld");
    for_so_ld_ = open_critique("lan", "ninh-binh", "so-ld");
    for_so_tc_ = open_critique("lan", "ninh-binh", "so-tc");
    supervision_ = open_case("lan", "supervision", "ninh-binh", "Giám sát giải ngân vốn đầu tư công",
                             R"({"subject":"Giải ngân vốn đầu tư công","supervised_body":"ubnd"})");
  }

  // The numbers of every case `user` lists, walking all pages.
  std::set<std::string> listed(const std::string& user) {
    std::set<std::string> numbers;
    std::string cursor;
    for (int page = 0; page < 20; ++page) {
      const Reply reply = get(user, "/api/v1/cases?limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor));
      EXPECT_EQ(reply.status, 200) << reply;
      const rapidjson::Document body = reply.json();
      for (const auto& item : body["items"].GetArray()) numbers.insert(item["number"].GetString());
      if (!body["next_cursor"].IsString()) break;
      cursor = body["next_cursor"].GetString();
    }
    return numbers;
  }

  // POSTs as `user` with the ETag a reader of the case sees (so a refusal is about `user`).
  Reply act_as(const std::string& user, const std::string& number, const std::string& action, const std::string& body) {
    return post(user, "/api/v1/cases/" + number + "/" + action, body, etag("lan", number));
  }

  std::string gia_vien_, hoa_lu_, for_so_ld_, for_so_tc_, supervision_;
};

TEST_F(AuthorisationTest, ACommuneSeesAndActsOnlyOnItsOwnCases) {
  EXPECT_EQ(get("gv-can-bo", "/api/v1/cases/" + gia_vien_).status, 200);
  EXPECT_EQ(listed("gv-can-bo"), std::set<std::string>{gia_vien_});
  EXPECT_EQ(listed("hl-can-bo"), std::set<std::string>{hoa_lu_});
  // The other commune's case does not exist as far as they can tell.
  EXPECT_TRUE(is_error(get("gv-can-bo", "/api/v1/cases/" + hoa_lu_), 404, "not_found"));
  EXPECT_TRUE(is_error(get("gv-can-bo", "/api/v1/cases/" + hoa_lu_ + "/history"), 404, "not_found"));
  EXPECT_TRUE(is_error(act_as("gv-can-bo", hoa_lu_, "comments", R"({"text":"Nhầm xã"})"), 404, "not_found"));
  EXPECT_TRUE(
      is_error(act_as("gv-can-bo", hoa_lu_, "transitions", R"({"transition":"withdraw","fields":{"end_reason":"x"}})"),
               404, "not_found"));
  EXPECT_EQ(get("gv-can-bo", "/api/v1/cases?unit=hoa-lu").number("/items"), 0);
  // Assigning it to a user who exists or not gets the same answer: no oracle for user ids.
  for (const char* assignee : {"hl-can-bo", "khong-co-ai"}) {
    const Reply assigned = act_as("gv-can-bo", hoa_lu_, "assign", std::string(R"({"assignee":")") + assignee + "\"}");
    EXPECT_TRUE(is_error(assigned, 404, "not_found")) << assignee << ": " << assigned;
    EXPECT_EQ(assigned.at("/error/message"), "no case " + in_quotes(hoa_lu_)) << assignee;
  }
  // Nor may they open one there.
  const Reply opened = post(
      "gv-can-bo", "/api/v1/cases",
      R"({"workflow":"social-critique","unit":"hoa-lu","title":"Dự thảo","fields":{"submission_date":"2026-06-30","drafting_body":"so-ld"}})");
  EXPECT_TRUE(is_error(opened, 403, "role_not_allowed"));
  EXPECT_EQ(event_types(hoa_lu_).size(), 2u) << "case.opened and deadline.set only";
}

TEST_F(AuthorisationTest, TheWorkflowsRolesDecideWhatAUserMayDo) {
  // An officer may not decline a critique (standing board only) or approve it.
  EXPECT_TRUE(
      is_error(move("gv-can-bo", gia_vien_, "decline", R"({"end_reason":"Ngoài phạm vi"})"), 403, "role_not_allowed"));
  // The commune's standing board may.
  EXPECT_EQ(move("gv-chu-tich", gia_vien_, "decline", R"({"end_reason":"Ngoài phạm vi"})").status, 200);
  // A read-only auditor reads everything below but may not comment.
  EXPECT_EQ(get("admin", "/api/v1/cases/" + hoa_lu_).status, 200);
  EXPECT_TRUE(is_error(act_as("admin", for_so_ld_, "comments", R"({"text":"x"})"), 403, "role_not_allowed"));
}

TEST_F(AuthorisationTest, TheProvinceReadsTheCommunesCasesButDoesNotActOnThem) {
  EXPECT_EQ(listed("chu-tich"), (std::set<std::string>{gia_vien_, hoa_lu_, for_so_ld_, for_so_tc_, supervision_}));
  const Reply read = get("chu-tich", "/api/v1/cases/" + gia_vien_);
  ASSERT_EQ(read.status, 200) << read;
  EXPECT_EQ(get("chu-tich", "/api/v1/cases/" + gia_vien_ + "/history").status, 200);
  EXPECT_EQ(get("chu-tich", "/api/v1/cases?unit=gia-vien").number("/items"), 1);
  EXPECT_TRUE(is_error(act_as("chu-tich", gia_vien_, "comments", R"({"text":"Tỉnh góp ý"})"), 403, "role_not_allowed"));
  EXPECT_TRUE(
      is_error(act_as("chu-tich", gia_vien_, "transitions", R"({"transition":"decline","fields":{"end_reason":"x"}})"),
               403, "role_not_allowed"));
  EXPECT_TRUE(
      is_error(act_as("chu-tich", gia_vien_, "assign", R"({"assignee":"gv-can-bo"})"), 403, "role_not_allowed"));
  EXPECT_EQ(get("chu-tich", "/api/v1/cases/" + gia_vien_).header("etag"), read.header("etag")) << "nothing changed";
}

// An administrator reads every case wherever they hold roles, in reads, lists, search and
// reports alike (a case found one way opens every other way); acting stays with the roles.
TEST_F(AuthorisationTest, AnAdministratorReadsEveryCaseButActsOnlyByTheirRoles) {
  // hl-can-bo holds roles at Hoa Lư only.
  EXPECT_TRUE(is_error(get("hl-can-bo", "/api/v1/cases/" + gia_vien_), 404, "not_found"));
  EXPECT_TRUE(is_error(get("hl-can-bo", "/api/v1/reports?period=2026&unit=gia-vien"), 403, "role_not_allowed"));
  {
    auto db = Database::open({db_path_, false, 5000, true});
    ASSERT_TRUE(db.ok()) << db.error().message;
    ASSERT_TRUE(Directory(**db, clock_).set_admin("hl-can-bo", true).ok());
  }
  restart();
  const Reply read = get("hl-can-bo", "/api/v1/cases/" + gia_vien_);
  ASSERT_EQ(read.status, 200) << read;
  EXPECT_EQ(read.at("/unit"), "gia-vien");
  EXPECT_EQ(get("hl-can-bo", "/api/v1/cases/" + gia_vien_ + "/history").status, 200);
  EXPECT_EQ(listed("hl-can-bo"), (std::set<std::string>{gia_vien_, hoa_lu_, for_so_ld_, for_so_tc_, supervision_}));
  EXPECT_EQ(get("hl-can-bo", "/api/v1/cases?unit=gia-vien").number("/items"), 1);
  EXPECT_EQ(get("hl-can-bo", "/api/v1/cases?overdue=false&unit=ninh-binh").number("/items"), 3);
  const Reply found = get("hl-can-bo", "/api/v1/search?q=giam+sat+giai+ngan");
  ASSERT_EQ(found.status, 200) << found;
  EXPECT_EQ(found.at("/items/0/case/number"), supervision_);
  const Reply report = get("hl-can-bo", "/api/v1/reports?period=2026&unit=gia-vien");
  ASSERT_EQ(report.status, 200) << report;
  const rapidjson::Document body = report.json();
  EXPECT_EQ(body["rows"][body["rows"].Size() - 1]["opened"].GetInt(), 1);
  // Seeing a case is not acting on it: no role at Gia Viễn, so 403 (no longer 404).
  EXPECT_TRUE(is_error(act_as("hl-can-bo", gia_vien_, "comments", R"({"text":"Quản trị"})"), 403, "role_not_allowed"));
  EXPECT_EQ(event_types(gia_vien_).size(), 2u) << "case.opened and deadline.set only";
  // Where they hold roles they act as before.
  EXPECT_EQ(act_as("hl-can-bo", hoa_lu_, "comments", R"({"text":"Cán bộ xã"})").status, 200);
}

TEST_F(AuthorisationTest, OnlyAdministratorsAndAuditorsVerifyTheAuditLog) {
  // An outside party could learn the size of the log, and re-hashing it is not a cheap request.
  for (const char* user : {"so-ld", "lan", "gv-chu-tich"}) {
    const Reply refused = get(user, "/api/v1/audit/verify");
    EXPECT_TRUE(is_error(refused, 403, "role_not_allowed")) << user << ": " << refused;
    EXPECT_EQ(refused.body.find("events_checked"), std::string::npos);
  }
  const Reply verified = get("admin", "/api/v1/audit/verify");
  ASSERT_EQ(verified.status, 200) << verified;
  EXPECT_EQ(verified.number("/ok"), 1);
}

TEST_F(AuthorisationTest, AnOutsidePartySeesOnlyTheCasesThatNameIt) {
  EXPECT_EQ(listed("so-ld"), std::set<std::string>{for_so_ld_});
  EXPECT_EQ(listed("so-tc"), std::set<std::string>{for_so_tc_});
  EXPECT_EQ(listed("ubnd"), std::set<std::string>{supervision_});
  EXPECT_EQ(get("so-ld", "/api/v1/cases/" + for_so_ld_).status, 200);
  EXPECT_TRUE(is_error(get("so-ld", "/api/v1/cases/" + for_so_tc_), 404, "not_found"));
  // A drafting body holds no supervision role: the province's supervision cases are not its own.
  EXPECT_TRUE(is_error(get("so-ld", "/api/v1/cases/" + supervision_), 404, "not_found"));
  EXPECT_TRUE(is_error(get("ubnd", "/api/v1/cases/" + for_so_ld_), 404, "not_found"));
  // Named in a commune's case, it is still not a party there (it holds no role at the commune).
  EXPECT_TRUE(is_error(get("so-ld", "/api/v1/cases/" + gia_vien_), 404, "not_found"));
}

TEST_F(AuthorisationTest, AnOutsidePartyMayAttachAndAnswerButNotComment) {
  ASSERT_EQ(act("lan", for_so_ld_, "recommendations", R"({"to":"so-ld","text":"Bổ sung đánh giá tác động."})").status,
            200);
  issue_critique(for_so_ld_);  // answered once issued (issue #23 item 3)
  const Reply answered = act("so-ld", for_so_ld_, "recommendations/1/answer", R"({"status":"accepted"})");
  ASSERT_EQ(answered.status, 200) << answered;
  EXPECT_EQ(answered.at("/recommendations/0/status"), "accepted");
  EXPECT_EQ(upload("so-ld", for_so_ld_, "reply", "tra-loi.pdf", "%PDF trả lời").status, 200);
  EXPECT_TRUE(is_error(act("so-ld", for_so_ld_, "comments", R"({"text":"Ý kiến của Sở"})"), 403, "role_not_allowed"));
  EXPECT_TRUE(
      is_error(act("so-ld", for_so_ld_, "recommendations", R"({"to":"lan","text":"x"})"), 403, "role_not_allowed"));
  EXPECT_TRUE(
      is_error(act("so-ld", for_so_ld_, "fields", R"({"fields":{"document_title":"x"}})"), 403, "role_not_allowed"));
  EXPECT_TRUE(is_error(move("so-ld", for_so_ld_, "withdraw", R"({"end_reason":"x"})"), 403, "role_not_allowed"));
  const Reply opened = post(
      "so-ld", "/api/v1/cases",
      R"({"workflow":"social-critique","unit":"ninh-binh","title":"Tự mở","fields":{"submission_date":"2026-06-30","drafting_body":"so-ld"}})");
  EXPECT_TRUE(is_error(opened, 403, "role_not_allowed"));
  // Another drafting body cannot act on it at all.
  EXPECT_TRUE(is_error(act_as("so-tc", for_so_ld_, "documents?kind=reply&name=x.pdf", "x"), 404, "not_found"));
}

TEST_F(AuthorisationTest, NoTokenOrARevokedOneIs401BeforeAnythingElse) {
  ASSERT_EQ(get("revoked", "/api/v1/cases/" + for_so_ld_).status, 200);
  {
    auto db = Database::open({db_path_, false, 5000, true});
    ASSERT_TRUE(db.ok()) << db.error().message;
    ASSERT_TRUE(Directory(**db, clock_).revoke_tokens("revoked").ok());
  }
  EXPECT_TRUE(is_error(get("revoked", "/api/v1/cases/" + for_so_ld_), 401, "unauthenticated"));
  EXPECT_TRUE(is_error(client_->get("/api/v1/cases/" + gia_vien_, ""), 401, "unauthenticated"));
  EXPECT_TRUE(is_error(client_->get("/api/v1/cases/PB-2099-0001", ""), 401, "unauthenticated"));
  EXPECT_TRUE(is_error(client_->post("/api/v1/cases/" + gia_vien_ + "/comments", "", R"({"text":"x"})", "\"2\""), 401,
                       "unauthenticated"));
  EXPECT_TRUE(is_error(client_->get("/metrics", ""), 401, "unauthenticated"));
}

}  // namespace
}  // namespace docket::server_test
