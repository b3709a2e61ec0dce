// The level above acts (issue #23 items 1-4), through the real binary: a province reviewer
// reviews a commune's report; the province standing board acts on an escalated commune case;
// assignment needs a member of the case's unit and can be undone; recommendations are answered
// by their addressee, once issued.
#include <rapidjson/document.h>

#include "case_fixture.h"

namespace docket::cli_test {
namespace {

class HierarchyCli : public CaseCliFixture {
 protected:
  void SetUp() override {
    CaseCliFixture::SetUp();
    set_up_directory();
    ok("", {"user", "add", "tra", "--name", "Phạm Thu Trà", "--unit", "ninh-binh", "--role", "reviewer"});
    ok("", {"user", "add", "thu", "--name", "Đỗ Văn Thu", "--unit", "ninh-binh", "--role", "reviewing_head"});
    ok("", {"user", "add", "chu-tich", "--name", "Phạm Văn Hùng", "--unit", "ninh-binh", "--role", "standing_board"});
    write("bao-cao.pdf", "%PDF-1.4 báo cáo sơ kết");
    write("ke-hoach.pdf", "%PDF-1.4 kế hoạch");
  }
  std::string file(const char* name) { return (dir_ / name).string(); }
  static std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

  // A submitted six-monthly report of the commune gia-hung.
  std::string submitted_commune_report() {
    const std::string number =
        first_line(ok("lan", {"case", "open", "periodic-report", "--unit", "gia-hung", "--title", "Báo cáo sơ kết",
                              "--field", "period=h1", "--field", "year=2026", "--field", "period_end=2026-06-30"}));
    ok("lan", {"case", "attach", number, file("bao-cao.pdf"), "--kind", "report"});
    ok("lan", {"case", "move", number, "submit"});
    return number;
  }

  rapidjson::Document shown_case(const std::string& user, const std::string& number) {
    const std::string out = ok(user, {"--format", "json", "case", "show", number});
    rapidjson::Document shown;
    shown.Parse(out.data(), out.size());
    if (shown.HasParseError() || !shown.IsObject()) ADD_FAILURE() << out;
    return shown;
  }
  std::string stage_of(const std::string& user, const std::string& number) {
    const rapidjson::Document shown = shown_case(user, number);
    return shown.IsObject() && shown["stage"].IsString() ? shown["stage"].GetString() : "";
  }
  // Empty (the JSON's null) when nobody holds the case.
  std::string assignee_of(const std::string& user, const std::string& number) {
    const rapidjson::Document shown = shown_case(user, number);
    return shown.IsObject() && shown["assignee"].IsString() ? shown["assignee"].GetString() : "";
  }
};

TEST_F(HierarchyCli, TheProvinceReviewerReviewsAndItsHeadAcceptsACommuneReport) {
  const std::string number = submitted_commune_report();
  ok("tra", {"case", "show", number});  // reads it from the unit above
  ok("tra", {"case", "comment", number, "Đã nhận báo cáo"});
  ok("tra", {"case", "move", number, "review"});
  ok("thu", {"case", "move", number, "accept"});
  EXPECT_EQ(stage_of("thu", number), "accepted");
}

TEST_F(HierarchyCli, AReviewerOfTheCommuneItselfDoesNotReviewItsOwnReport) {
  ok("", {"user", "add", "xa-tra", "--name", "Vũ Thị Tra", "--unit", "gia-hung", "--role", "reviewer"});
  const std::string number = submitted_commune_report();
  const Outcome refused = as("xa-tra", {"case", "move", number, "review"});
  EXPECT_EQ(refused.exit_code, 1) << refused;
  EXPECT_TRUE(contains(refused.err, "role_not_allowed")) << refused;
  EXPECT_TRUE(contains(refused.err, "reviewer@above")) << refused;
}

TEST_F(HierarchyCli, TheProvinceStandingBoardActsOnAnEscalatedCommuneCase) {
  // The delegation plan is long overdue (15 days before a past session): one tick escalates it.
  const std::string number =
      first_line(ok("lan", {"case", "open", "supervision", "--unit", "gia-hung", "--title",
                            "Giám sát bình xét hộ nghèo", "--field", "subject=Bình xét hộ nghèo", "--field",
                            "supervised_body=ubnd-xa", "--field", "supervision_form=delegation"}));
  ok("lan", {"case", "move", number, "start_delegation", "--field", "session_date=2025-03-20"});
  const Outcome early = as("chu-tich", {"case", "comment", number, "Đề nghị khẩn trương"});
  EXPECT_EQ(early.exit_code, 1) << early;
  EXPECT_TRUE(contains(early.err, "role_not_allowed")) << early;

  ok("", {"tick"});
  EXPECT_TRUE(contains(ok("lan", {"case", "history", number}), "escalated to standing_board @ ninh-binh"));
  ok("chu-tich", {"case", "comment", number, "Đề nghị khẩn trương"});
  ok("chu-tich", {"case", "assign", number, "hoa"});
  ok("lan", {"case", "attach", number, file("ke-hoach.pdf"), "--kind", "plan"});
  ok("lan", {"case", "attach", number, file("bao-cao.pdf"), "--kind", "decision"});
  ok("chu-tich", {"case", "move", number, "establish_delegation"});
  EXPECT_EQ(stage_of("lan", number), "delegation_established");
  // The escalation ended with the stage it concerned.
  const Outcome after = as("chu-tich", {"case", "comment", number, "Đã xong"});
  EXPECT_EQ(after.exit_code, 1) << after;
}

TEST_F(HierarchyCli, OnlyAMemberOfTheUnitIsAssignedAndUnassigningIsACommand) {
  const std::string number = open_critique();
  const std::string before = std::to_string(event_count());
  const Outcome outside = as("lan", {"case", "assign", number, "tu-phap"});  // the drafting body
  EXPECT_EQ(outside.exit_code, 1) << outside;
  EXPECT_TRUE(contains(outside.err, "cannot be assigned")) << outside;
  const Outcome commune = as("lan", {"case", "assign", number, "hoa"});  // a commune's delegation head
  EXPECT_EQ(commune.exit_code, 1) << commune;
  EXPECT_EQ(std::to_string(event_count()), before);

  ok("lan", {"case", "assign", number, "lan"});
  EXPECT_EQ(assignee_of("lan", number), "lan");
  const Outcome empty = as("lan", {"case", "assign", number, ""});
  EXPECT_NE(empty.exit_code, 0) << empty;
  EXPECT_TRUE(contains(empty.err, "docket case unassign " + number)) << empty;
  ok("lan", {"case", "unassign", number});
  EXPECT_EQ(assignee_of("lan", number), "");
  EXPECT_TRUE(contains(ok("lan", {"case", "history", number}), "unassigned (was lan)"));
  const Outcome again = as("lan", {"case", "unassign", number});
  EXPECT_EQ(again.exit_code, 1) << again;
}

TEST_F(HierarchyCli, ARecommendationIsAnsweredOnlyOnceIssuedAndOnlyByItsAddresseeOrForIt) {
  const std::string number =
      first_line(ok("lan", {"case", "open", "social-critique", "--unit", "ninh-binh", "--title",
                            "Dự thảo của Sở Tư pháp", "--field", "drafting_body=tu-phap", "--field",
                            "submission_date=2026-12-31", "--field", "issuing_authority=UBND tỉnh Ninh Bình"}));
  ok("lan", {"case", "recommend", number, "--to", "tu-phap", "Làm rõ nguồn vốn"});
  ok("lan", {"case", "recommend", number, "--to", "UBND tỉnh Ninh Bình", "Bố trí kinh phí"});
  const Outcome early = as("tu-phap", {"case", "answer", number, "1", "--status", "accepted"});
  EXPECT_EQ(early.exit_code, 1) << early;
  EXPECT_TRUE(contains(early.err, "not issued")) << early;

  // The critique is issued at last (withdrawn and reissued routes aside, the one way to "issue").
  write("draft.pdf", "%PDF-1.4 dự thảo");
  write("critique.docx", "văn bản phản biện");
  ok("lan", {"case", "set", number, "--field", "document_title=Dự thảo", "--field", "received_date=2026-03-02"});
  ok("lan", {"case", "attach", number, file("draft.pdf"), "--kind", "draft"});
  ok("lan", {"case", "move", number, "assign"});
  ok("lan", {"case", "move", number, "choose_form", "--field", "critique_form=written_consultation"});
  ok("lan", {"case", "move", number, "send_for_opinions"});
  ok("lan", {"case", "attach", number, file("critique.docx"), "--kind", "critique"});
  ok("lan", {"case", "move", number, "submit_critique_draft"});
  ok("lan", {"case", "move", number, "approve"});
  ok("lan", {"case", "move", number, "issue"});

  const Outcome other = as("tu-phap", {"case", "answer", number, "2", "--status", "accepted"});
  EXPECT_EQ(other.exit_code, 1) << other;
  EXPECT_TRUE(contains(other.err, "UBND tỉnh Ninh Bình")) << other;
  ok("tu-phap", {"case", "answer", number, "1", "--status", "accepted"});
  ok("lan", {"case", "answer", number, "2", "--status", "partly_accepted", "--text", "Bố trí một phần"});
  EXPECT_TRUE(contains(ok("lan", {"case", "history", number}), "(recorded for UBND tỉnh Ninh Bình)"));
  const Outcome late = as("lan", {"case", "recommend", number, "--to", "tu-phap", "Thêm một kiến nghị"});
  EXPECT_EQ(late.exit_code, 1) << late;
}

}  // namespace
}  // namespace docket::cli_test
