#include "core/deadline.h"

#include <algorithm>
#include <sstream>

namespace docket {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

Timestamp vietnam_time(Date date, int hour) {
  return std::chrono::time_point_cast<std::chrono::seconds>(sys_days{date} + std::chrono::hours{hour} - kVietnamOffset);
}

bool is_set(const Case& current, const std::string& field) {
  const auto found = current.fields.find(field);
  return found != current.fields.end() && !found->second.empty();
}

// The anchor counted from: `spec.anchor`, or its fallback while the anchor field is empty.
std::string anchor_used(const DeadlineSpec& spec, const Case& current) {
  const bool fall_back =
      spec.anchor != DeadlineSpec::kEntered && !spec.fallback_anchor.empty() && !is_set(current, spec.anchor);
  return fall_back ? spec.fallback_anchor : spec.anchor;
}

Result<Date> anchor_date(const std::string& anchor, const Case& current, Timestamp entered_at) {
  if (anchor == DeadlineSpec::kEntered) return vietnam_date(entered_at);
  if (!is_set(current, anchor)) {
    return make_error(ErrorCode::field_missing,
                      "the deadline is anchored to field " + in_quotes(anchor) + ", which is not set");
  }
  const std::string& value = current.fields.at(anchor);
  if (const auto date = parse_date(value)) return *date;
  if (const auto at = parse_datetime(value)) return vietnam_date(*at);
  return make_error(ErrorCode::invalid_field,
                    "field " + in_quotes(anchor) + " holds " + in_quotes(value) + ", not a date");
}

std::string day_text(Date date) { return format_date(date) + " (" + weekday_name(date) + ")"; }

// The dates deadlines are counted within: the years a stored date can hold (time.h). Counting
// stops at their edges, so no count runs longer than 8,100 years of days whatever it is given.
bool in_range(sys_days day) {
  const Date date{day};
  return date.year() >= std::chrono::year{kFirstDateYear} && date.year() <= std::chrono::year{kLastDateYear};
}

// The next working day from `day` in the direction of `step` (`day` itself when it is one);
// nullopt past the range.
std::optional<sys_days> working_day_from(const Calendar& calendar, sys_days day, days step,
                                         std::vector<SkippedDay>* skipped) {
  for (; in_range(day); day += step) {
    const DayStatus status = calendar.status(Date{day});
    if (status.is_working()) return day;
    if (skipped != nullptr) skipped->push_back({Date{day}, status.reason});
  }
  return std::nullopt;
}

Error out_of_range(const std::string& what, const std::string& anchor, Date anchor_day) {
  const std::string from =
      anchor == DeadlineSpec::kEntered ? "the day the stage was entered" : "field " + in_quotes(anchor);
  return make_error(ErrorCode::invalid_field, what + " counted from " + from + " (" + format_date(anchor_day) +
                                                  ") would fall outside the years " + std::to_string(kFirstDateYear) +
                                                  "-" + std::to_string(kLastDateYear) + " that dates can hold");
}

// The working morning a reminder of `day` is sent on: `day`, or the next working day.
std::optional<Reminder> reminder_on(const Calendar& calendar, int days_before, Date day) {
  Reminder reminder{days_before, {}, std::nullopt};
  const auto found = working_day_from(calendar, sys_days{day}, days{1}, nullptr);
  if (!found) return std::nullopt;
  const sys_days morning = *found;
  if (morning != sys_days{day}) reminder.moved_from = day;
  reminder.at = vietnam_time(Date{morning}, 8);
  return reminder;
}

// The years from `first` to `last` (either order) that the calendar has no data for.
std::vector<int> uncovered_years(const Calendar& calendar, Date first, Date last) {
  const int from = static_cast<int>(std::min(first, last).year());
  const int to = static_cast<int>(std::max(first, last).year());
  std::vector<int> years;
  for (int year = from; year <= to; ++year) {
    if (!calendar.covers(year)) years.push_back(year);
  }
  return years;
}

}  // namespace

std::string provisional_warning(const CaseDeadline& deadline) {
  if (deadline.provisional.empty()) return "";
  return "due date " + deadline.due + " is provisional (" + deadline.provisional +
         "): it was counted with weekends only there, and is recomputed when that calendar is loaded";
}

std::string day_count(int count, DeadlineUnit unit, std::string_view language) {
  const bool working = unit == DeadlineUnit::working_days;
  if (language == "vi") return std::to_string(count) + (working ? " ngày làm việc" : " ngày");
  return std::to_string(count) + (working ? " working day" : " day") + (count == 1 ? "" : "s");
}

int days_left(const Calendar& calendar, Date today, Date due, DeadlineUnit unit) {
  if (sys_days{due} <= sys_days{today}) return 0;
  if (unit == DeadlineUnit::days) return static_cast<int>((sys_days{due} - sys_days{today}).count());
  int left = 0;
  for (sys_days day = sys_days{today} + days{1}; day <= sys_days{due}; day += days{1})
    left += calendar.is_working_day(Date{day});
  return left;
}

std::optional<Date> add_days(const Calendar& calendar, Date from, int count, DeadlineUnit unit,
                             DeadlineDirection direction, std::vector<SkippedDay>* skipped) {
  const days step{direction == DeadlineDirection::after ? 1 : -1};
  if (!in_range(sys_days{from})) return std::nullopt;
  if (unit == DeadlineUnit::days) {
    // Checked in the wide type first: a count of billions of days overflows no year.
    const long long years = static_cast<long long>(count) / 366;
    if (years > kLastDateYear - kFirstDateYear) return std::nullopt;
    const sys_days day = sys_days{from} + step * count;
    if (!in_range(day)) return std::nullopt;
    return Date{day};
  }
  sys_days day{from};
  for (int counted = 0; counted < count; ++counted) {
    const auto next = working_day_from(calendar, day + step, step, skipped);
    if (!next) return std::nullopt;
    day = *next;
  }
  return Date{day};
}

Result<DueDate> compute_due_date(const StageDefinition& stage, const Case& current, Timestamp entered_at,
                                 const Calendar& calendar) {
  if (!stage.deadline) return make_error(ErrorCode::not_found, "stage " + in_quotes(stage.id) + " has no deadline");
  const DeadlineSpec& spec = *stage.deadline;
  const std::string anchor_field = anchor_used(spec, current);
  auto anchor = anchor_date(anchor_field, current, entered_at);
  if (!anchor) return anchor.error();
  DueDate due;
  due.stage = stage.id;
  due.anchor = anchor_field;
  due.anchor_date = *anchor;
  const auto counted = add_days(calendar, *anchor, spec.offset, spec.unit, spec.direction, &due.skipped);
  if (!counted) return out_of_range("the due date", anchor_field, *anchor);
  due.due = *counted;
  if (spec.roll_to_working_day && !calendar.is_working_day(due.due)) {
    // Roll towards the anchor's side that never gives less time than the rule: later for
    // "after", earlier for "before".
    due.rolled_from = due.due;
    const days step{spec.direction == DeadlineDirection::after ? 1 : -1};
    const auto rolled = working_day_from(calendar, sys_days{due.due}, step, &due.skipped);
    if (!rolled) return out_of_range("the due date", anchor_field, *anchor);
    due.due = Date{*rolled};
  }
  const sys_days after_due = sys_days{due.due} + days{1};
  if (!in_range(after_due)) return out_of_range("the end of the due day", anchor_field, *anchor);
  due.due_at = vietnam_time(Date{after_due}, 0);
  due.uncovered_years = uncovered_years(calendar, *anchor, due.due);
  for (int before : spec.reminders) {
    const auto day = add_days(calendar, due.due, before, spec.unit, DeadlineDirection::before, nullptr);
    const auto reminder = day ? reminder_on(calendar, before, *day) : std::nullopt;
    if (!reminder) return out_of_range("a reminder", anchor_field, *anchor);
    due.reminders.push_back(*reminder);
  }
  std::sort(due.reminders.begin(), due.reminders.end(),
            [](const Reminder& a, const Reminder& b) { return a.at < b.at; });
  if (spec.escalate_after) {
    const auto day =
        add_days(calendar, Date{after_due}, *spec.escalate_after, spec.unit, DeadlineDirection::after, nullptr);
    if (!day) return out_of_range("the escalation", anchor_field, *anchor);
    due.escalate_at = vietnam_time(*day, 0);
    due.escalate_to = spec.escalate_to;
  }
  return due;
}

std::string DueDate::provisional() const {
  if (uncovered_years.empty()) return "";
  std::string years;
  for (int year : uncovered_years) years += (years.empty() ? "" : ", ") + std::to_string(year);
  return "no working-day calendar for " + years;
}

std::string DueDate::explain(const DeadlineSpec& spec) const {
  std::ostringstream out;
  out << "stage " << stage << ": anchor " << (anchor == DeadlineSpec::kEntered ? "stage entered" : "field " + anchor)
      << " = " << day_text(anchor_date);
  if (anchor != spec.anchor) out << " (field " << spec.anchor << " is not set)";
  out << "\n";
  const std::string offset =
      spec.unit == DeadlineUnit::working_days
          ? day_count(spec.offset, spec.unit)
          : std::to_string(spec.offset) + (spec.offset == 1 ? " calendar day" : " calendar days");
  out << "  " << offset << " " << (spec.direction == DeadlineDirection::after ? "after" : "before") << " the anchor\n";
  for (const auto& day : skipped) out << "  skipped " << day_text(day.date) << ": " << day.reason << "\n";
  if (rolled_from) {
    out << "  " << day_text(*rolled_from) << " is not a working day: rolled "
        << (spec.direction == DeadlineDirection::after ? "forward" : "back") << " to a working day\n";
  }
  out << "  due " << day_text(due) << "; breached at " << format_timestamp(due_at)
      << " (end of the due day, Vietnam time)\n";
  for (const auto& reminder : reminders) {
    out << "  reminder " << day_count(reminder.days_before, spec.unit) << " before at "
        << format_timestamp(reminder.at);
    if (reminder.moved_from)
      out << " (" << day_text(*reminder.moved_from) << " is not a working day: moved to the next working morning)";
    out << "\n";
  }
  if (escalate_at) out << "  escalate to " << escalate_to << " at " << format_timestamp(*escalate_at) << "\n";
  if (!uncovered_years.empty()) {
    out << "  warning: provisional due date: " << provisional()
        << "; counted with weekends only there, recomputed when that calendar is loaded (docket calendar reload)\n";
  }
  return out.str();
}

}  // namespace docket
