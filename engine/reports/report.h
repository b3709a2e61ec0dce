// A review report (sơ kết 6 tháng, tổng kết năm): the figures of a unit's cases by workflow and
// form, for one period, as of one moment; with a rollup, each unit below it has its own rows
// and the unit a total over all of them. Built by a pure function from case histories (see
// report_reader.h for reading them from the store). Plain values; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/text.h"
#include "reports/figures.h"
#include "reports/period.h"

namespace docket::reports {

// Row keys that stand for a group rather than one workflow or form.
inline constexpr const char* kAll = "*";     // every workflow, or every form of a workflow
inline constexpr const char* kNoForm = "-";  // the form is not chosen yet, or the workflow has none

struct ReportRequest {
  ReportPeriod period;
  AsOf as_of;
  std::string unit;
  bool rollup = false;
};

struct ReportUnit {
  std::string id;
  std::string name;
};

// One case's events with what the report needs to place them.
struct CaseHistory {
  std::string unit;
  const WorkflowDefinition* definition = nullptr;  // the version the case was opened under
  std::vector<Event> events;                       // oldest first
};

struct ReportRow {
  std::string unit;  // the unit the row counts the cases of
  std::string unit_name;
  bool total = false;    // the unit with every unit below it (rollup only)
  std::string workflow;  // workflow id, or kAll
  Label workflow_title;
  std::string form;  // form value id, kNoForm, or kAll
  Label form_label;
  Figures figures;
};

struct Report {
  ReportRequest request;
  std::string unit_name;
  std::vector<ReportRow> rows;
  // The rows of the report's headline group: the total for the unit with a rollup, its own
  // rows without one (the last row is the all-workflows row).
  std::vector<const ReportRow*> headline() const;
};

// The figures of some cases that count under one unit, workflow and form (summed).
struct CountedCases {
  std::string unit;
  const WorkflowDefinition* definition = nullptr;
  std::string form;  // the form value; empty when not set
  Figures figures;
};

// REQUIRES: units[0] is request.unit; with request.rollup the others are the units below it.
// Each section (a unit's own cases; with a rollup also the total) has, per workflow with a case
// in scope, one row per form and a row for all forms (ordered by workflow id, forms in the
// definition's order, then kNoForm), then a row for all workflows (always present).
Report build_report(const ReportRequest& request, const std::vector<ReportUnit>& units,
                    const std::vector<CaseHistory>& cases);
// The same from figures already counted (CountedCases of one unit, workflow and form may repeat).
Report build_report(const ReportRequest& request, const std::vector<ReportUnit>& units,
                    const std::vector<CountedCases>& counted);

}  // namespace docket::reports
