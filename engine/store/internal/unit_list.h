// The readable units of a reader as a list in SQL: "unit_id IN (:u0, ?, ?, ...)". A province's
// board reads a thousand communes; SQLite finds a named parameter by a linear search of the
// statement's names, so binding a thousand names costs a million comparisons per query. Only the
// first is named; the others follow it in the text and so take the next numbers. Internal to
// the store (case lists, pages, search). Thread-safety: as the statement.
#pragma once

#include <SQLiteCpp/Statement.h>

#include <string>
#include <vector>

namespace docket {

// " AND <column> IN (:u0, ?, ...)" for `count` units; nothing for none (no filter).
inline std::string unit_list_sql(const std::string& column, std::size_t count) {
  if (count == 0) return "";
  std::string sql = " AND " + column + " IN (:u0";
  for (std::size_t i = 1; i < count; ++i) sql += ", ?";
  return sql + ")";
}

// Binds `units` to the list unit_list_sql wrote into `statement`.
inline void bind_unit_list(SQLite::Statement& statement, const std::vector<std::string>& units) {
  if (units.empty()) return;
  const int first = statement.getIndex(":u0");
  for (std::size_t i = 0; i < units.size(); ++i) statement.bind(first + static_cast<int>(i), units[i]);
}

}  // namespace docket
