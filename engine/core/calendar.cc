#include "core/calendar.h"

#include <algorithm>

namespace docket {

Calendar::Calendar() = default;

void Calendar::set_weekend(std::set<unsigned> weekdays) { weekend_ = std::move(weekdays); }
void Calendar::add_holiday(Date date, const Label& name) { holidays_[std::chrono::sys_days{date}] = name; }
void Calendar::add_working_day(Date date, const Label& name) { working_days_[std::chrono::sys_days{date}] = name; }
void Calendar::add_covered_year(int year) { covered_years_.insert(year); }

std::optional<int> Calendar::last_covered_year() const {
  if (covered_years_.empty()) return std::nullopt;
  return *covered_years_.rbegin();
}

const char* weekday_name(Date date) {
  static constexpr const char* kNames[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                           "Thursday", "Friday", "Saturday"};
  return kNames[std::chrono::weekday{std::chrono::sys_days{date}}.c_encoding()];
}

DayStatus Calendar::status(Date date) const {
  const std::chrono::sys_days day{date};
  if (const auto holiday = holidays_.find(day); holiday != holidays_.end()) {
    return {DayKind::holiday, holiday->second.vi + " (" + holiday->second.en + ")"};
  }
  if (weekend_.count(std::chrono::weekday{day}.c_encoding())) {
    if (const auto worked = working_days_.find(day); worked != working_days_.end()) {
      return {DayKind::worked_weekend, worked->second.vi + " (" + worked->second.en + ")"};
    }
    return {DayKind::weekend, weekday_name(date)};
  }
  return {DayKind::working, ""};
}

std::vector<std::pair<Date, DayStatus>> Calendar::non_working_days(int year) const {
  std::vector<std::pair<Date, DayStatus>> days;
  const std::chrono::sys_days first{std::chrono::year{year} / 1 / 1};
  const std::chrono::sys_days last{std::chrono::year{year} / 12 / 31};
  for (auto day = first; day <= last; day += std::chrono::days{1}) {
    const DayStatus status_of_day = status(Date{day});
    if (!status_of_day.is_working()) days.emplace_back(Date{day}, status_of_day);
  }
  return days;
}

std::vector<std::pair<Date, DayStatus>> Calendar::named_days(int year) const {
  std::vector<std::pair<Date, DayStatus>> days;
  for (const auto& [day, name] : holidays_) {
    if (Date{day}.year() == std::chrono::year{year}) days.emplace_back(Date{day}, status(Date{day}));
  }
  for (const auto& [day, name] : working_days_) {
    if (Date{day}.year() == std::chrono::year{year}) days.emplace_back(Date{day}, status(Date{day}));
  }
  std::sort(days.begin(), days.end(), [](const auto& a, const auto& b) {
    return std::chrono::sys_days{a.first} < std::chrono::sys_days{b.first};
  });
  return days;
}

std::string coverage_warning(const Calendar& calendar, Date today, int months) {
  const auto last_year = calendar.last_covered_year();
  if (!last_year) return "";
  const Date end = std::chrono::year{*last_year} / 12 / 31;
  const auto ahead = std::chrono::year_month{today.year(), today.month()} + std::chrono::months{months};
  const std::chrono::sys_days horizon{ahead / std::min(today.day(), (ahead / std::chrono::last).day())};
  if (std::chrono::sys_days{end} >= horizon) return "";
  return "the working-day calendar ends on " + format_date(end) + ", less than " + std::to_string(months) +
         " months after " + format_date(today) + ": due dates counted past it are provisional; add the " +
         std::to_string(*last_year + 1) + " file (docs/calendar.md)";
}

}  // namespace docket
