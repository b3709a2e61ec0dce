#include "documents/report_document.h"

#include <algorithm>
#include <array>
#include <vector>

#include "core/text.h"
#include "documents/chart_png.h"
#include "documents/recommendation_letter.h"
#include "reports/vietnamese.h"

namespace docket::documents {
namespace {

using kainjow::mustache::data;
using reports::Figures;
using reports::kAll;
using reports::ReportRow;
using reports::vietnamese_number;

// A chart is shown 16 cm wide (the text width is 16.5 cm); 360000 EMU to the centimetre.
constexpr long long kChartWidthEmu = 16LL * 360000;
constexpr std::uint32_t kGreen = 0x2e7d32, kBlue = 0x1565c0, kGrey = 0x9e9e9e;

data flag(bool value) { return value ? data::type::bool_true : data::type::bool_false; }

void set_number(data& values, const char* key, long long value) { values.set(key, vietnamese_number(value)); }

// Every figure of `f` in Vietnamese format, with the flags the sentences need.
data figures_data(const Figures& f) {
  data values;
  set_number(values, "cases", f.closed + f.in_progress);
  const std::array<std::pair<const char*, int>, 16> counts{{{"opened", f.opened},
                                                            {"closed", f.closed},
                                                            {"in_progress", f.in_progress},
                                                            {"overdue_now", f.overdue_now},
                                                            {"stages_on_time", f.stages_on_time},
                                                            {"stages_late", f.stages_late},
                                                            {"recommendations_made", f.recommendations_made},
                                                            {"answered", f.answered},
                                                            {"accepted", f.accepted},
                                                            {"partly_accepted", f.partly_accepted},
                                                            {"not_accepted", f.not_accepted},
                                                            {"unanswered", f.unanswered},
                                                            {"escalated", f.escalated},
                                                            {"dialogues_held", f.dialogues_held},
                                                            {"conferences_held", f.conferences_held},
                                                            {"late_dossiers", f.late_dossiers}}};
  for (const auto& [key, value] : counts) set_number(values, key, value);
  values.set("average", reports::vietnamese_average(f.average_days_to_answer()));
  values.set("answered_share", f.recommendations_made == 0
                                   ? std::string("-")
                                   : reports::vietnamese_decimal(100.0 * f.answered / f.recommendations_made, 1) + "%");
  values.set("has_overdue", flag(f.overdue_now > 0));
  values.set("has_recommendations", flag(f.recommendations_made > 0));
  values.set("has_escalated", flag(f.escalated > 0));
  values.set("has_average", flag(f.average_days_to_answer().has_value()));
  values.set("has_late_dossiers", flag(f.late_dossiers > 0));
  return values;
}

bool is_known_workflow(const std::string& id) { return id == "supervision" || id == "social-critique"; }

// One section a workflow of the headline group: its figures and its forms.
data workflow_sections(const std::vector<const ReportRow*>& headline) {
  data sections{data::type::list};
  data forms{data::type::list};
  for (const ReportRow* row : headline) {
    if (row->workflow == kAll) break;
    if (row->form != kAll) {
      data form;
      form.set("label", row->form_label.vi);
      set_number(form, "cases", row->figures.closed + row->figures.in_progress);
      form.set("first", flag(forms.list_value().empty()));
      forms.push_back(form);
      continue;
    }
    data section = figures_data(row->figures);
    section.set("index", std::to_string(sections.list_value().size() + 1));
    section.set("title", row->workflow_title.vi);
    section.set(workflow_key(row->workflow), data::type::bool_true);
    section.set("known", flag(is_known_workflow(row->workflow)));
    section.set("has_forms", flag(!forms.list_value().empty()));
    section.set("forms", forms);
    sections.push_back(section);
    forms = data{data::type::list};
  }
  return sections;
}

// The all-workflows row of each unit's own cases, in the report's order.
std::vector<const ReportRow*> unit_rows(const reports::Report& report) {
  std::vector<const ReportRow*> rows;
  for (const ReportRow& row : report.rows) {
    if (!row.total && row.workflow == kAll) rows.push_back(&row);
  }
  return rows;
}

// How many units' rows before the total are kept on its page: a total alone at the top of a
// page reads as a table of its own.
constexpr std::size_t kRowsKeptWithTotal = 2;

data summary_rows(const std::vector<const ReportRow*>& units) {
  data rows{data::type::list};
  for (std::size_t i = 0; i < units.size(); ++i) {
    data row = figures_data(units[i]->figures);
    row.set("index", std::to_string(i + 1));
    row.set("name", short_unit_name(units[i]->unit_name));
    row.set("keep_with_total", flag(i + kRowsKeptWithTotal >= units.size()));
    rows.push_back(row);
  }
  return rows;
}

// The headline group's rows for the table by workflow and form.
data detail_rows(const std::vector<const ReportRow*>& headline) {
  data rows{data::type::list};
  for (const ReportRow* row : headline) {
    data values = figures_data(row->figures);
    const bool sum = row->form == kAll;
    values.set("label", row->workflow == kAll ? std::string("Tổng cộng")
                        : sum                 ? "Cộng " + row->workflow_title.vi
                                              : row->form_label.vi);
    values.set("sum", flag(sum));
    rows.push_back(values);
  }
  return rows;
}

std::string roman(std::size_t number) {
  static const char* const kNumerals[] = {"I", "II", "III", "IV", "V", "VI"};
  return kNumerals[number - 1];
}

// The rows a chart draws: each unit with a rollup, each form of each workflow without one.
std::vector<std::pair<std::string, const Figures*>> chart_rows(const reports::Report& report) {
  std::vector<std::pair<std::string, const Figures*>> rows;
  if (report.request.rollup) {
    for (const ReportRow* row : unit_rows(report)) rows.emplace_back(short_unit_name(row->unit_name), &row->figures);
    return rows;
  }
  for (const ReportRow* row : report.headline()) {
    if (row->workflow != kAll && row->form != kAll)
      rows.emplace_back(row->workflow_title.vi + " – " + row->form_label.vi, &row->figures);
  }
  return rows;
}

struct Chart {
  std::string title;
  BarChart bars;
};

// A chart shows at most this many rows, so that it stays one readable page whatever the number
// of units below (the table by unit lists them all).
constexpr std::size_t kMostChartRows = 40;

// Keeps the kMostChartRows rows with the largest totals, in their order, and says so in the title.
void keep_largest(Chart& chart) {
  const std::size_t all = chart.bars.rows.size();
  if (all <= kMostChartRows) return;
  auto total = [](const ChartRow& row) {
    int sum = 0;
    for (const int value : row.values) sum += value;
    return sum;
  };
  std::vector<std::size_t> order(all);
  for (std::size_t i = 0; i < all; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return total(chart.bars.rows[a]) > total(chart.bars.rows[b]); });
  order.resize(kMostChartRows);
  std::sort(order.begin(), order.end());
  std::vector<ChartRow> kept;
  for (const std::size_t i : order) kept.push_back(std::move(chart.bars.rows[i]));
  chart.bars.rows = std::move(kept);
  chart.title += " (" + std::to_string(kMostChartRows) + " đơn vị có số lớn nhất trong " +
                 reports::vietnamese_number(static_cast<long long>(all)) + " đơn vị)";
}

std::vector<Chart> charts_of(const reports::Report& report) {
  Chart cases{"Vụ việc mở và kết thúc trong kỳ", {{{"Mở trong kỳ", kBlue}, {"Kết thúc trong kỳ", kGreen}}, {}}};
  Chart answers{"Kiến nghị đã được trả lời và chưa được trả lời",
                {{{"Đã trả lời", kGreen}, {"Chưa trả lời", kGrey}}, {}}};
  for (const auto& [label, f] : chart_rows(report)) {
    cases.bars.rows.push_back({label, {f->opened, f->closed}});
    answers.bars.rows.push_back({label, {f->answered, f->unanswered}});
  }
  keep_largest(cases);
  keep_largest(answers);
  return {cases, answers};
}

Result<data> drawn_charts(const reports::Report& report, std::vector<DocxImage>& images) {
  data charts{data::type::list};
  for (const Chart& chart : charts_of(report)) {
    DOCKET_TRY(picture, draw_bar_chart(chart.bars));
    const std::string number = std::to_string(images.size() + 1);
    images.push_back({"rIdChart" + number, "chart" + number + ".png", std::move(picture->png)});
    data values;
    values.set("number", number);
    values.set("id", std::to_string(100 + images.size()));
    values.set("rid", images.back().relationship_id);
    values.set("name", images.back().name);
    values.set("title", chart.title);
    values.set("cx", std::to_string(kChartWidthEmu));
    values.set("cy", std::to_string(kChartWidthEmu * picture->height / picture->width));
    charts.push_back(values);
  }
  return charts;
}

}  // namespace

std::string short_unit_name(const std::string& name) {
  for (const char* prefix :
       {"Ủy ban MTTQ Việt Nam ", "Ủy ban Mặt trận Tổ quốc Việt Nam ", "Ủy ban MTTQVN ", "Ủy ban MTTQ ", "MTTQ "}) {
    const std::string start = prefix;
    if (name.size() > start.size() && name.compare(0, start.size(), start) == 0) return name.substr(start.size());
  }
  return name;
}

TemplateData report_data(const reports::Report& report, const Letterhead& head, const Issue& issue) {
  const reports::ReportRequest& request = report.request;
  const auto headline = report.headline();
  data values = letterhead_data(head, kReportKind, issue);
  const bool yearly = reports::is_whole_year(request.period);
  values.set("review", yearly ? "Tổng kết" : "Sơ kết");
  values.set("review_lower", yearly ? "tổng kết" : "sơ kết");
  values.set("period", reports::period_in_words(request.period));
  values.set("year", std::to_string(static_cast<int>(request.period.to.year())));
  values.set("unit_name", report.unit_name);
  values.set("rollup", flag(request.rollup));
  values.set("as_of_date", reports::vietnamese_date(vietnam_date(request.as_of.cutoff)));
  const data sections = workflow_sections(headline);
  const std::size_t worked = sections.list_value().size();
  values.set("workflows", sections);
  values.set("no_work", flag(worked == 0));
  values.set("recommendations_index", std::to_string(worked + 1));
  values.set("timeliness_index", std::to_string(worked + 2));
  values.set("total", figures_data(headline.empty() ? Figures{} : headline.back()->figures));
  std::size_t section = 2;
  if (request.rollup) {
    values.set("units_section", roman(section++));
    values.set("units", summary_rows(unit_rows(report)));
  }
  values.set("figures_section", roman(section++));
  values.set("details", detail_rows(headline));
  values.set("tasks_section", roman(section));
  return values;
}

Result<std::string> report_document(const reports::Report& report, const Letterhead& head, const Issue& issue,
                                    const std::filesystem::path& templates_folder) {
  if (!head.abbreviations.contains(kReportKind))
    return make_error(ErrorCode::invalid_argument,
                      "the documents configuration has no abbreviation for " + in_quotes(kReportKind));
  data values = report_data(report, head, issue);
  std::vector<DocxImage> images;
  DOCKET_TRY(charts, drawn_charts(report, images));
  values.set("charts", *charts);
  return fill_document(templates_folder, kReportTemplate, values, std::move(images));
}

}  // namespace docket::documents
