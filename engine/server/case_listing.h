// Lists of cases as one user sees them, page by page: the store's cases (store/case_store.h)
// without those the user may not read (store/access_policy.h). The API (GET /api/v1/cases) and
// the web pages (inbox, case list, CSV) list through here, so both show a user the same cases.
// Pages are ordered by case number and the cursor is the last number of the previous page, so
// a page never repeats or skips a case even while cases are opened; unreadable cases are
// skipped without shortening a page. Runs on the thread that owns `workspace`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "workspace/workspace.h"

namespace docket::server {

// The overdue and due-within filters read every due case at once (the store orders them by
// due date); past this many they are refused rather than silently cut.
inline constexpr int kMaxDueCases = 20000;

struct CaseListing {
  CaseFilter filter;                // filter.after_number is the cursor; units and limit are set here
  bool overdue = false;             // only cases past their due date
  std::optional<int> due_within{};  // only cases due within this many days
  int limit = 50;                   // cases per page
};

struct CasePage {
  std::vector<Case> cases;
  bool more = false;  // another page follows (its cursor: cases.back().number)
};

// A page of the cases `listing` selects that `reader` may read. Errors: invalid_argument when
// more than kMaxDueCases cases are due (narrow the filter), busy, storage.
Result<CasePage> list_readable(Workspace& workspace, const Reader& reader, CaseListing listing);

}  // namespace docket::server
