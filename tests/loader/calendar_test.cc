// Working-day arithmetic on the shipped Vietnamese calendar: the worked examples of
// docs/calendar.md, counted by hand there, must come out the same here.
#include <gtest/gtest.h>
#include <limits>

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
  const auto counted = add_days(calendar, day(from), n, unit, direction, skipped);
  return counted ? format_date(*counted) : "OUT OF RANGE";
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

TEST(CalendarTest, CountingStopsAtTheYearsDatesCanHoldWhateverTheCount) {
  const Calendar calendar = shipped();
  const int huge = std::numeric_limits<int>::max();
  EXPECT_EQ(count(calendar, "2026-01-05", huge, DeadlineUnit::working_days, DeadlineDirection::after), "OUT OF RANGE");
  EXPECT_EQ(count(calendar, "2026-01-05", huge, DeadlineUnit::days, DeadlineDirection::after), "OUT OF RANGE");
  EXPECT_EQ(count(calendar, "2026-01-05", huge, DeadlineUnit::working_days, DeadlineDirection::before), "OUT OF RANGE");
  EXPECT_EQ(count(calendar, "9999-12-30", 1, DeadlineUnit::days, DeadlineDirection::after), "9999-12-31");
  EXPECT_EQ(count(calendar, "9999-12-30", 2, DeadlineUnit::days, DeadlineDirection::after), "OUT OF RANGE");
  EXPECT_EQ(count(calendar, "1900-01-02", 1, DeadlineUnit::working_days, DeadlineDirection::before), "1900-01-01");
  EXPECT_EQ(count(calendar, "1900-01-01", 1, DeadlineUnit::working_days, DeadlineDirection::before), "OUT OF RANGE");
}

TEST(CalendarTest, ADueDatePastTheLastYearIsRefusedNamingTheAnchor) {
  DeadlineSpec spec{"", 10, DeadlineUnit::working_days, DeadlineDirection::after, true, {3}, 5, "board"};
  EXPECT_EQ(due(shipped(), "9999-12-25", spec),
            "ERROR the due date counted from field \"anchor\" (9999-12-25) would fall outside the years 1900-9999 "
            "that dates can hold");
  EXPECT_EQ(due(shipped(), "9999-12-14", spec),
            "ERROR the escalation counted from field \"anchor\" (9999-12-14) would fall outside the years "
            "1900-9999 that dates can hold");
  EXPECT_EQ(due(shipped(), "9999-10-01", spec), "9999-10-15");
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

Calendar shipped_through_2028() {
  std::vector<CalendarFile> files;
  for (const char* name : {"vn-2025.json", "vn-2026.json", "vn-2027.json", "vn-2028.json"}) {
    LoadedCalendar loaded = load_calendar_file(kCalendars / name);
    for (const auto& d : loaded.diagnostics) ADD_FAILURE() << name << ": " << d.path << ": " << d.message;
    if (loaded.file) files.push_back(*loaded.file);
  }
  return build_calendar(files);
}

// The days off of 2028 worked out by hand (docs/calendar.md): Tết Mậu Thân on Wednesday 26
// January as Tết Ất Tỵ 2025, and the days the law gives when 1/1, 30/4 and 2/9 fall on a weekend.
TEST(CalendarTest, The2028FileHasTetMauThanAndTheCompensatoryDays) {
  const Calendar calendar = shipped_through_2028();
  for (const char* off : {"2028-01-03", "2028-01-24", "2028-01-25", "2028-01-26", "2028-01-27", "2028-01-28",
                          "2028-04-04", "2028-05-01", "2028-05-02", "2028-09-01", "2028-09-04"}) {
    EXPECT_EQ(calendar.status(day(off)).kind, DayKind::holiday) << off;
  }
  EXPECT_TRUE(calendar.is_working_day(day("2028-01-31")));  // the Monday after Tết
  EXPECT_TRUE(calendar.is_working_day(day("2028-04-03")));
  EXPECT_TRUE(calendar.covers(2028));
  EXPECT_FALSE(calendar.covers(2029));
  // Tết and the day next to 2/9 come from no notice yet: marked derived, as in 2027.
  const LoadedCalendar file = load_calendar_file(kCalendars / "vn-2028.json");
  ASSERT_TRUE(file.file.has_value());
  int derived = 0;
  for (const auto& holiday : file.file->holidays) {
    const bool is_derived =
        holiday.source.rfind("derived from the Labour Code; replace with the official notice", 0) == 0;
    const std::string date = format_date(holiday.date);
    EXPECT_EQ(is_derived, date.substr(5, 2) == "01" ? date >= "2028-01-24" : date == "2028-09-01") << date;
    derived += is_derived;
  }
  EXPECT_EQ(derived, 6);
}

TEST(CalendarTest, AYearWithoutAFileMakesTheDueDateProvisional) {
  DeadlineSpec spec{"", 10, DeadlineUnit::working_days, DeadlineDirection::after, false, {}, std::nullopt, ""};
  spec.anchor = "anchor";
  StageDefinition stage{"s", {"vi", "en"}, false, false, spec};
  Case current;
  current.fields["anchor"] = "2028-12-25";  // counted through New Year 2029
  auto through = compute_due_date(stage, current, Timestamp{}, shipped_through_2028());
  ASSERT_TRUE(through.ok());
  EXPECT_EQ(through->provisional(), "no working-day calendar for 2029");
  EXPECT_NE(through->explain(spec).find("warning: provisional due date"), std::string::npos);
  current.fields["anchor"] = "2028-12-01";
  EXPECT_EQ(compute_due_date(stage, current, Timestamp{}, shipped_through_2028())->provisional(), "");
}

TEST(CalendarTest, ItWarnsWhenTheCalendarEndsWithinTwelveMonths) {
  const Calendar calendar = shipped_through_2028();
  EXPECT_EQ(coverage_warning(calendar, day("2027-12-31")), "");
  const std::string warning = coverage_warning(calendar, day("2028-01-02"));
  EXPECT_NE(warning.find("ends on 2028-12-31"), std::string::npos) << warning;
  EXPECT_NE(warning.find("add the 2029 file"), std::string::npos) << warning;
  EXPECT_EQ(coverage_warning(Calendar{}, day("2028-01-02")), "") << "a weekends-only calendar never ends";
}

TEST(CalendarTest, RemindersOnADayOffMoveToTheNextWorkingMorning) {
  const DeadlineSpec spec{"anchor", 0, DeadlineUnit::days, DeadlineDirection::after, false, {3, 1}, std::nullopt, ""};
  StageDefinition stage{"s", {"vi", "en"}, false, false, spec};
  Case current;
  current.fields["anchor"] = "2028-05-03";  // Wednesday after 30/4 (Sunday), 1/5 and its compensatory 2/5
  auto due = compute_due_date(stage, current, Timestamp{}, shipped_through_2028());
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->reminders.size(), 2u);
  EXPECT_EQ(format_timestamp(due->reminders[0].at), "2028-05-03T01:00:00Z");  // 3 days before: Sunday 30 April
  EXPECT_EQ(format_date(*due->reminders[0].moved_from), "2028-04-30");
  EXPECT_EQ(format_timestamp(due->reminders[1].at), "2028-05-03T01:00:00Z");  // 1 day before: Tuesday 2 May
  EXPECT_NE(due->explain(spec).find("reminder 1 day before"), std::string::npos) << due->explain(spec);
  EXPECT_EQ(day_count(1, DeadlineUnit::working_days), "1 working day");
  EXPECT_EQ(day_count(3, DeadlineUnit::working_days, "vi"), "3 ngày làm việc");
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
