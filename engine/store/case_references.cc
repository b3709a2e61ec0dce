#include "store/case_references.h"

#include "core/text.h"

namespace docket {
namespace {

constexpr const char* kSelect = R"sql(SELECT r.workflow_id, r.unit_id, r.reference, c.number, r.source, r.source_row,
  COALESCE(r.opened_on, ''), r.imported_by, r.imported_at FROM case_references r JOIN cases c ON c.id = r.case_id )sql";

CaseReference read_reference(SQLite::Statement& query) {
  CaseReference found;
  found.workflow = query.getColumn(0).getString();
  found.unit = query.getColumn(1).getString();
  found.reference = query.getColumn(2).getString();
  found.case_number = query.getColumn(3).getString();
  found.source = query.getColumn(4).getString();
  found.source_row = query.getColumn(5).getInt();
  found.opened_on = query.getColumn(6).getString();
  found.imported_by = query.getColumn(7).getString();
  found.imported_at = parse_datetime(query.getColumn(8).getString()).value_or(Timestamp{});
  return found;
}

}  // namespace

Result<std::optional<CaseReference>> find_case_reference(Database& database, const std::string& workflow,
                                                         const std::string& unit, const std::string& reference) {
  return catch_storage(database, [&]() -> std::optional<CaseReference> {
    CachedStatement statement =
        database.prepare(std::string(kSelect) + "WHERE r.workflow_id = ? AND r.unit_id = ? AND r.reference = ?");
    statement->bind(1, workflow);
    statement->bind(2, unit);
    statement->bind(3, reference);
    if (!statement->executeStep()) return std::nullopt;
    return read_reference(*statement);
  });
}

Result<std::optional<CaseReference>> reference_of_case(Database& database, const std::string& case_number) {
  return catch_storage(database, [&]() -> std::optional<CaseReference> {
    CachedStatement statement = database.prepare(std::string(kSelect) + "WHERE c.number = ?");
    statement->bind(1, case_number);
    if (!statement->executeStep()) return std::nullopt;
    return read_reference(*statement);
  });
}

Status record_case_reference(Database& database, const CaseReference& reference) {
  return catch_storage(database, [&]() -> Status {
    if (auto there = find_case_reference(database, reference.workflow, reference.unit, reference.reference); !there) {
      return there.error();
    } else if (*there) {
      return make_error(ErrorCode::conflict, "reference " + in_quotes(reference.reference) + " of " +
                                                 reference.workflow + " at " + reference.unit + " is case " +
                                                 (*there)->case_number + " already");
    }
    CachedStatement statement = database.prepare(R"sql(INSERT INTO case_references
      (workflow_id, unit_id, reference, case_id, source, source_row, opened_on, imported_by, imported_at)
      SELECT ?, ?, ?, id, ?, ?, NULLIF(?, ''), ?, ? FROM cases WHERE number = ?)sql");
    statement->bind(1, reference.workflow);
    statement->bind(2, reference.unit);
    statement->bind(3, reference.reference);
    statement->bind(4, reference.source);
    statement->bind(5, reference.source_row);
    statement->bind(6, reference.opened_on);
    statement->bind(7, reference.imported_by);
    statement->bind(8, format_timestamp(reference.imported_at));
    statement->bind(9, reference.case_number);
    if (statement->exec() == 0) return make_error(ErrorCode::not_found, "no case " + reference.case_number);
    return Ok{};
  });
}

}  // namespace docket
