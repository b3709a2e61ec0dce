#include "reports/report.h"

#include <map>
#include <tuple>

namespace docket::reports {
namespace {

const Label kAllWorkflows{"Tất cả lĩnh vực", "All workflows"};
const Label kAllForms{"Tất cả hình thức", "All forms"};
const Label kFormNotSet{"Chưa xác định hình thức", "Form not set"};

using CountedCase = CountedCases;

// Where a form goes among its workflow's rows: declared values in order, then "not set".
std::size_t form_order(const WorkflowDefinition& definition, const std::string& form) {
  const FieldDefinition* field = definition.form_field();
  if (field == nullptr) return 0;
  for (std::size_t i = 0; i < field->values.size(); ++i) {
    if (field->values[i].id == form) return i;
  }
  return field->values.size();
}

Label form_label(const WorkflowDefinition& definition, const std::string& form) {
  if (const FieldDefinition* field = definition.form_field()) {
    for (const Choice& value : field->values) {
      if (value.id == form) return value.label;
    }
  }
  return kFormNotSet;
}

// One section: the rows of `cases` (all counted under `unit`).
void add_section(std::vector<ReportRow>& rows, const ReportUnit& unit, bool total,
                 const std::vector<const CountedCase*>& cases) {
  using FormKey = std::tuple<std::size_t, std::string>;
  std::map<std::string, std::map<FormKey, Figures>> by_workflow;
  std::map<std::string, const WorkflowDefinition*> definitions;
  for (const CountedCase* counted : cases) {
    const WorkflowDefinition& definition = *counted->definition;
    const std::string form = counted->form.empty() ? kNoForm : counted->form;
    by_workflow[definition.id][FormKey{form_order(definition, counted->form), form}] += counted->figures;
    definitions.emplace(definition.id, &definition);
  }
  const auto row = [&](const std::string& workflow, const Label& title, const std::string& form, const Label& label,
                       const Figures& figures) {
    rows.push_back(ReportRow{unit.id, unit.name, total, workflow, title, form, label, figures});
  };
  Figures all_workflows;
  for (const auto& [workflow, forms] : by_workflow) {
    const WorkflowDefinition& definition = *definitions.at(workflow);
    Figures all_forms;
    for (const auto& [key, figures] : forms) {
      const std::string& form = std::get<1>(key);
      row(workflow, definition.title, form, form == kNoForm ? kFormNotSet : form_label(definition, form), figures);
      all_forms += figures;
    }
    row(workflow, definition.title, kAll, kAllForms, all_forms);
    all_workflows += all_forms;
  }
  row(kAll, kAllWorkflows, kAll, kAllForms, all_workflows);
}

}  // namespace

std::vector<const ReportRow*> Report::headline() const {
  std::vector<const ReportRow*> found;
  const bool want_total = request.rollup;
  for (const ReportRow& row : rows) {
    if (row.unit == request.unit && row.total == want_total) found.push_back(&row);
  }
  return found;
}

Report build_report(const ReportRequest& request, const std::vector<ReportUnit>& units,
                    const std::vector<CaseHistory>& cases) {
  std::vector<CountedCase> counted;
  for (const CaseHistory& history : cases) {
    if (history.definition == nullptr || !history.definition->counts_as_work) continue;
    CaseFigures figures = case_figures(*history.definition, history.events, request.period, request.as_of.cutoff);
    if (figures.in_scope)
      counted.push_back(CountedCase{history.unit, history.definition, figures.form, figures.figures});
  }
  return build_report(request, units, counted);
}

Report build_report(const ReportRequest& request, const std::vector<ReportUnit>& units,
                    const std::vector<CountedCases>& counted) {
  Report report{request, units.empty() ? "" : units.front().name, {}};
  const std::size_t sections = request.rollup ? units.size() : std::min<std::size_t>(units.size(), 1);
  for (std::size_t i = 0; i < sections; ++i) {
    std::vector<const CountedCase*> own;
    for (const CountedCase& c : counted) {
      if (c.unit == units[i].id) own.push_back(&c);
    }
    add_section(report.rows, units[i], false, own);
  }
  if (request.rollup && !units.empty()) {
    std::vector<const CountedCase*> all;
    for (const CountedCase& c : counted) all.push_back(&c);
    add_section(report.rows, units.front(), true, all);
  }
  return report;
}

}  // namespace docket::reports
