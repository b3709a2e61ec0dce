// How people in Vietnam read figures, dates and periods: "1.234" (a dot between thousands),
// "19,8" (a decimal comma), "07/12/2026", "6 tháng cuối năm 2026". One place for the documents
// (engine/documents/) and the printable HTML report, so that they cannot disagree. CSV and JSON
// keep machine formats. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "core/time.h"
#include "reports/period.h"

namespace docket::reports {

// "0", "1.234", "-12.500": the digits grouped by three with dots.
std::string vietnamese_number(long long value);

// `value` rounded to `decimals` places with a decimal comma: "19,8", "1.234,5"; "0,0".
std::string vietnamese_decimal(double value, int decimals = 1);

// The average days to answer as a document prints it: "8,8"; "-" when there is none.
std::string vietnamese_average(std::optional<double> average);

// "07/12/2026".
std::string vietnamese_date(Date day);

// The period as a title says it: "6 tháng đầu năm 2026" (1 January - 30 June), "6 tháng cuối
// năm 2026" (1 July - 31 December), "năm 2026" (the whole year), otherwise "từ ngày 01/01/2026
// đến ngày 31/03/2026".
std::string period_in_words(const ReportPeriod& period);

// Whether the period is a whole year (a yearly review, tổng kết) rather than a half or a range.
bool is_whole_year(const ReportPeriod& period);

}  // namespace docket::reports
