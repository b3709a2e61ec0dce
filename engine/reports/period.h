// The time frame of a report: the reporting period (a half-year, a year or any range of days,
// as Vietnam's calendar shows them) and the moment the figures are taken "as of". Parsing only;
// no clock (the caller passes now). Plain values; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "core/text.h"
#include "core/time.h"

namespace docket::reports {

// A range of whole days in Vietnam, both ends included.
struct ReportPeriod {
  std::string label;  // as written: "2026-H1", "2026", "2026-01-01..2026-03-31"
  Date from;
  Date to;
  bool contains(Date day) const { return from <= day && day <= to; }
};

// "2026-H1" (1 Jan - 30 Jun), "2026-H2" (1 Jul - 31 Dec), "2026" (the year) or "FROM..TO"
// (YYYY-MM-DD each, FROM not after TO). Errors: invalid_argument naming the text and the
// accepted forms, or saying FROM is after TO.
Result<ReportPeriod> parse_period(std::string_view text);

// The moment a report is taken at: every event at or before it counts, none after it.
struct AsOf {
  std::string label;  // "2026-07-15", or the canonical timestamp when none was asked for
  Timestamp cutoff;   // the last second that counts
};

// "" (now), a date ("2026-07-15": up to the end of that day in Vietnam, or now when that day is
// today) or a date and time as core/time.h reads them. Errors: invalid_argument when malformed
// or later than `now` (a report cannot see the future).
Result<AsOf> parse_as_of(std::string_view text, Timestamp now);

// Checks that `period` has begun by `as_of`. Error: invalid_argument saying so.
Status check_period_started(const ReportPeriod& period, const AsOf& as_of);

// The last second of `day` in Vietnam (23:59:59 local time) as a UTC instant.
Timestamp end_of_vietnam_day(Date day);

}  // namespace docket::reports
