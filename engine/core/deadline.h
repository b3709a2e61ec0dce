// Deadline arithmetic: from a stage's deadline spec, the case and the calendar to a due date,
// its reminders and its escalation time, with every step written down so a person can check
// how the date was reached. Pure; thread-safe.
//
// Times: a due date is a day in Vietnam; the deadline is breached when that day is over
// (00:00 Vietnam time the next day). Reminders fire at 08:00 Vietnam time on their day; a
// reminder day that is not a working day moves to the next working morning.
//
// A due date counted in, or through, a year the calendar has no data for is provisional: the
// holidays of that year are unknown, so it may move when that year's calendar is loaded.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/case.h"
#include "core/result.h"
#include "core/workflow.h"

namespace docket {

struct SkippedDay {
  Date date;
  std::string reason;  // "Sunday", "Tết Nguyên đán (Lunar New Year)"
};

struct Reminder {
  int days_before = 0;
  Timestamp at{};
  std::optional<Date> moved_from;  // the non-working day it fell on before moving to a working morning
};

struct DueDate {
  std::string stage;
  Date anchor_date;
  std::string anchor;  // "entered" or the field id
  Date due;
  Timestamp due_at{};               // the moment the deadline is breached
  std::vector<SkippedDay> skipped;  // non-working days passed over while counting or rolling
  std::optional<Date> rolled_from;  // the date before rolling to a working day
  std::vector<Reminder> reminders;  // in time order
  std::optional<Timestamp> escalate_at;
  std::string escalate_to;
  std::vector<int> uncovered_years;  // counted through without calendar data: provisional when any

  // Why the due date may still move ("no working-day calendar for 2029"); empty when final.
  std::string provisional() const;

  // Several lines a person reads: the anchor, the offset, each skipped day and why, the result.
  std::string explain(const DeadlineSpec& spec) const;
};

// The due date of `stage` for `current` (whose stage it need not be: `entered_at` is when the
// stage was entered). Fails with field_missing when the anchor field has no value, and with
// invalid_field when its value is not a date or when a date counted from it (the due date, a
// reminder, the escalation) would fall outside the years dates can hold (time.h).
Result<DueDate> compute_due_date(const StageDefinition& stage, const Case& current, Timestamp entered_at,
                                 const Calendar& calendar);

// What a person is told about a provisional recorded due date: "due date 2029-01-05 is
// provisional (no working-day calendar for 2029): ...". Empty when it is final.
std::string provisional_warning(const CaseDeadline& deadline);

// "1 day", "3 working days" (language "en"); "1 ngày", "3 ngày làm việc" ("vi").
std::string day_count(int count, DeadlineUnit unit, std::string_view language = "en");

// How many days of `unit` are left from `today` to the end of `due`: calendar days between the
// two, or the working days after `today` up to and including `due`. 0 when `due` is today or past.
int days_left(const Calendar& calendar, Date today, Date due, DeadlineUnit unit);

// `count` days from `from` in `direction`: calendar days, or working days that skip (and record
// in `skipped`) every non-working day. nullopt when the count leaves the years dates can hold
// (time.h); it stops there, so it is bounded in time and memory whatever `count` is.
std::optional<Date> add_days(const Calendar& calendar, Date from, int count, DeadlineUnit unit,
                             DeadlineDirection direction, std::vector<SkippedDay>* skipped);

}  // namespace docket
