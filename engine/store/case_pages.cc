#include "store/case_pages.h"

#include "store/internal/case_rows.h"
#include "store/internal/unit_list.h"

namespace docket {
namespace {

// The WHERE clause of the filter; names its parameters as bind_filter() binds them.
std::string filter_sql(const CasePageQuery& query) {
  const CaseFilter& filter = query.filter;
  std::string sql;
  if (!filter.workflow.empty()) sql += " AND workflow_id = :workflow";
  if (!filter.stage.empty()) sql += " AND stage = :stage";
  if (!filter.unit.empty()) sql += " AND unit_id = :unit";
  // "<> ''" lets SQLite use the partial index cases_assignee.
  if (!filter.assignee.empty()) sql += " AND assignee = :assignee AND assignee <> ''";
  if (filter.open_only || query.due_from || query.due_to) sql += " AND closed = 0";
  if (query.due_from || query.due_to) sql += " AND due_at IS NOT NULL";
  if (query.due_from) sql += " AND due_at >= :due_from";
  if (query.due_to) sql += " AND due_at <= :due_to";
  sql += unit_list_sql("unit_id", filter.units.size());
  return sql;
}

// A page ordered by due date is read in two parts: the cases with a due date, in its order (the
// partial indexes on due_at serve it), then those without one, by number. Each part is one
// ordered range after its own cursor.
enum class Part { by_number, with_due_date, without_due_date };

std::string order_sql(Part part, bool descending, bool after_cursor) {
  const char* beyond = descending ? " < " : " > ";
  const std::string direction = descending ? " DESC" : "";
  switch (part) {
    case Part::by_number:
      return (after_cursor ? std::string(" AND number") + beyond + ":after_number" : std::string()) +
             " ORDER BY number" + direction + " LIMIT :limit";
    case Part::with_due_date:
      return std::string(" AND due_at IS NOT NULL") +
             (after_cursor ? std::string(" AND (due_at") + beyond + ":after_due OR (due_at = :after_due AND number" +
                                 beyond + ":after_number))"
                           : std::string()) +
             " ORDER BY due_at" + direction + ", number" + direction + " LIMIT :limit";
    case Part::without_due_date:
      return std::string(" AND due_at IS NULL") +
             (after_cursor ? std::string(" AND number") + beyond + ":after_number" : std::string()) +
             " ORDER BY number" + direction + " LIMIT :limit";
  }
  return "";
}

// Up to `limit` rows of one part after `after` (none: from the part's start).
std::vector<Case> read_part(Database& db, const CasePageQuery& query, Part part, const CasePageAfter* after,
                            int limit) {
  const std::string sql = std::string("SELECT ") + rows::kCaseColumns + " FROM cases WHERE 1 = 1" + filter_sql(query) +
                          order_sql(part, query.descending, after != nullptr);
  SQLite::Statement statement(db.sql(), sql);  // not cached: the SQL varies with the number of units
  const CaseFilter& filter = query.filter;
  if (!filter.workflow.empty()) statement.bind(":workflow", filter.workflow);
  if (!filter.stage.empty()) statement.bind(":stage", filter.stage);
  if (!filter.unit.empty()) statement.bind(":unit", filter.unit);
  if (!filter.assignee.empty()) statement.bind(":assignee", filter.assignee);
  if (query.due_from) statement.bind(":due_from", *query.due_from);
  if (query.due_to) statement.bind(":due_to", *query.due_to);
  bind_unit_list(statement, filter.units);
  if (after != nullptr) statement.bind(":after_number", after->number);
  if (after != nullptr && part == Part::with_due_date) statement.bind(":after_due", after->due_at);
  statement.bind(":limit", limit);
  std::vector<Case> cases;
  while (statement.executeStep()) cases.push_back(rows::read_case_row(statement));
  return cases;
}

std::vector<Case> read_page(Database& db, const CasePageQuery& query) {
  const bool first_page = query.after.number.empty();
  const CasePageAfter* after = first_page ? nullptr : &query.after;
  const int limit = query.filter.limit;
  if (query.order == CaseOrder::number) return read_part(db, query, Part::by_number, after, limit);
  const bool past_due_dates = !first_page && query.after.due_at.empty();
  std::vector<Case> cases;
  if (!past_due_dates) cases = read_part(db, query, Part::with_due_date, after, limit);
  const bool windowed = query.due_from || query.due_to;  // every case of a due window has a due date
  if (static_cast<int>(cases.size()) < limit && !windowed) {
    for (Case& c : read_part(db, query, Part::without_due_date, past_due_dates ? after : nullptr,
                             limit - static_cast<int>(cases.size())))
      cases.push_back(std::move(c));
  }
  return cases;
}

}  // namespace

Result<std::vector<Case>> read_case_page(Database& db, const CasePageQuery& query) {
  return catch_storage(db, [&] { return read_page(db, query); });
}

}  // namespace docket
