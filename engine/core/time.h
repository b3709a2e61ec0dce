// Points in time and calendar dates as the core sees them, and their text forms.
// The core never reads a clock: callers pass the time in. Thread-safe, no I/O.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace docket {

using Timestamp = std::chrono::sys_seconds;
using Date = std::chrono::year_month_day;

// Vietnam keeps one offset all year (UTC+7, no daylight saving); times typed without an offset
// are read in it.
inline constexpr std::chrono::minutes kVietnamOffset{7 * 60};

// The years a date can hold: what parse_date accepts and the stored form writes.
inline constexpr int kFirstDateYear = 1900;
inline constexpr int kLastDateYear = 9999;

// "2026-04-30" -> the date; nullopt unless it is a real calendar date in that exact form, in
// the years kFirstDateYear-kLastDateYear.
std::optional<Date> parse_date(std::string_view text);
std::string format_date(Date date);

// "2026-04-30T08:30:00Z", "2026-04-30T15:30:00+07:00", "2026-04-30T15:30" (Vietnam time) or
// "2026-04-30 15:30:00" -> the instant; nullopt when malformed or out of range.
std::optional<Timestamp> parse_datetime(std::string_view text);

// The canonical form, in UTC: "2026-04-30T08:30:00Z".
std::string format_timestamp(Timestamp at);

// The date on the wall calendar in Vietnam at `at`.
Date vietnam_date(Timestamp at);

}  // namespace docket
