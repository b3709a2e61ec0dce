// Ordered pages of the cases table for lists (server/case_listing.h, the API's GET /cases and
// `docket case list`): by case number or by due date, either way round, after a keyset cursor
// (the sort key of the previous page's last row), so a page never repeats or skips a case while
// cases are opened or moved, and each page reads about as many rows as it returns, however many
// match. Thread-safety: as the Database it is given (one thread at a time).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/case.h"
#include "core/result.h"
#include "store/case_store.h"
#include "store/database.h"

namespace docket {

enum class CaseOrder {
  number,  // by case number
  due,     // by the current stage's due moment (due_at), then number; cases without one last
};

// Where the previous page ended: its last row's sort key. Empty `number`: the first page.
struct CasePageAfter {
  std::string number;
  std::string due_at;  // CaseOrder::due only: the row's due_at (ISO UTC), empty when it had none
};

struct CasePageQuery {
  CaseFilter filter;  // workflow, stage, unit, units, assignee, open_only, limit (after_number unused)
  CaseOrder order = CaseOrder::number;
  bool descending = false;  // the order reversed, except that cases without a due date stay last
  CasePageAfter after;
  // Only open cases whose due_at lies in [due_from, due_to] (ISO UTC, either end optional).
  std::optional<std::string> due_from, due_to;
};

// Up to query.filter.limit cases in the query's order after its cursor. Errors: busy, storage.
Result<std::vector<Case>> read_case_page(Database& db, const CasePageQuery& query);

}  // namespace docket
