#include "reports/render.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>

namespace docket::reports {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

std::string csv_cell(const std::string& cell) {
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

void put(JsonWriter& json, const char* key, const std::string& value) {
  json.Key(key);
  json.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void write_row(JsonWriter& json, const ReportRow& row) {
  json.StartObject();
  put(json, "unit", row.unit);
  put(json, "unit_name", row.unit_name);
  put(json, "scope", row.total ? "total" : "own");
  put(json, "workflow", row.workflow);
  put(json, "workflow_title", row.workflow_title.vi);
  put(json, "form", row.form);
  put(json, "form_label", row.form_label.vi);
  for (const FigureColumn& column : figure_columns()) {
    json.Key(column.key);
    json.Int(row.figures.*column.member);
  }
  json.Key(kAverageKey);
  if (const auto average = row.figures.average_days_to_answer()) {
    json.Double(*average);
  } else {
    json.Null();
  }
  json.EndObject();
}

}  // namespace

std::optional<ReportFormat> report_format_from_string(std::string_view name) {
  if (name == "table") return ReportFormat::table;
  if (name == "csv") return ReportFormat::csv;
  if (name == "json") return ReportFormat::json;
  if (name == "html") return ReportFormat::html;
  return std::nullopt;
}

const std::vector<FigureColumn>& figure_columns() {
  static const std::vector<FigureColumn> columns{
      {"opened", "Mở trong kỳ", &Figures::opened},
      {"closed", "Kết thúc trong kỳ", &Figures::closed},
      {"in_progress", "Đang thực hiện cuối kỳ", &Figures::in_progress},
      {"stages_on_time", "Bước đúng hạn", &Figures::stages_on_time},
      {"stages_late", "Bước trễ hạn", &Figures::stages_late},
      {"overdue_now", "Đang quá hạn", &Figures::overdue_now},
      {"recommendations_made", "Kiến nghị đã gửi", &Figures::recommendations_made},
      {"answered", "Đã trả lời", &Figures::answered},
      {"accepted", "Tiếp thu", &Figures::accepted},
      {"partly_accepted", "Tiếp thu một phần", &Figures::partly_accepted},
      {"not_accepted", "Không tiếp thu", &Figures::not_accepted},
      {"unanswered", "Chưa trả lời", &Figures::unanswered},
      {"escalated", "Đã chuyển cấp trên", &Figures::escalated},
      {"dialogues_held", "Cuộc đối thoại", &Figures::dialogues_held},
      {"conferences_held", "Hội nghị", &Figures::conferences_held},
      {"late_dossiers", "Hồ sơ gửi muộn", &Figures::late_dossiers},
  };
  return columns;
}

std::string format_average(std::optional<double> average) {
  if (!average) return "";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", *average);
  return buffer;
}

ReportTable report_table(const Report& report) {
  ReportTable table;
  table.columns = {"period", "as_of", "unit", "scope", "workflow", "form"};
  table.numeric.assign(table.columns.size(), false);
  for (const FigureColumn& column : figure_columns()) {
    table.columns.push_back(column.key);
    table.numeric.push_back(true);
  }
  table.columns.push_back(kAverageKey);
  table.numeric.push_back(true);
  for (const ReportRow& row : report.rows) {
    std::vector<std::string> cells{report.request.period.label,
                                   report.request.as_of.label,
                                   row.unit,
                                   row.total ? "total" : "own",
                                   row.workflow,
                                   row.form};
    for (const FigureColumn& column : figure_columns()) cells.push_back(std::to_string(row.figures.*column.member));
    cells.push_back(format_average(row.figures.average_days_to_answer()));
    table.rows.push_back(std::move(cells));
  }
  return table;
}

std::string render_csv(const Report& report) {
  const ReportTable table = report_table(report);
  std::string text;
  const auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) text += (i > 0 ? "," : "") + csv_cell(cells[i]);
    text += '\n';
  };
  line(table.columns);
  for (const auto& row : table.rows) line(row);
  return text;
}

std::string render_json(const Report& report) {
  const ReportRequest& request = report.request;
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  json.Key("period");
  json.StartObject();
  put(json, "label", request.period.label);
  put(json, "from", format_date(request.period.from));
  put(json, "to", format_date(request.period.to));
  json.EndObject();
  put(json, "as_of", format_timestamp(request.as_of.cutoff));
  put(json, "as_of_label", request.as_of.label);
  json.Key("unit");
  json.StartObject();
  put(json, "id", request.unit);
  put(json, "name", report.unit_name);
  json.EndObject();
  json.Key("rollup");
  json.Bool(request.rollup);
  json.Key("rows");
  json.StartArray();
  for (const ReportRow& row : report.rows) write_row(json, row);
  json.EndArray();
  json.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

const char* media_type(ReportFormat format) {
  switch (format) {
    case ReportFormat::csv:
      return "text/csv; charset=utf-8";
    case ReportFormat::json:
      return "application/json";
    case ReportFormat::html:
      return "text/html; charset=utf-8";
    case ReportFormat::table:
      break;
  }
  return "text/plain; charset=utf-8";
}

}  // namespace docket::reports
