#include "reports/period.h"

#include <algorithm>

namespace docket::reports {
namespace {

constexpr const char* kForms = "expected YYYY-H1, YYYY-H2, YYYY or FROM..TO with dates as YYYY-MM-DD";

Error bad_period(std::string_view text, const std::string& why) {
  return make_error(ErrorCode::invalid_argument, "period " + in_quotes(text) + ": " + why);
}

// "2026" -> 2026; nullopt unless four digits.
std::optional<int> parse_year(std::string_view text) {
  if (text.size() != 4 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const int year = std::stoi(std::string(text));
  return year >= 1900 ? std::optional<int>(year) : std::nullopt;
}

Date day_of(int year, unsigned month, unsigned day) {
  return Date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
}

Result<ReportPeriod> parse_range(std::string_view text, std::size_t dots) {
  const auto from = parse_date(text.substr(0, dots));
  const auto to = parse_date(text.substr(dots + 2));
  if (!from) return bad_period(text, in_quotes(text.substr(0, dots)) + " is not a date YYYY-MM-DD");
  if (!to) return bad_period(text, in_quotes(text.substr(dots + 2)) + " is not a date YYYY-MM-DD");
  if (*to < *from) return bad_period(text, "FROM " + format_date(*from) + " is after TO " + format_date(*to));
  return ReportPeriod{std::string(text), *from, *to};
}

}  // namespace

Result<ReportPeriod> parse_period(std::string_view text) {
  if (const auto dots = text.find(".."); dots != std::string_view::npos) return parse_range(text, dots);
  const auto year = parse_year(text.substr(0, 4));
  if (!year) return bad_period(text, kForms);
  const std::string_view half = text.substr(4);
  if (half.empty()) return ReportPeriod{std::string(text), day_of(*year, 1, 1), day_of(*year, 12, 31)};
  if (half == "-H1") return ReportPeriod{std::string(text), day_of(*year, 1, 1), day_of(*year, 6, 30)};
  if (half == "-H2") return ReportPeriod{std::string(text), day_of(*year, 7, 1), day_of(*year, 12, 31)};
  return bad_period(text, std::string(kForms) + " (a half-year is H1 or H2)");
}

Timestamp end_of_vietnam_day(Date day) {
  return std::chrono::sys_days{day} + std::chrono::days{1} - kVietnamOffset - std::chrono::seconds{1};
}

Result<AsOf> parse_as_of(std::string_view text, Timestamp now) {
  if (text.empty()) return AsOf{format_timestamp(now), now};
  const auto future = [&] {
    return make_error(ErrorCode::invalid_argument, "as-of " + in_quotes(text) + " is in the future (now is " +
                                                       format_date(vietnam_date(now)) + " in Vietnam)");
  };
  if (const auto day = parse_date(text)) {
    if (*day > vietnam_date(now)) return future();
    return AsOf{std::string(text), std::min(end_of_vietnam_day(*day), now)};
  }
  if (const auto at = parse_datetime(text)) {
    if (*at > now) return future();
    return AsOf{std::string(text), *at};
  }
  return make_error(ErrorCode::invalid_argument,
                    "as-of " + in_quotes(text) + " is not a date YYYY-MM-DD or a time YYYY-MM-DDTHH:MM[:SS][Z|+07:00]");
}

Status check_period_started(const ReportPeriod& period, const AsOf& as_of) {
  if (period.from <= vietnam_date(as_of.cutoff)) return Ok{};
  return make_error(ErrorCode::invalid_argument, "period " + in_quotes(period.label) + " begins on " +
                                                     format_date(period.from) + ", after the as-of date " +
                                                     format_date(vietnam_date(as_of.cutoff)));
}

}  // namespace docket::reports
