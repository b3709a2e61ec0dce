// The six-monthly or yearly review report (báo cáo sơ kết 6 tháng, tổng kết năm) of a unit as
// a Word file in the layout of Decree 30/2020/NĐ-CP, from the figures of reports::read_report:
// the letterhead, the number line (blank until the outgoing register gives a number), place
// and date, the title naming the period in words, the figures in sentences, a summary table with
// one row per unit (with a rollup), the figures by form, two charts drawn as pictures, the
// signature block and "Nơi nhận". Wording and layout are in the template
// workflows/documents/report.document.xml. Reads the template files; otherwise pure.
// Thread-safe.
#pragma once

#include <filesystem>
#include <string>

#include "documents/letterhead.h"
#include "documents/xml_template.h"
#include "reports/report.h"

namespace docket::documents {

// The kind whose abbreviation (Letterhead::abbreviations) a report's symbol takes: "BC".
inline constexpr const char* kReportKind = "report";
inline constexpr const char* kReportTemplate = "report.document.xml";

// The values the report's template sees (docs/documents.md), without the charts.
TemplateData report_data(const reports::Report& report, const Letterhead& head, const Issue& issue);

// "xã Gia Hưng" for "Ủy ban MTTQ Việt Nam xã Gia Hưng": a unit's name without the words every
// Front committee's name starts with, for the narrow places (the charts, the summary table).
std::string short_unit_name(const std::string& name);

// The .docx bytes of `report`. Errors: invalid_argument when the letterhead has no abbreviation
// for kReportKind or naming the template and the position of its mistake; not_found naming a
// missing template file; internal when a chart or the package cannot be written.
Result<std::string> report_document(const reports::Report& report, const Letterhead& head, const Issue& issue,
                                    const std::filesystem::path& templates_folder);

}  // namespace docket::documents
