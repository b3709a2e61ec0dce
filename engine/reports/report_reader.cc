#include "reports/report_reader.h"

#include <algorithm>

namespace docket::reports {
namespace {

constexpr int kBatch = 500;  // cases read per query

Result<std::vector<ReportUnit>> report_units(Directory& directory, const ReportRequest& request,
                                             const ReportScope& scope) {
  DOCKET_TRY(unit, directory.unit(request.unit));  // not_found names the unit
  if (scope.can_read_unit && !scope.can_read_unit(request.unit)) {
    return make_error(ErrorCode::role_not_allowed, "you may not read the cases of unit " + in_quotes(request.unit));
  }
  std::vector<ReportUnit> units{{unit->id, unit->name}};
  if (!request.rollup) return units;
  DOCKET_TRY(subtree, directory.subtree(request.unit));
  for (const std::string& below : *subtree) {
    if (below == request.unit || (scope.can_read_unit && !scope.can_read_unit(below))) continue;
    DOCKET_TRY(found, directory.unit(below));
    units.push_back({found->id, found->name});
  }
  return units;
}

}  // namespace

ReportScope reader_scope(AccessPolicy& policy, const Reader& reader) {
  return ReportScope{[units = policy.readable_units(reader)](const std::string& unit) {
                       return !units || std::find(units->begin(), units->end(), unit) != units->end();
                     },
                     [&policy, reader](const Case& current) { return policy.can_read(reader, current); }};
}

Result<Report> read_report(CaseStore& cases, Directory& directory, const WorkflowCatalog& catalog,
                           const ReportRequest& request, const ReportScope& scope) {
  auto units = report_units(directory, request, scope);
  if (!units) return units.error();
  CaseFilter filter;
  for (const ReportUnit& unit : *units) filter.units.push_back(unit.id);
  filter.limit = kBatch;
  std::vector<CaseHistory> histories;
  for (;;) {
    auto listed = cases.list(filter);
    if (!listed) return listed.error();
    const std::vector<Case>& batch = *listed;
    for (const Case& current : batch) {
      if (scope.can_read_case && !scope.can_read_case(current)) continue;
      auto history = cases.history(current.number);
      if (!history) return history.error();
      CaseHistory counted{current.unit, catalog.find(current.workflow_id, current.workflow_version), {}};
      for (StoredEvent& stored : *history) counted.events.push_back(std::move(stored.event));
      histories.push_back(std::move(counted));
    }
    if (static_cast<int>(batch.size()) < kBatch) break;
    filter.after_number = batch.back().number;
  }
  return build_report(request, *units, histories);
}

}  // namespace docket::reports
