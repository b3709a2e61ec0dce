#include "server/case_listing.h"

#include <algorithm>

namespace docket::server {
namespace {

// Reads `filter` in batches until `limit` readable cases (and one more, to know there are more).
Result<CasePage> page_by_number(Workspace& workspace, const Reader& reader, CaseFilter filter, int limit) {
  CasePage page;
  filter.limit = limit + 1;
  filter.by_number = true;  // the cursor is a case number
  for (;;) {
    auto listed = workspace.cases().list(filter);
    if (!listed) return listed.error();
    std::vector<Case> batch = std::move(listed.value());
    const bool exhausted = static_cast<int>(batch.size()) < filter.limit;
    if (!batch.empty()) filter.after_number = batch.back().number;
    for (auto& c : batch) {
      if (!workspace.access().can_read(reader, c)) continue;
      if (static_cast<int>(page.cases.size()) == limit) {
        page.more = true;
        return page;
      }
      page.cases.push_back(std::move(c));
    }
    if (exhausted) return page;
  }
}

// The same over a set the store returns whole (overdue, due within).
CasePage page_of(Workspace& workspace, const Reader& reader, std::vector<Case> cases, const std::string& after,
                 int limit) {
  std::erase_if(cases, [&](const Case& c) { return c.number <= after && !after.empty(); });
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.number < b.number; });
  CasePage page;
  for (auto& c : cases) {
    if (!workspace.access().can_read(reader, c)) continue;
    if (static_cast<int>(page.cases.size()) == limit) {
      page.more = true;
      break;
    }
    page.cases.push_back(std::move(c));
  }
  return page;
}

}  // namespace

Result<CasePage> list_readable(Workspace& workspace, const Reader& reader, CaseListing listing) {
  CaseFilter& filter = listing.filter;
  const auto units = workspace.access().readable_units(reader);
  if (units) filter.units = *units;                // none for an administrator: every unit
  if (units && units->empty()) return CasePage{};  // nothing to read
  if (!listing.overdue && !listing.due_within) return page_by_number(workspace, reader, filter, listing.limit);
  CaseFilter due = filter;
  due.after_number.clear();
  due.limit = kMaxDueCases + 1;
  auto due_cases = listing.overdue ? workspace.cases().overdue(due)
                                   : workspace.cases().due_within(due, std::chrono::hours{24 * *listing.due_within});
  if (!due_cases) return due_cases.error();
  if (static_cast<int>(due_cases->size()) > kMaxDueCases) {
    return make_error(ErrorCode::invalid_argument, "more than " + std::to_string(kMaxDueCases) +
                                                       " cases match; narrow the filter by workflow, unit or stage");
  }
  return page_of(workspace, reader, std::move(due_cases.value()), filter.after_number, listing.limit);
}

}  // namespace docket::server
