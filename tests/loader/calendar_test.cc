// Working-day arithmetic on the shipped Vietnamese calendar: the worked examples of
// docs/calendar.md, counted by hand there, must come out the same here.
#include <gtest/gtest.h>

#include "core/deadline.h"
#include "loader/calendar_loader.h"

namespace docket {
namespace {

const std::filesystem::path kCalendars = std::filesystem::path(DOCKET_WORKFLOWS_DIR) / "calendars";

Calendar shipped() {
  std::vector<CalendarFile> files;
  for (const char* name : {"vn-2025.json", "vn-2026.json", "vn-2027.json"}) {
    LoadedCalendar loaded = load_calendar_file(kCalendars / name);
    for (const auto& d : loaded.diagnostics) ADD_FAILURE() << name << ": " << d.path << ": " << d.message;
    if (loaded.file) files.push_back(*loaded.file);
  }
  return build_calendar(files);
}

Date day(const char* text) { return *parse_date(text); }

std::string count(const Calendar& calendar, const char* from, int n, DeadlineUnit unit, DeadlineDirection direction,
                  std::vector<SkippedDay>* skipped = nullptr) {
  return format_date(add_days(calendar, day(from), n, unit, direction, skipped));
}

// The due date of a stage whose deadline is anchored to the date field "anchor".
std::string due(const Calendar& calendar, const char* anchor, DeadlineSpec spec) {
  spec.anchor = "anchor";
  StageDefinition stage{"s", {"vi", "en"}, false, false, spec};
  Case current;
  current.fields["anchor"] = anchor;
  auto computed = compute_due_date(stage, current, Timestamp{}, calendar);
  return computed ? format_date(computed->due) : "ERROR " + computed.error().message;
}

TEST(CalendarTest, ShippedFilesLoadAndKnowTheHolidays) {
  const Calendar calendar = shipped();
  EXPECT_EQ(calendar.status(day("2026-02-17")).kind, DayKind::holiday);  // Tết Bính Ngọ, mùng 1
  EXPECT_EQ(calendar.status(day("2026-04-27")).kind, DayKind::holiday);  // compensatory day for Giỗ Tổ on Sunday
  EXPECT_EQ(calendar.status(day("2025-04-26")).kind, DayKind::worked_weekend);  // Saturday worked for 2 May 2025
  EXPECT_EQ(calendar.status(day("2025-05-02")).kind, DayKind::holiday);
  EXPECT_EQ(calendar.status(day("2026-03-03")).kind, DayKind::working);
  EXPECT_EQ(calendar.status(day("2026-03-07")).kind, DayKind::weekend);
}

TEST(CalendarTest, TenWorkingDaysAcrossTet2027) {
  std::vector<SkippedDay> skipped;
  EXPECT_EQ(count(shipped(), "2027-01-28", 10, DeadlineUnit::working_days, DeadlineDirection::after, &skipped),
            "2027-02-18");
  EXPECT_EQ(skipped.size(), 11u);
  EXPECT_NE(skipped.at(2).reason.find("Tết"), std::string::npos) << skipped.at(2).reason;  // 02-05, 29 Chạp
}

TEST(CalendarTest, FiveWorkingDaysBeforeAcrossTet2027) {
  EXPECT_EQ(count(shipped(), "2027-02-15", 5, DeadlineUnit::working_days, DeadlineDirection::before), "2027-02-01");
}

TEST(CalendarTest, CalendarDaysBeforeRollBackOnlyFromNonWorkingDays) {
  const Calendar calendar = shipped();
  DeadlineSpec spec{"", 15, DeadlineUnit::days, DeadlineDirection::before, true, {}, std::nullopt, ""};
  EXPECT_EQ(due(calendar, "2026-06-20", spec), "2026-06-05");  // a Friday: no roll
  EXPECT_EQ(due(calendar, "2026-09-15", spec), "2026-08-28");  // Monday 31 Aug is the swapped day off
}

TEST(CalendarTest, SwappedSaturdayCountsAndSwappedFridayDoesNot) {
  const Calendar calendar = shipped();
  EXPECT_EQ(count(calendar, "2025-04-24", 7, DeadlineUnit::working_days, DeadlineDirection::after), "2025-05-07");
  EXPECT_EQ(count(calendar, "2025-04-24", 3, DeadlineUnit::working_days, DeadlineDirection::after), "2025-04-28");
}

TEST(CalendarTest, WorkingDaysAcrossTheYearBoundaryUseBothFiles) {
  EXPECT_EQ(count(shipped(), "2025-12-31", 8, DeadlineUnit::working_days, DeadlineDirection::after), "2026-01-13");
}

TEST(CalendarTest, CalendarDaysAfterRollForward) {
  DeadlineSpec spec{"", 15, DeadlineUnit::days, DeadlineDirection::after, true, {}, std::nullopt, ""};
  EXPECT_EQ(due(shipped(), "2026-04-12", spec), "2026-04-28");  // 27 Apr is the day off for Giỗ Tổ
}

TEST(CalendarTest, TheExplanationNamesEverySkippedDay) {
  StageDefinition stage{
      "s",
      {"vi", "en"},
      false,
      false,
      DeadlineSpec{"anchor", 10, DeadlineUnit::working_days, DeadlineDirection::after, false, {3}, 2, "board"}};
  Case current;
  current.fields["anchor"] = "2027-01-28";
  auto computed = compute_due_date(stage, current, Timestamp{}, shipped());
  ASSERT_TRUE(computed.ok());
  const std::string text = computed->explain(*stage.deadline);
  EXPECT_NE(text.find("2027-02-05 (Friday)"), std::string::npos) << text;
  EXPECT_NE(text.find("Tết"), std::string::npos);
  EXPECT_NE(text.find("due 2027-02-18 (Thursday)"), std::string::npos) << text;
  EXPECT_NE(text.find("reminder 3"), std::string::npos);
  EXPECT_NE(text.find("escalate to board"), std::string::npos);
}

TEST(CalendarTest, AnEmptyAnchorFieldHasNoDueDate) {
  StageDefinition stage{
      "s",
      {"vi", "en"},
      false,
      false,
      DeadlineSpec{"anchor", 1, DeadlineUnit::days, DeadlineDirection::before, false, {}, std::nullopt, ""}};
  auto computed = compute_due_date(stage, Case{}, Timestamp{}, shipped());
  ASSERT_FALSE(computed.ok());
  EXPECT_EQ(computed.error().code, ErrorCode::field_missing);
}

std::string first_error(std::string_view json) {
  LoadedCalendar loaded = parse_calendar(json);
  return loaded.diagnostics.empty() ? "" : loaded.diagnostics.front().path + ": " + loaded.diagnostics.front().message;
}

TEST(CalendarCheckTest, MistakesAreNamedWithTheirPath) {
  const std::string head =
      R"({"calendar": "vn", "year": 2026, "version": 1, "effective_from": "2025-10-16", "weekend": ["saturday", "sunday"], )";
  EXPECT_EQ(first_error(head + R"("holidays": []})"), "");
  EXPECT_NE(first_error(head + R"("holidayz": []})").find("$.holidayz: unknown key"), std::string::npos);
  EXPECT_NE(first_error(head + R"("holidays": [{"date": "2027-01-01", "name": {"vi": "a", "en": "b"}}]})")
                .find("$.holidays[0].date: 2027-01-01 is not in 2026"),
            std::string::npos);
  EXPECT_NE(
      first_error(head + R"("holidays": [{"date": "2026-02-30", "name": {"vi": "a", "en": "b"}}]})").find("not a date"),
      std::string::npos);
  EXPECT_NE(first_error(head + R"("working_days": [{"date": "2026-03-04", "name": {"vi": "a", "en": "b"}}]})")
                .find("Wednesday, already a working day"),
            std::string::npos);
  EXPECT_NE(
      first_error(head + R"("holidays": [{"date": "2026-01-01", "name": {"vi": "a"}}]})").find("missing its \"en\""),
      std::string::npos);
  EXPECT_NE(first_error(R"({"calendar": "vn",)").find("malformed JSON at line 1"), std::string::npos);
}

}  // namespace
}  // namespace docket
