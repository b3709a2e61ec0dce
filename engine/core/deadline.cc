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

Result<Date> anchor_date(const DeadlineSpec& spec, const Case& current, Timestamp entered_at) {
  if (spec.anchor == DeadlineSpec::kEntered) return vietnam_date(entered_at);
  const auto field = current.fields.find(spec.anchor);
  if (field == current.fields.end() || field->second.empty()) {
    return make_error(ErrorCode::field_missing,
                      "the deadline is anchored to field " + in_quotes(spec.anchor) + ", which is not set");
  }
  if (const auto date = parse_date(field->second)) return *date;
  if (const auto at = parse_datetime(field->second)) return vietnam_date(*at);
  return make_error(ErrorCode::invalid_field,
                    "field " + in_quotes(spec.anchor) + " holds " + in_quotes(field->second) + ", not a date");
}

std::string day_text(Date date) { return format_date(date) + " (" + weekday_name(date) + ")"; }

}  // namespace

Date add_days(const Calendar& calendar, Date from, int count, DeadlineUnit unit, DeadlineDirection direction,
              std::vector<SkippedDay>* skipped) {
  const days step{direction == DeadlineDirection::after ? 1 : -1};
  if (unit == DeadlineUnit::days) return Date{sys_days{from} + step * count};
  sys_days day{from};
  for (int counted = 0; counted < count;) {
    day += step;
    const DayStatus status = calendar.status(Date{day});
    if (status.is_working()) {
      ++counted;
    } else if (skipped != nullptr) {
      skipped->push_back({Date{day}, status.reason});
    }
  }
  return Date{day};
}

Result<DueDate> compute_due_date(const StageDefinition& stage, const Case& current, Timestamp entered_at,
                                 const Calendar& calendar) {
  if (!stage.deadline) return make_error(ErrorCode::not_found, "stage " + in_quotes(stage.id) + " has no deadline");
  const DeadlineSpec& spec = *stage.deadline;
  auto anchor = anchor_date(spec, current, entered_at);
  if (!anchor) return anchor.error();
  DueDate due;
  due.stage = stage.id;
  due.anchor = spec.anchor;
  due.anchor_date = *anchor;
  due.due = add_days(calendar, *anchor, spec.offset, spec.unit, spec.direction, &due.skipped);
  if (spec.roll_to_working_day && !calendar.is_working_day(due.due)) {
    // Roll towards the anchor's side that never gives less time than the rule: later for
    // "after", earlier for "before".
    due.rolled_from = due.due;
    const days step{spec.direction == DeadlineDirection::after ? 1 : -1};
    sys_days day{due.due};
    while (!calendar.is_working_day(Date{day})) {
      due.skipped.push_back({Date{day}, calendar.status(Date{day}).reason});
      day += step;
    }
    due.due = Date{day};
  }
  due.due_at = vietnam_time(Date{sys_days{due.due} + days{1}}, 0);
  for (int before : spec.reminders) {
    const Date day = add_days(calendar, due.due, before, spec.unit, DeadlineDirection::before, nullptr);
    due.reminders.push_back({before, vietnam_time(day, 8)});
  }
  std::sort(due.reminders.begin(), due.reminders.end(),
            [](const Reminder& a, const Reminder& b) { return a.at < b.at; });
  if (spec.escalate_after) {
    const Date day = add_days(calendar, Date{sys_days{due.due} + days{1}}, *spec.escalate_after, spec.unit,
                              DeadlineDirection::after, nullptr);
    due.escalate_at = vietnam_time(day, 0);
    due.escalate_to = spec.escalate_to;
  }
  return due;
}

std::string DueDate::explain(const DeadlineSpec& spec) const {
  std::ostringstream out;
  out << "stage " << stage << ": anchor " << (anchor == DeadlineSpec::kEntered ? "stage entered" : "field " + anchor)
      << " = " << day_text(anchor_date) << "\n";
  out << "  " << spec.offset << (spec.unit == DeadlineUnit::working_days ? " working day(s) " : " calendar day(s) ")
      << (spec.direction == DeadlineDirection::after ? "after" : "before") << " the anchor\n";
  for (const auto& day : skipped) out << "  skipped " << day_text(day.date) << ": " << day.reason << "\n";
  if (rolled_from) {
    out << "  " << day_text(*rolled_from) << " is not a working day: rolled "
        << (spec.direction == DeadlineDirection::after ? "forward" : "back") << " to a working day\n";
  }
  out << "  due " << day_text(due) << "; breached at " << format_timestamp(due_at)
      << " (end of the due day, Vietnam time)\n";
  for (const auto& reminder : reminders) {
    out << "  reminder " << reminder.days_before << " day(s) before at " << format_timestamp(reminder.at) << "\n";
  }
  if (escalate_at) out << "  escalate to " << escalate_to << " at " << format_timestamp(*escalate_at) << "\n";
  return out.str();
}

}  // namespace docket
