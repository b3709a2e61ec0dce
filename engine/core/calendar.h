// The working-day calendar: which days are weekends, public holidays, or weekend days that are
// worked to make up for a swapped day off. Filled from data files (workflows/calendars/); the
// core only answers questions about days. It also knows which years its data covers: a date in
// a year without data is counted with the weekend alone, and a due date counted through such a
// year is provisional (deadline.h). Immutable once built; safe to share as const.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/text.h"
#include "core/time.h"

namespace docket {

enum class DayKind { working, weekend, holiday, worked_weekend };

struct DayStatus {
  DayKind kind = DayKind::working;
  std::string reason;  // "Saturday", "Tết Nguyên đán Bính Ngọ", "worked to make up for ..."
  bool is_working() const { return kind == DayKind::working || kind == DayKind::worked_weekend; }
};

class Calendar {
 public:
  // Saturday and Sunday off, no holidays.
  Calendar();

  void set_weekend(std::set<unsigned> weekdays);  // 0 = Sunday ... 6 = Saturday
  void add_holiday(Date date, const Label& name);
  void add_working_day(Date date, const Label& name);  // a weekend day that is worked
  // Declares that the data covers `year` (its holidays are known). A calendar that declares no
  // year is a weekends-only calendar by design and covers every year.
  void add_covered_year(int year);

  bool covers(int year) const { return covered_years_.empty() || covered_years_.count(year) > 0; }
  // The last year the data covers; nullopt for a calendar that declares none.
  std::optional<int> last_covered_year() const;

  DayStatus status(Date date) const;
  bool is_working_day(Date date) const { return status(date).is_working(); }

  // The non-working days of `year` (weekends not worked, holidays), in date order.
  std::vector<std::pair<Date, DayStatus>> non_working_days(int year) const;
  // The days of `year` named in the data (holidays and worked weekend days).
  std::vector<std::pair<Date, DayStatus>> named_days(int year) const;

  bool operator==(const Calendar&) const = default;

 private:
  std::set<unsigned> weekend_{0, 6};
  std::map<std::chrono::sys_days, Label> holidays_;
  std::map<std::chrono::sys_days, Label> working_days_;
  std::set<int> covered_years_;
};

// "Monday" ... "Sunday".
const char* weekday_name(Date date);

// A warning for people when the calendar's data ends less than `months` months after `today`
// (due dates counted past its end are provisional until the next year's file is loaded); empty
// otherwise, and for a calendar that declares no year.
std::string coverage_warning(const Calendar& calendar, Date today, int months = 12);

}  // namespace docket
