// Deadlines as a user reads them through the real binary: reminders worded in the deadline's
// unit, provisional due dates, the calendar's end, and a session date typed in the past.
#include "case_fixture.h"

namespace docket::cli_test {
namespace {

class DeadlineCli : public CaseCliFixture {
 protected:
  void SetUp() override {
    CaseCliFixture::SetUp();
    set_up_directory();
  }
};

TEST_F(DeadlineCli, DeadlinesAreWordedInTheirUnitWithoutOneDays) {
  const std::string shown = ok("", {"workflow", "show", "supervision"});
  EXPECT_FALSE(contains(shown, " 1 days")) << shown;
  EXPECT_TRUE(contains(shown, "reminders 3 days, 1 day before")) << shown;
  EXPECT_TRUE(contains(shown, "10 working days after entering the stage; reminders 2 working days before")) << shown;
}

TEST_F(DeadlineCli, ADueDateInAYearWithoutACalendarIsShownAsProvisional) {
  const std::string number =
      ok("lan", {"case", "open", "social-critique", "--unit", "ninh-binh", "--title", "Dự thảo", "--field",
                 "drafting_body=Sở Tư pháp", "--field", "submission_date=2099-06-30"});
  const std::string case_number = number.substr(0, number.find('\n'));
  const Outcome shown = as("lan", {"case", "show", case_number});
  ASSERT_EQ(shown.exit_code, 0) << shown;
  EXPECT_TRUE(contains(shown.out, "provisional: no working-day calendar for 2099")) << shown;
  EXPECT_TRUE(contains(shown.err, "warning: " + case_number + ": due date 2099-06-29 is provisional")) << shown;
  const std::string explained = ok("", {"deadline", "explain", case_number});
  EXPECT_TRUE(contains(explained, "warning: provisional due date: no working-day calendar for 2099")) << explained;
}

TEST_F(DeadlineCli, CalendarCheckWarnsWhenTheCalendarEndsWithinAYear) {
  const Outcome checked =
      docket({"calendar", "check", (fs::path(DOCKET_WORKFLOWS_DIR) / "calendars" / "vn-2025.json").string()});
  EXPECT_EQ(checked.exit_code, 0) << checked;
  EXPECT_TRUE(contains(checked.err, "warning: the working-day calendar ends on 2025-12-31")) << checked;
}

TEST_F(DeadlineCli, ASessionDateAlreadyPastIsSetWithAWarning) {
  const std::string opened = ok("lan", {"case", "open", "supervision", "--unit", "ninh-binh", "--title", "Giám sát",
                                        "--field", "subject=Bình xét hộ nghèo", "--field", "supervised_body=ubnd-xa"});
  const std::string number = opened.substr(0, opened.find('\n'));
  const Outcome set = as("lan", {"case", "set", number, "--field", "session_date=2020-01-06"});
  ASSERT_EQ(set.exit_code, 0) << set;
  EXPECT_TRUE(contains(set.err, "warning: " + number + ": field session_date is 2020-01-06, already past")) << set;
  const Outcome future = as("lan", {"case", "set", number, "--field", "session_date=2099-01-06"});
  EXPECT_EQ(future.err, "") << future;
}

TEST_F(DeadlineCli, APartyNamedByAnAccountThatDoesNotExistIsWarnedAbout) {
  const Outcome opened = as("lan", {"case", "open", "supervision", "--unit", "ninh-binh", "--title", "Giám sát",
                                    "--field", "subject=Bình xét hộ nghèo", "--field", "supervised_body=ubnd-xa-moi"});
  ASSERT_EQ(opened.exit_code, 0) << opened;
  EXPECT_TRUE(contains(opened.err, ": field supervised_body names ubnd-xa-moi, who is not a user")) << opened;
  const std::string number = opened.out.substr(0, opened.out.find('\n'));
  const Outcome named = as("lan", {"case", "set", number, "--field", "competent_authority=UBND huyện Gia Viễn"});
  EXPECT_EQ(named.err, "") << "a body's name is not an account: " << named;
}

TEST_F(DeadlineCli, AnAnchorDateSoFarOutThatItsDueDateCannotBeHeldIsRefusedAndNothingIsStored) {
  const Outcome opened = as("lan", {"case", "open", "social-critique", "--unit", "ninh-binh", "--title", "Dự thảo",
                                    "--field", "drafting_body=Sở Tư pháp", "--field", "submission_date=1900-01-05"});
  EXPECT_NE(opened.exit_code, 0) << opened;
  EXPECT_TRUE(contains(opened.err, "field \"submission_date\" (1900-01-05) would fall outside the years 1900-9999"))
      << opened;
  EXPECT_EQ(ok("lan", {"case", "list"}).find("Dự thảo"), std::string::npos);
}

}  // namespace
}  // namespace docket::cli_test
