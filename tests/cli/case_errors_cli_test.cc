// Bad input and faults through the real docket binary: each is one clear line on stderr that
// names what was wrong, a non-zero exit, and no change at all to the database.
#include <regex>

#include "case_fixture.h"

namespace docket::cli_test {
namespace {

class CaseCliErrors : public CaseCliFixture {
 protected:
  void SetUp() override {
    CaseCliFixture::SetUp();
    set_up_directory();
    number_ = open_critique();
    write("draft.pdf", "%PDF-1.4 dự thảo");
  }

  // The command was refused with `exit_code`, one stderr line "docket: <code>: ..." that
  // mentions each of `mentions`, nothing on stdout, and the database is as it was.
  void expect_refused(const Outcome& run, int exit_code, const std::string& code,
                      const std::vector<std::string>& mentions, const Counts& before) {
    EXPECT_EQ(run.exit_code, exit_code) << run;
    EXPECT_EQ(run.err.rfind("docket: " + code + ": ", 0), 0u) << run;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run;
    for (const auto& mention : mentions)
      EXPECT_TRUE(contains(run.err, mention)) << "should mention " << mention << "\n" << run;
    EXPECT_TRUE(run.out.empty()) << run;
    EXPECT_EQ(counts(), before) << run;
  }

  void move_to_assigned() {
    ok("lan", {"case", "attach", number_, (dir_ / "draft.pdf").string(), "--kind", "draft"});
    ok("lan", {"case", "move", number_, "assign"});
  }

  std::string number_;
};

TEST_F(CaseCliErrors, UnknownCase) {
  const Counts before = counts();
  expect_refused(as("lan", {"case", "comment", "PB-2026-9999", "Ý kiến"}), 1, "not_found", {"PB-2026-9999"}, before);
  expect_refused(as("lan", {"case", "show", "PB-2026-9999"}), 1, "not_found", {"PB-2026-9999"}, before);
  expect_refused(docket({"audit", "export", "--case", "PB-2026-9999"}), 1, "not_found", {"PB-2026-9999"}, before);
}

TEST_F(CaseCliErrors, UnknownUser) {
  const Counts before = counts();
  expect_refused(as("ghost", {"case", "comment", number_, "Ý kiến"}), 1, "not_found", {"ghost"}, before);
  expect_refused(as("lan", {"case", "assign", number_, "ghost"}), 1, "not_found", {"ghost"}, before);
  expect_refused(as("ghost", {"case", "show", number_}), 1, "not_found", {"ghost"}, before);
  expect_refused(as("ghost", {"case", "open", "social-critique", "--unit", "ninh-binh", "--title", "Dự thảo", "--field",
                              "drafting_body=Sở Tư pháp", "--field", "submission_date=2026-12-31"}),
                 1, "not_found", {"ghost"}, before);
}

TEST_F(CaseCliErrors, UnknownUnit) {
  const Counts before = counts();
  expect_refused(as("lan", {"case", "open", "social-critique", "--unit", "ha-tay", "--title", "Dự thảo", "--field",
                            "drafting_body=Sở Tư pháp", "--field", "submission_date=2026-12-31"}),
                 1, "not_found", {"ha-tay"}, before);
  expect_refused(docket({"user", "add", "nam", "--name", "Phạm Nam", "--unit", "ha-tay", "--role", "officer"}), 1,
                 "not_found", {"ha-tay"}, before);
  expect_refused(docket({"org", "add", "dong-anh", "--name", "Đông Anh", "--level", "district", "--parent", "ha-tay"}),
                 1, "not_found", {"ha-tay"}, before);
}

TEST_F(CaseCliErrors, UnknownTransitionWorkflowAndRole) {
  const Counts before = counts();
  expect_refused(as("lan", {"case", "move", number_, "publish"}), 1, "not_found", {"publish"}, before);
  expect_refused(as("lan", {"case", "open", "petition", "--unit", "ninh-binh", "--title", "Đơn"}), 1, "not_found",
                 {"petition"}, before);
  expect_refused(docket({"user", "add", "nam", "--name", "Phạm Nam", "--unit", "ninh-binh", "--role", "chairman"}), 1,
                 "not_found", {"chairman"}, before);
}

TEST_F(CaseCliErrors, RoleNotAllowed) {
  const Counts before = counts();
  expect_refused(as("minh", {"case", "move", number_, "assign"}), 1, "role_not_allowed", {"assign"}, before);
  expect_refused(as("tu-phap", {"case", "recommend", number_, "--to", "UBND tỉnh", "Tự kiến nghị"}), 1,
                 "role_not_allowed", {}, before);
  // hoa holds roles at gia-hung only; the case belongs to ninh-binh.
  expect_refused(as("hoa", {"case", "comment", number_, "Ý kiến"}), 1, "role_not_allowed", {}, before);
}

TEST_F(CaseCliErrors, MissingRequiredFieldIsRefusedAndUsesUpNoNumber) {
  const Counts before = counts();
  expect_refused(as("lan", {"case", "open", "social-critique", "--unit", "ninh-binh", "--title", "Dự thảo", "--field",
                            "drafting_body=Sở Tư pháp"}),
                 1, "field_missing", {"submission_date"}, before);
  const std::string next = open_critique();
  EXPECT_EQ(next.substr(next.size() - 5), "-0002") << next;  // gap-free: the refused open took no number
}

TEST_F(CaseCliErrors, MissingRequiredDocument) {
  const Counts before = counts();
  expect_refused(as("lan", {"case", "move", number_, "assign"}), 1, "document_missing", {"draft"}, before);
}

TEST_F(CaseCliErrors, InvalidDate) {
  const Counts before = counts();
  expect_refused(as("lan", {"case", "open", "social-critique", "--unit", "ninh-binh", "--title", "Dự thảo", "--field",
                            "drafting_body=Sở Tư pháp", "--field", "submission_date=2026-02-30"}),
                 1, "invalid_field", {"submission_date", "2026-02-30"}, before);
  expect_refused(as("lan", {"case", "set", number_, "--field", "received_date=30/04/2026"}), 1, "invalid_field",
                 {"received_date", "30/04/2026"}, before);
}

TEST_F(CaseCliErrors, EnumValueNotAllowed) {
  move_to_assigned();
  const Counts before = counts();
  expect_refused(as("lan", {"case", "move", number_, "choose_form", "--field", "critique_form=hoi_thao"}), 1,
                 "invalid_field", {"critique_form", "hoi_thao", "conference"}, before);
}

TEST_F(CaseCliErrors, TextThatIsNotUtf8) {
  const Counts before = counts();
  const std::string latin1 = "Gia H\xF9ng";  // "ư" is not in Latin-1; 0xF9 alone is not UTF-8
  expect_refused(as("lan", {"case", "comment", number_, latin1}), 1, "invalid_argument", {"UTF-8"}, before);
  expect_refused(as("lan", {"case", "recommend", number_, "--to", "UBND", "R\xC3\x28"}), 1, "invalid_argument",
                 {"UTF-8"}, before);
}

TEST_F(CaseCliErrors, FileThatDoesNotExist) {
  const Counts before = counts();
  const std::string missing = (dir_ / "khong-co.pdf").string();
  expect_refused(as("lan", {"case", "attach", number_, missing, "--kind", "draft"}), 1, "not_found", {missing}, before);
  expect_refused(as("tu-phap", {"case", "answer", number_, "1", "--status", "accepted", "--file", missing}), 1,
                 "not_found", {missing}, before);
  expect_refused(docket({"org", "import", missing}), 1, "not_found", {missing}, before);
}

TEST_F(CaseCliErrors, StaleExpectedVersionIsAConflict) {
  // Opened and its due date recorded: version 2.
  ok("lan", {"case", "comment", number_, "Lần một", "--expect-version", "2"});
  const Counts before = counts();
  expect_refused(as("lan", {"case", "comment", number_, "Lần hai", "--expect-version", "2"}), 3, "conflict",
                 {number_, "version 3"}, before);
  ok("lan", {"case", "comment", number_, "Lần hai", "--expect-version", "3"});
  EXPECT_EQ(event_count(), before.at("events") + 1);
}

TEST_F(CaseCliErrors, DatabaseLockedPastTheBusyTimeout) {
  const Counts before = counts();
  {
    SQLite::Database holder(db_, SQLite::OPEN_READWRITE);
    holder.exec("BEGIN IMMEDIATE");  // another writer holds the write lock
    const Outcome run = as("lan", {"--busy-timeout", "200", "case", "comment", number_, "Ý kiến"});
    EXPECT_EQ(run.exit_code, 4) << run;
    EXPECT_EQ(run.err.rfind("docket: busy: ", 0), 0u) << run;
    EXPECT_TRUE(contains(run.err, "200 ms")) << run;
    // Reading still works while the writer holds its lock.
    EXPECT_TRUE(contains(ok("lan", {"case", "show", number_}), number_));
    holder.exec("ROLLBACK");
  }
  EXPECT_EQ(counts(), before);
  ok("lan", {"--busy-timeout", "200", "case", "comment", number_, "Ý kiến"});
  EXPECT_EQ(event_count(), before.at("events") + 1);
}

TEST_F(CaseCliErrors, UsageErrorsExitTwoAndNameTheArgument) {
  const Counts before = counts();
  Outcome run = as("lan", {"case", "move", number_, "choose_form", "--field", "critique_form"});
  EXPECT_EQ(run.exit_code, 2) << run;
  EXPECT_TRUE(contains(run.err, "--field") && contains(run.err, "\"critique_form\"")) << run;
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"case", "comment", number_, "Ý kiến"}, {"case", "show", number_}, {"case", "list"}}) {
    run = docket(args);
    EXPECT_EQ(run.exit_code, 2) << run;
    EXPECT_EQ(run.err, "docket: usage: --as USER (or env DOCKET_USER) is required\n") << run;
  }
  run = as("lan", {"case", "move", number_, "assign", "--field", "a=1", "--field", "a=2"});
  EXPECT_EQ(run.exit_code, 2) << run;
  EXPECT_TRUE(contains(run.err, "\"a\" is given twice")) << run;
  run = as("tu-phap", {"case", "answer", number_, "1", "--status", "rejected"});
  EXPECT_EQ(run.exit_code, 2) << run;
  EXPECT_TRUE(contains(run.err, "rejected")) << run;
  EXPECT_EQ(counts(), before);
}

TEST_F(CaseCliErrors, EveryCommandButInitNeedsTheDatabase) {
  fs::remove_all(db_.parent_path());
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--as", "lan", "case", "list"}, {"org", "list"}, {"user", "list"}, {"audit", "verify"}}) {
    const Outcome run = docket(args);
    EXPECT_EQ(run.exit_code, 1) << run;
    EXPECT_TRUE(contains(run.err, db_.string()) && contains(run.err, "docket init")) << run;
  }
  EXPECT_FALSE(fs::exists(db_));
}

}  // namespace
}  // namespace docket::cli_test
