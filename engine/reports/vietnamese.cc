#include "reports/vietnamese.h"

#include <cmath>
#include <cstdio>

namespace docket::reports {
namespace {

using std::chrono::day;
using std::chrono::month;

// "1234567" -> "1.234.567".
std::string grouped(const std::string& digits) {
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return out;
}

bool is_day(Date date, unsigned month_number, unsigned day_number) {
  return date.month() == month{month_number} && date.day() == day{day_number};
}

}  // namespace

std::string vietnamese_number(long long value) {
  const std::string digits = std::to_string(value < 0 ? -value : value);
  return (value < 0 ? "-" : "") + grouped(digits);
}

std::string vietnamese_decimal(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, std::fabs(value));
  const std::string fixed = buffer;
  const auto point = fixed.find('.');
  const std::string whole = grouped(fixed.substr(0, point));
  const std::string sign = value < 0 && fixed.find_first_not_of("0.") != std::string::npos ? "-" : "";
  return sign + (point == std::string::npos ? whole : whole + "," + fixed.substr(point + 1));
}

std::string vietnamese_average(std::optional<double> average) {
  return average ? vietnamese_decimal(*average, 1) : "-";
}

std::string vietnamese_date(Date date) {
  const std::string iso = format_date(date);  // YYYY-MM-DD
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

bool is_whole_year(const ReportPeriod& period) {
  return period.from.year() == period.to.year() && is_day(period.from, 1, 1) && is_day(period.to, 12, 31);
}

std::string period_in_words(const ReportPeriod& period) {
  const std::string year = std::to_string(static_cast<int>(period.from.year()));
  if (period.from.year() == period.to.year()) {
    if (is_whole_year(period)) return "năm " + year;
    if (is_day(period.from, 1, 1) && is_day(period.to, 6, 30)) return "6 tháng đầu năm " + year;
    if (is_day(period.from, 7, 1) && is_day(period.to, 12, 31)) return "6 tháng cuối năm " + year;
  }
  return "từ ngày " + vietnamese_date(period.from) + " đến ngày " + vietnamese_date(period.to);
}

}  // namespace docket::reports
