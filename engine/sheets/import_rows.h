// One row of a committee's spreadsheet read as a case to open: its cells located by the mapping
// (import_mapping.h) and turned into what the workflow takes (dates from Excel serial days or
// dd/mm/yyyy text, enum values from their labels or the mapping's words, units from their id or
// name), every problem named by row and column. Used by the importer (case_importer.h).
// Not thread-safe: one reader per import.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/command.h"
#include "core/workflow.h"
#include "sheets/import_mapping.h"
#include "store/directory.h"

namespace docket::sheets {

// A problem of one row: `row 7, column C "Ngày nhận": "31/02/2026" is not a date (dd/mm/yyyy)`.
struct RowProblem {
  int row = 0;
  std::string column;  // MappedColumn::name(); empty when the problem is the row's as a whole
  std::string message;
  std::string text() const;
};

// What a row gives, ready for the store.
struct RowValues {
  std::string reference;
  std::string title;
  std::string unit;
  std::string opened;  // YYYY-MM-DD, or empty
  FieldValues fields;  // canonical values (empty cells left out)
};

class RowReader {
 public:
  // Locates every mapped column in the header row and checks the mapping against `definition`
  // (every field it names exists, every field required to open a case has a column) and `units`.
  // `default_unit` is every row's unit when the mapping has no unit column. Errors:
  // invalid_argument listing every problem of the mapping.
  static Result<RowReader> make(const Grid& grid, const ImportMapping& mapping, const WorkflowDefinition& definition,
                                const std::vector<OrgUnit>& units, const std::string& default_unit);

  int first_row() const { return mapping_.header_row + 1; }
  int last_row() const { return static_cast<int>(grid_->rows.size()); }
  // Whether every cell of the row is empty (a blank line between entries: skipped).
  bool blank(int row) const;
  // The row's values; nullopt (with `problems` added, every one of the row) when any is wrong.
  std::optional<RowValues> read(int row, std::vector<RowProblem>& problems) const;
  const MappedColumn& reference_column() const { return reference_; }

 private:
  RowReader(const Grid& grid, ImportMapping mapping, const WorkflowDefinition& definition)
      : grid_(&grid), mapping_(std::move(mapping)), definition_(&definition) {}
  std::optional<std::string> unit_of(int row, std::vector<RowProblem>& problems) const;
  std::optional<std::string> field_value(int row, const FieldDefinition& field, const MappedColumn& column,
                                         std::vector<RowProblem>& problems) const;

  const Grid* grid_;
  ImportMapping mapping_;
  const WorkflowDefinition* definition_;
  MappedColumn reference_, title_;
  std::optional<MappedColumn> unit_, opened_;
  std::vector<std::pair<const FieldDefinition*, MappedColumn>> fields_;
  std::string default_unit_;
  std::map<std::string, std::string> unit_ids_;    // id -> id, for the units that exist
  std::map<std::string, std::string> unit_names_;  // name (NFC) -> id; "" when two units share it
};

// A date a person typed: dd/mm/yyyy, d/m/yyyy (also with - or .), or YYYY-MM-DD; nullopt otherwise
// (and for a day that does not exist, such as 31/02/2026).
std::optional<Date> parse_people_date(std::string_view text);

}  // namespace docket::sheets
