#include "reports/report_reader.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace docket::reports {
namespace {

// The org tree on the report's as-of day (Directory::tree_on): each unit's name and parent
// then, and the unit its cases count under (a unit merged by then: the unit it merged into).
class TreeOnDay {
 public:
  explicit TreeOnDay(std::vector<UnitForm> forms) {
    for (UnitForm& form : forms) forms_.emplace(form.id, std::move(form));
  }

  std::string owner(const std::string& unit) const {
    std::string current = unit;
    for (std::size_t hops = 0; hops <= forms_.size(); ++hops) {  // merges cannot loop; bounded anyway
      const auto found = forms_.find(current);
      if (found == forms_.end() || found->second.status != "merged") return current;
      current = found->second.merged_into;
    }
    return current;
  }
  std::string name(const std::string& unit) const {
    const auto found = forms_.find(unit);
    return found == forms_.end() ? unit : found->second.name;
  }
  // `unit` and the units below it that day, nearer first (by id within a level); merged units
  // are not units of the tree any more.
  std::vector<std::string> subtree(const std::string& unit) const {
    std::vector<std::string> found{unit};
    for (std::size_t level_start = 0; level_start < found.size();) {
      const std::size_t level_end = found.size();
      std::vector<std::string> next;
      for (const auto& [id, form] : forms_) {
        if (form.status == "merged") continue;
        for (std::size_t i = level_start; i < level_end; ++i) {
          if (form.parent == found[i] && id != found[i]) next.push_back(id);
        }
      }
      std::sort(next.begin(), next.end());
      found.insert(found.end(), next.begin(), next.end());
      level_start = level_end;
    }
    return found;
  }
  // Every unit whose cases count under one of `units` that day.
  std::vector<std::string> counted_under(const std::vector<ReportUnit>& units) const {
    std::vector<std::string> ids;
    for (const auto& [id, form] : forms_) {
      const std::string counts_under = owner(id);
      if (std::any_of(units.begin(), units.end(), [&](const ReportUnit& u) { return u.id == counts_under; }))
        ids.push_back(id);
    }
    return ids;
  }

 private:
  std::map<std::string, UnitForm> forms_;
};

Result<std::vector<ReportUnit>> report_units(Directory& directory, const TreeOnDay& tree, const ReportRequest& request,
                                             const ReportScope& scope) {
  DOCKET_TRY(unit, directory.unit(request.unit));  // not_found names the unit
  if (scope.can_read_unit && !scope.can_read_unit(request.unit)) {
    return make_error(ErrorCode::role_not_allowed, "you may not read the cases of unit " + in_quotes(request.unit));
  }
  std::vector<ReportUnit> units{{unit->id, tree.name(unit->id)}};
  if (!request.rollup) return units;
  for (const std::string& below : tree.subtree(request.unit)) {
    if (below == request.unit || (scope.can_read_unit && !scope.can_read_unit(below))) continue;
    units.push_back({below, tree.name(below)});
  }
  return units;
}

}  // namespace

ReportScope reader_scope(AccessPolicy& policy, const Reader& reader) {
  return ReportScope{[units = policy.readable_units(reader)](const std::string& unit) {
                       return !units || std::find(units->begin(), units->end(), unit) != units->end();
                     },
                     [&policy, reader](const Case& current) { return policy.can_read(reader, current); },
                     [&policy, reader](const std::string& unit, const WorkflowDefinition& definition) {
                       return policy.reads_every_case(reader, unit, definition);
                     }};
}

Result<Report> read_report(CaseStore& cases, Directory& directory, const WorkflowCatalog& catalog,
                           const ReportRequest& request, const ReportScope& scope) {
  DOCKET_TRY(forms, directory.tree_on(vietnam_date(request.as_of.cutoff)));
  const TreeOnDay tree(std::move(forms.value()));
  auto units = report_units(directory, tree, request, scope);
  if (!units) return units.error();
  const Timestamp cutoff = request.as_of.cutoff;
  // The figures summed by (unit counted under, definition, form): a few hundred groups however
  // many cases.
  std::map<std::tuple<std::string, const WorkflowDefinition*, std::string>, Figures> groups;
  std::map<std::pair<std::string, const WorkflowDefinition*>, bool> every_case;  // reads_every_case, asked once
  for (const std::string& unit : tree.counted_under(*units)) {
    const std::string owner = tree.owner(unit);
    const Status read = cases.each_report_facts(
        unit, request.period.from, request.period.to, cutoff, [&](const ReportFactsRow& row) -> Status {
          const WorkflowDefinition* definition = catalog.find(row.workflow_id, row.workflow_version);
          if (definition == nullptr || !definition->counts_as_work) return Ok{};
          CaseFigures counted = facts_figures(row.facts, request.period, cutoff);
          if (!counted.in_scope) return Ok{};
          if (scope.can_read_case) {
            auto known = every_case.find({unit, definition});
            if (known == every_case.end()) {
              const bool every = scope.reads_every_case && scope.reads_every_case(unit, *definition);
              known = every_case.emplace(std::pair{unit, definition}, every).first;
            }
            if (!known->second) {
              auto current = cases.read(row.number);
              if (!current) return current.error();
              if (!scope.can_read_case(**current)) return Ok{};
            }
          }
          groups[{owner, definition, counted.form}] += counted.figures;
          return Ok{};
        });
    if (!read) return read.error();
  }
  std::vector<CountedCases> counted;
  counted.reserve(groups.size());
  for (auto& [key, figures] : groups)
    counted.push_back(CountedCases{std::get<0>(key), std::get<1>(key), std::get<2>(key), figures});
  return build_report(request, *units, counted);
}

Result<Report> fold_report(CaseStore& cases, Directory& directory, const WorkflowCatalog& catalog,
                           const ReportRequest& request, const ReportScope& scope) {
  constexpr int kBatch = 500;  // cases read per query
  DOCKET_TRY(forms, directory.tree_on(vietnam_date(request.as_of.cutoff)));
  const TreeOnDay tree(std::move(forms.value()));
  auto units = report_units(directory, tree, request, scope);
  if (!units) return units.error();
  CaseFilter filter;
  filter.units = tree.counted_under(*units);
  if (filter.units.empty()) return build_report(request, *units, std::vector<CaseHistory>{});
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
      CaseHistory counted{tree.owner(current.unit), catalog.find(current.workflow_id, current.workflow_version), {}};
      for (StoredEvent& stored : *history) counted.events.push_back(std::move(stored.event));
      histories.push_back(std::move(counted));
    }
    if (static_cast<int>(batch.size()) < kBatch) break;
    filter.after_number = batch.back().number;
  }
  return build_report(request, *units, histories);
}

}  // namespace docket::reports
