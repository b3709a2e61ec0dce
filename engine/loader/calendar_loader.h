// Reads working-day calendar files (workflows/calendars/*.json; format in docs/calendar.md):
// one file per calendar and year, versioned, with the holidays and the worked weekend days.
// Every problem is reported with its JSON path, as for workflow files. Thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/workflow_validator.h"

namespace docket {

struct CalendarDay {
  Date date;
  Label name;
  std::string source;
  std::optional<Date> instead_of;  // worked weekend days: the day off they make up for
};

struct CalendarFile {
  std::string calendar;  // "vn"
  int year = 0;
  int version = 0;
  Date effective_from;
  std::set<unsigned> weekend;  // 0 = Sunday ... 6 = Saturday
  std::vector<CalendarDay> holidays;
  std::vector<CalendarDay> working_days;
};

struct LoadedCalendar {
  std::optional<CalendarFile> file;  // set only when there are no errors
  std::vector<Diagnostic> diagnostics;
};

LoadedCalendar parse_calendar(std::string_view json);
LoadedCalendar load_calendar_file(const std::filesystem::path& path);

// One Calendar from calendar files: for each calendar id and year the highest version counts;
// different calendar ids add up (a deployment's "ninh-binh" file adds a provincial day to "vn").
// The weekend is that of the latest year's file. The calendar covers the years of the files
// (with none, it is a weekends-only calendar covering every year).
Calendar build_calendar(const std::vector<CalendarFile>& files);

}  // namespace docket
