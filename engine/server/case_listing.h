// Lists of cases as one user sees them, page by page: the store's cases (store/case_pages.h)
// without those the user may not read (store/access_policy.h). The API (GET /api/v1/cases), the
// CLI (`docket case list`) and the web pages (inbox, case list, CSV) list through here, so all
// show a user the same cases. Pages are ordered by case number or by due date (either way
// round) and the cursor is the sort key of the previous page's last case, so a page never
// repeats or skips a case even while cases are opened; unreadable cases are skipped without
// shortening a page. Any number of cases can be paged through: no filter is refused for matching
// too many. Runs on the thread that owns `workspace`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/case_pages.h"
#include "workspace/workspace.h"

namespace docket::server {

// The most cases one page may hold (the web's CSV download asks for this many).
inline constexpr int kMaxDueCases = 20000;

struct CaseListing {
  CaseFilter filter;     // filter.after_number is the cursor (CasePage::next_cursor); units and limit are set here
  bool overdue = false;  // only open cases past their due date
  std::optional<int> due_within{};  // only open cases due within this many days
  int limit = 50;                   // cases per page
  CaseOrder order = CaseOrder::number;
  bool descending = false;
};

struct CasePage {
  std::vector<Case> cases;
  bool more = false;        // another page follows
  std::string next_cursor;  // when more: the cursor of the next page (a case number when ordered by number)
};

// A page of the cases `listing` selects that `reader` may read. Errors: invalid_argument for a
// cursor this order did not give (it names it), busy, storage.
Result<CasePage> list_readable(Workspace& workspace, const Reader& reader, CaseListing listing);

}  // namespace docket::server
