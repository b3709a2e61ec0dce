// render_html() of render.h: one printable page, no external assets (styles inline, the chart
// as inline SVG). Every text is escaped; numbers are the report's own, so the page and the
// other formats cannot disagree.
#include <algorithm>

#include "core/html.h"
#include "reports/render.h"
#include "reports/vietnamese.h"

namespace docket::reports {
namespace {

constexpr int kChartWidth = 680;
constexpr int kBarArea = 600;  // the widest bar; the rest holds its number
constexpr int kLabelHeight = 14;
constexpr int kBarHeight = 16;
constexpr int kRowGap = 8;

constexpr const char* kStyle = R"css(
body{font-family:"Times New Roman",serif;margin:2em;color:#000}
h1{font-size:1.4em;text-align:center;text-transform:uppercase}
h2{font-size:1.15em;margin-top:1.5em}
table{border-collapse:collapse;width:100%;font-size:.85em;margin:.5em 0 1em}
th,td{border:1px solid #444;padding:.25em .4em}
td.n{text-align:right}
tr.sum td{font-weight:bold}
.chart text{font-size:12px;font-family:sans-serif}
thead{display:table-header-group}
tr{break-inside:avoid;page-break-inside:avoid}
h1,h2,h3{break-after:avoid;page-break-after:avoid}
svg{break-inside:avoid;page-break-inside:avoid}
@page{size:A4 landscape;margin:1.5cm;@bottom-center{content:counter(page) "/" counter(pages);font-size:10pt}}
@media print{body{margin:0}}
)css";

// "15/07/2026 23:59" in Vietnam time.
std::string vietnamese_time(Timestamp at) {
  const std::string iso = format_timestamp(at + kVietnamOffset);  // YYYY-MM-DDTHH:MM:SSZ, shifted
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4) + " " + iso.substr(11, 5);
}

struct Segment {
  const char* legend;
  const char* colour;
  int value;
};

struct Bar {
  std::string label;
  std::vector<Segment> segments;
};

std::string number_text(int x, int y, int value, const char* fill) {
  return "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" fill=\"" + fill + "\">" +
         vietnamese_number(value) + "</text>\n";
}

// One bar: its label above, the segments side by side, each titled with its number, and the
// bar's total after it.
std::string svg_bar(const Bar& bar, int y, double scale) {
  std::string svg =
      "<text x=\"0\" y=\"" + std::to_string(y + kLabelHeight - 3) + "\">" + escape_html(bar.label) + "</text>\n";
  const int top = y + kLabelHeight;
  double x = 0;
  int sum = 0;
  for (const Segment& segment : bar.segments) {
    sum += segment.value;
    if (segment.value == 0) continue;
    const double width = segment.value * scale;
    svg += "<rect x=\"" + std::to_string(static_cast<int>(x)) + "\" y=\"" + std::to_string(top) + "\" width=\"" +
           std::to_string(std::max(1, static_cast<int>(width))) + "\" height=\"" + std::to_string(kBarHeight) +
           "\" fill=\"" + segment.colour + "\"><title>" + escape_html(segment.legend) + ": " +
           vietnamese_number(segment.value) + "</title></rect>\n";
    if (bar.segments.size() > 1 && width >= 16) {
      svg += number_text(static_cast<int>(x + width / 2) - 4, top + kBarHeight - 4, segment.value, "#fff");
    }
    x += width;
  }
  return svg + number_text(static_cast<int>(x) + 6, top + kBarHeight - 4, sum, "#000");
}

// Horizontal bars, stacked when they have several segments (then with a legend).
std::string svg_chart(const std::string& title, const std::vector<Bar>& bars) {
  int widest = 1;
  for (const Bar& bar : bars) {
    int sum = 0;
    for (const Segment& segment : bar.segments) sum += segment.value;
    widest = std::max(widest, sum);
  }
  const double scale = static_cast<double>(kBarArea) / widest;
  const bool stacked = !bars.empty() && bars.front().segments.size() > 1;
  const int row = kLabelHeight + kBarHeight + kRowGap;
  const int height = static_cast<int>(bars.size()) * row + (stacked ? 24 : 4);
  std::string svg = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(kChartWidth) +
                    "\" height=\"" + std::to_string(height) + "\" role=\"img\" aria-label=\"" + escape_html(title) +
                    "\">\n";
  int y = 0;
  for (const Bar& bar : bars) {
    svg += svg_bar(bar, y, scale);
    y += row;
  }
  if (!stacked) return svg + "</svg>\n";
  int legend_x = 0;
  for (const Segment& segment : bars.front().segments) {
    svg += "<rect x=\"" + std::to_string(legend_x) + "\" y=\"" + std::to_string(y + 4) +
           "\" width=\"10\" height=\"10\" fill=\"" + segment.colour + "\"/><text x=\"" + std::to_string(legend_x + 14) +
           "\" y=\"" + std::to_string(y + 13) + "\">" + escape_html(segment.legend) + "</text>\n";
    legend_x += 230;
  }
  return svg + "</svg>\n";
}

// Cases by form and status: one bar per workflow and form of the headline group.
std::string cases_chart(const Report& report) {
  std::vector<Bar> bars;
  for (const ReportRow* row : report.headline()) {
    if (row->workflow == kAll || row->form == kAll) continue;
    const Figures& f = row->figures;
    bars.push_back(Bar{row->workflow_title.vi + " – " + row->form_label.vi,
                       {{"Kết thúc trong kỳ", "#2e7d32", f.closed},
                        {"Đang thực hiện, chưa quá hạn", "#1565c0", f.in_progress - f.overdue_now},
                        {"Đang quá hạn", "#c62828", f.overdue_now}}});
  }
  return svg_chart("Vụ việc theo hình thức và tình trạng", bars);
}

// Recommendations by answer, for the headline group's all-workflows row.
std::string recommendations_chart(const Report& report) {
  const auto rows = report.headline();
  const Figures f = rows.empty() ? Figures{} : rows.back()->figures;
  const std::vector<Bar> bars{
      {"Tiếp thu", {{"Tiếp thu", "#2e7d32", f.accepted}}},
      {"Tiếp thu một phần", {{"Tiếp thu một phần", "#f9a825", f.partly_accepted}}},
      {"Không tiếp thu", {{"Không tiếp thu", "#c62828", f.not_accepted}}},
      {"Chưa trả lời", {{"Chưa trả lời", "#757575", f.unanswered}}},
  };
  return svg_chart("Kiến nghị theo kết quả trả lời", bars);
}

std::string figures_head() {
  std::string head = "<thead><tr><th>Lĩnh vực</th><th>Hình thức</th>";
  for (const FigureColumn& column : figure_columns()) head += "<th>" + escape_html(column.heading) + "</th>";
  return head + "<th>Số ngày trả lời bình quân</th></tr></thead>\n";
}

std::string number_cell(long long value) { return "<td class=\"n\">" + vietnamese_number(value) + "</td>"; }

std::string figures_row(const ReportRow& row) {
  std::string html = row.form == kAll ? "<tr class=\"sum\">" : "<tr>";
  html += "<td>" + escape_html(row.workflow_title.vi) + "</td><td>" + escape_html(row.form_label.vi) + "</td>";
  for (const FigureColumn& column : figure_columns()) html += number_cell(row.figures.*column.member);
  const auto average = row.figures.average_days_to_answer();
  return html + "<td class=\"n\">" + (average ? vietnamese_decimal(*average, 1) : "") + "</td></tr>\n";
}

// The headline group by workflow and form: the unit's own cases, or with a rollup the total.
std::string figures_table(const Report& report) {
  std::string html = "<table>\n" + figures_head() + "<tbody>\n";
  for (const ReportRow* row : report.headline()) html += figures_row(*row);
  return html + "</tbody></table>\n";
}

// With a rollup, one row a unit (its own cases, all workflows), then the total: a province of
// 52 units takes two pages, not a table a unit.
std::string units_table(const Report& report) {
  std::string html =
      "<table>\n<thead><tr><th>STT</th><th>Đơn vị</th><th>Vụ việc</th><th>Mở trong kỳ</th><th>Kết thúc trong "
      "kỳ</th><th>Đang thực hiện</th><th>Đang quá hạn</th><th>Kiến nghị đã gửi</th><th>Đã trả lời</th><th>Chưa trả "
      "lời</th></tr></thead>\n<tbody>\n";
  int index = 0;
  auto cells = [](const Figures& f) {
    return number_cell(f.closed + f.in_progress) + number_cell(f.opened) + number_cell(f.closed) +
           number_cell(f.in_progress) + number_cell(f.overdue_now) + number_cell(f.recommendations_made) +
           number_cell(f.answered) + number_cell(f.unanswered);
  };
  for (const ReportRow& row : report.rows) {
    if (row.total || row.workflow != kAll) continue;
    html += "<tr><td class=\"n\">" + std::to_string(++index) + "</td><td>" + escape_html(row.unit_name) + "</td>" +
            cells(row.figures) + "</tr>\n";
  }
  const auto headline = report.headline();
  if (!headline.empty())
    html += "<tr class=\"sum\"><td></td><td>Tổng cộng</td>" + cells(headline.back()->figures) + "</tr>\n";
  return html + "</tbody></table>\n";
}

}  // namespace

std::string render_html(const Report& report) {
  const ReportRequest& request = report.request;
  const std::string period = period_in_words(request.period);
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>Báo cáo kết quả giám sát, phản "
      "biện xã hội – " +
      escape_html(report.unit_name) + " – " + escape_html(period) + "</title>\n<style>" + kStyle +
      "</style>\n</head>\n<body>\n";
  html += "<h1>Báo cáo kết quả công tác giám sát, phản biện xã hội " + escape_html(period) + "</h1>\n";
  html += "<p>Đơn vị: <strong>" + escape_html(report.unit_name) + "</strong>" +
          (request.rollup ? " và các đơn vị trực thuộc" : "") + "</p>\n";
  html += "<p>Kỳ báo cáo: từ ngày " + vietnamese_date(request.period.from) + " đến ngày " +
          vietnamese_date(request.period.to) + "</p>\n";
  html += "<p>Số liệu tính đến: " + vietnamese_time(request.as_of.cutoff) + " (giờ Việt Nam)</p>\n";
  html += "<h2>I. Biểu đồ</h2>\n<h3>1. Vụ việc theo hình thức và tình trạng</h3>\n" + cases_chart(report);
  html += "<h3>2. Kiến nghị theo kết quả trả lời</h3>\n" + recommendations_chart(report);
  int section = 2;
  if (request.rollup) {
    html += "<h2>II. Kết quả theo đơn vị</h2>\n" + units_table(report);
    ++section;
  }
  const char* const numerals[] = {"", "I", "II", "III", "IV"};
  html += std::string("<h2>") + numerals[section] + ". Số liệu theo lĩnh vực và hình thức" +
          (request.rollup ? " (toàn đơn vị)" : "") + "</h2>\n" + figures_table(report);
  html += std::string("<h2>") + numerals[section + 1] +
          ". Cách tính</h2>\n<p>Vụ việc thuộc kỳ khi được mở trước khi kỳ kết thúc và chưa kết thúc trước khi kỳ "
          "bắt đầu. "
          "Kiến nghị được tính theo ngày gửi trong kỳ, kết quả trả lời tính đến thời điểm lấy số liệu. "
          "Chi tiết: docs/reports.md.</p>\n";
  return html + "</body>\n</html>\n";
}

}  // namespace docket::reports
