#include "store/outgoing_register.h"

namespace docket {

Result<std::vector<RegisterEntry>> read_outgoing_register(Database& database, const RegisterQuery& query) {
  return catch_storage(database, [&]() -> Result<std::vector<RegisterEntry>> {
    SQLite::Statement select(database.sql(), R"sql(
      SELECT r.unit_id, r.register, r.year, r.number, r.reference, r.kind, r.title, c.number, r.issued_at,
             r.issued_by, r.sha256
        FROM outgoing_register r JOIN cases c ON c.id = r.case_id
       WHERE (?1 = '' OR r.unit_id = ?1) AND (?2 = 0 OR r.year = ?2) AND (?3 = '' OR r.register = ?3)
       ORDER BY r.unit_id, r.year, r.register, r.number)sql");
    select.bind(1, query.unit);
    select.bind(2, query.year);
    select.bind(3, query.register_kind);
    std::vector<RegisterEntry> entries;
    while (select.executeStep()) {
      RegisterEntry entry;
      entry.unit = select.getColumn(0).getString();
      entry.register_kind = select.getColumn(1).getString();
      entry.year = select.getColumn(2).getInt();
      entry.number = select.getColumn(3).getInt();
      entry.reference = select.getColumn(4).getString();
      entry.kind = select.getColumn(5).getString();
      entry.title = select.getColumn(6).getString();
      entry.case_number = select.getColumn(7).getString();
      entry.issued_at = parse_datetime(select.getColumn(8).getString()).value_or(Timestamp{});
      entry.issued_by = select.getColumn(9).getString();
      entry.sha256 = select.getColumn(10).getString();
      entries.push_back(std::move(entry));
    }
    return entries;
  });
}

}  // namespace docket
