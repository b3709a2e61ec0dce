// The references cases were known by before Docket: a case imported from a committee's own
// spreadsheet (sheets/case_importer.h) keeps the value of its external reference column, unique
// per workflow and unit, with where it came from (file and row) and who imported it. Running the
// same import again finds the references already there and skips those rows.
// Thread-safety: as the Database it is given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.h"
#include "core/time.h"
#include "store/database.h"

namespace docket {

struct CaseReference {
  std::string workflow;
  std::string unit;
  std::string reference;    // as the file gave it (NFC, trimmed)
  std::string case_number;  // the case it was imported as
  std::string source;       // the file's name
  int source_row = 0;       // the row of the file, from 1
  std::string opened_on;    // YYYY-MM-DD: when the committee opened it, as the file says; empty: not given
  std::string imported_by;
  Timestamp imported_at{};
};

// The reference `reference` of `workflow` at `unit`, when a case was imported with it.
// Errors: busy, storage.
Result<std::optional<CaseReference>> find_case_reference(Database& database, const std::string& workflow,
                                                         const std::string& unit, const std::string& reference);

// The reference case `case_number` was imported with, if any. Errors: busy, storage.
Result<std::optional<CaseReference>> reference_of_case(Database& database, const std::string& case_number);

// Records `reference` for the case it names. REQUIRES: inside database.write(), with the case
// opened in the same transaction. Errors: conflict when that workflow and unit already have the
// reference; not_found when no case has that number; busy, storage.
Status record_case_reference(Database& database, const CaseReference& reference);

}  // namespace docket
