// What both halves of the Directory (directory.cc: users, roles, tokens; directory_units.cc:
// the org tree) check and read. Throws SQLite::Exception: call inside catch_storage_errors or
// Database::write. Thread-safety: as the connection given.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "core/result.h"
#include "core/text.h"

namespace docket::rows {

// Unit and user ids: 1-64 letters, digits, '-', '_' or '.'.
inline Status check_code(const char* what, const std::string& id) {
  const bool valid = !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.';
  });
  if (valid) return Ok{};
  return make_error(ErrorCode::invalid_argument, std::string(what) + " id " + in_quotes(id) +
                                                     " must be 1-64 letters, digits, '-', '_' or '.' (no spaces)");
}

inline bool unit_exists(SQLite::Database& db, const std::string& id) {
  SQLite::Statement query(db, "SELECT 1 FROM org_units WHERE id = ?");
  query.bind(1, id);
  return query.executeStep();
}

}  // namespace docket::rows
