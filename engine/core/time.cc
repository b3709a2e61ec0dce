#include "core/time.h"

#include <charconv>
#include <cstdio>

namespace docket {
namespace {

// Reads exactly `width` ASCII digits at `pos`.
std::optional<int> read_digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto year = read_digits(text, 0, 4);
  const auto month = read_digits(text, 5, 2);
  const auto day = read_digits(text, 8, 2);
  if (!year || !month || !day) return std::nullopt;
  const Date date{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                  std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok() || *year < kFirstDateYear) return std::nullopt;
  return date;
}

namespace {

// Writes `value` as `width` digits (zero-padded) at `out`; returns the end. On every event
// written and every row saved: snprintf cost ten times as much.
char* put_digits(char* out, int value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

// "2026-04-30" at `out` (years 0-9999, as the stored form allows); returns the end.
char* put_date(char* out, Date date) {
  out = put_digits(out, static_cast<int>(date.year()), 4);
  *out++ = '-';
  out = put_digits(out, static_cast<int>(static_cast<unsigned>(date.month())), 2);
  *out++ = '-';
  return put_digits(out, static_cast<int>(static_cast<unsigned>(date.day())), 2);
}

}  // namespace

std::string format_date(Date date) {
  const int year = static_cast<int>(date.year());
  if (year < 0 || year > 9999) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", year, static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()));
    return buffer;
  }
  char buffer[10];
  return std::string(buffer, put_date(buffer, date));
}

std::optional<Timestamp> parse_datetime(std::string_view text) {
  if (text.size() < 16 || (text[10] != 'T' && text[10] != ' ') || text[13] != ':') return std::nullopt;
  const auto date = parse_date(text.substr(0, 10));
  const auto hour = read_digits(text, 11, 2);
  const auto minute = read_digits(text, 14, 2);
  if (!date || !hour || !minute || *hour > 23 || *minute > 59) return std::nullopt;
  std::size_t pos = 16;
  int second = 0;
  if (pos < text.size() && text[pos] == ':') {
    const auto parsed = read_digits(text, pos + 1, 2);
    if (!parsed || *parsed > 59) return std::nullopt;
    second = *parsed;
    pos += 3;
  }
  std::chrono::minutes offset = kVietnamOffset;
  const std::string_view zone = text.substr(pos);
  if (zone == "Z") {
    offset = std::chrono::minutes{0};
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    const auto zone_hours = read_digits(zone, 1, 2);
    const auto zone_minutes = read_digits(zone, 4, 2);
    if (!zone_hours || !zone_minutes || *zone_hours > 14 || *zone_minutes > 59) return std::nullopt;
    offset = std::chrono::minutes{*zone_hours * 60 + *zone_minutes};
    if (zone[0] == '-') offset = -offset;
  } else if (!zone.empty()) {
    return std::nullopt;
  }
  const auto local = std::chrono::sys_days{*date} + std::chrono::hours{*hour} + std::chrono::minutes{*minute} +
                     std::chrono::seconds{second};
  return std::chrono::time_point_cast<std::chrono::seconds>(local - offset);
}

std::string format_timestamp(Timestamp at) {
  const auto day = std::chrono::floor<std::chrono::days>(at);
  const Date date{day};
  const std::chrono::hh_mm_ss clock{at - day};
  const int year = static_cast<int>(date.year());
  if (year < 0 || year > 9999) {
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%sT%02d:%02d:%02dZ", format_date(date).c_str(),
                  static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                  static_cast<int>(clock.seconds().count()));
    return buffer;
  }
  char buffer[20];
  char* out = put_date(buffer, date);
  *out++ = 'T';
  out = put_digits(out, static_cast<int>(clock.hours().count()), 2);
  *out++ = ':';
  out = put_digits(out, static_cast<int>(clock.minutes().count()), 2);
  *out++ = ':';
  out = put_digits(out, static_cast<int>(clock.seconds().count()), 2);
  *out++ = 'Z';
  return std::string(buffer, out);
}

Date vietnam_date(Timestamp at) { return Date{std::chrono::floor<std::chrono::days>(at + kVietnamOffset)}; }

}  // namespace docket
