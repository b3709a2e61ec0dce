// The outgoing register (sổ văn bản đi) of each unit: every document the committee issued from
// a case, numbered from 1 per unit, register kind ("CV" letters, "BC" reports...) and year with
// no gap. A number is taken by CaseStore in the transaction of the document.issued event that
// issues the document (core/command.h IssueDocument), so a failed issue gives it back and two
// issuers never share one. This is the reading side. Thread-safety: as the Database.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "store/database.h"

namespace docket {

struct RegisterEntry {
  std::string unit;
  std::string register_kind;  // "CV"
  int year = 0;
  int number = 0;
  std::string reference;  // "15/CV-MTTQ-BTT", as printed on the document
  std::string kind;       // the document: "letter", "report", ...
  std::string title;
  std::string case_number;
  Timestamp issued_at{};
  std::string issued_by;
  std::string sha256;  // the issued file, kept with the case
};

struct RegisterQuery {
  std::string unit;           // empty: every unit
  int year = 0;               // 0: every year
  std::string register_kind;  // empty: every kind
};

// The entries `query` selects, by unit, year, register kind and number. Errors: busy, storage.
Result<std::vector<RegisterEntry>> read_outgoing_register(Database& database, const RegisterQuery& query);

}  // namespace docket
