// render_html() of render.h: one printable page, no external assets (styles inline, the chart
// as inline SVG). Every text is escaped; numbers are the report's own, so the page and the
// other formats cannot disagree.
#include <algorithm>

#include "core/html.h"
#include "reports/render.h"

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
@page{size:A4 landscape;margin:1.5cm}
@media print{body{margin:0}h2{page-break-after:avoid}table{page-break-inside:avoid}}
)css";

// "15/07/2026 23:59" in Vietnam time.
std::string vietnamese_time(Timestamp at) {
  const std::string iso = format_timestamp(at + kVietnamOffset);  // YYYY-MM-DDTHH:MM:SSZ, shifted
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4) + " " + iso.substr(11, 5);
}

std::string vietnamese_date(Date day) {
  const std::string iso = format_date(day);  // YYYY-MM-DD -> DD/MM/YYYY
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
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
         std::to_string(value) + "</text>\n";
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
           std::to_string(segment.value) + "</title></rect>\n";
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

std::string section_title(const ReportRow& row) {
  return row.total ? "Tổng hợp " + row.unit_name + " (gồm các đơn vị trực thuộc)" : row.unit_name;
}

std::string table_head() {
  std::string head = "<tr><th>Lĩnh vực</th><th>Hình thức</th>";
  for (const FigureColumn& column : figure_columns()) head += "<th>" + escape_html(column.heading) + "</th>";
  return head + "<th>Số ngày trả lời bình quân</th></tr>\n";
}

std::string table_row(const ReportRow& row) {
  std::string html = row.form == kAll ? "<tr class=\"sum\">" : "<tr>";
  html += "<td>" + escape_html(row.workflow_title.vi) + "</td><td>" + escape_html(row.form_label.vi) + "</td>";
  for (const FigureColumn& column : figure_columns())
    html += "<td class=\"n\">" + std::to_string(row.figures.*column.member) + "</td>";
  return html + "<td class=\"n\">" + format_average(row.figures.average_days_to_answer()) + "</td></tr>\n";
}

std::string tables(const Report& report) {
  std::string html;
  const ReportRow* previous = nullptr;
  for (const ReportRow& row : report.rows) {
    if (previous == nullptr || previous->unit != row.unit || previous->total != row.total) {
      if (previous != nullptr) html += "</table>\n";
      html += "<h3>" + escape_html(section_title(row)) + "</h3>\n<table>\n" + table_head();
    }
    html += table_row(row);
    previous = &row;
  }
  return previous != nullptr ? html + "</table>\n" : html;
}

}  // namespace

std::string render_html(const Report& report) {
  const ReportRequest& request = report.request;
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>Báo cáo kết quả giám sát, phản "
      "biện xã hội – " +
      escape_html(report.unit_name) + " – " + escape_html(request.period.label) + "</title>\n<style>" + kStyle +
      "</style>\n</head>\n<body>\n";
  html += "<h1>Báo cáo kết quả công tác giám sát, phản biện xã hội</h1>\n";
  html += "<p>Đơn vị: <strong>" + escape_html(report.unit_name) + "</strong> (" + escape_html(request.unit) + ")" +
          (request.rollup ? ", gồm các đơn vị trực thuộc" : "") + "</p>\n";
  html += "<p>Kỳ báo cáo: " + escape_html(request.period.label) + " (từ ngày " + vietnamese_date(request.period.from) +
          " đến ngày " + vietnamese_date(request.period.to) + ")</p>\n";
  html += "<p>Số liệu tính đến: " + vietnamese_time(request.as_of.cutoff) + " (giờ Việt Nam)</p>\n";
  html += "<h2>I. Biểu đồ</h2>\n<h3>1. Vụ việc theo hình thức và tình trạng</h3>\n" + cases_chart(report);
  html += "<h3>2. Kiến nghị theo kết quả trả lời</h3>\n" + recommendations_chart(report);
  html += "<h2>II. Số liệu theo lĩnh vực và hình thức</h2>\n" + tables(report);
  html +=
      "<h2>III. Cách tính</h2>\n<p>Vụ việc thuộc kỳ khi được mở trước khi kỳ kết thúc và chưa kết thúc trước khi kỳ "
      "bắt đầu. "
      "Kiến nghị được tính theo ngày gửi trong kỳ, kết quả trả lời tính đến thời điểm lấy số liệu. "
      "Chi tiết: docs/reports.md.</p>\n";
  return html + "</body>\n</html>\n";
}

}  // namespace docket::reports
