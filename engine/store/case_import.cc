#include "store/case_import.h"

#include "store/internal/case_rows.h"

namespace docket {

Result<std::int64_t> import_case(Database& database, const WorkflowDefinition& definition, const Case& state,
                                 const std::vector<Event>& events) {
  return catch_storage(database,
                       [&] { return rows::save(database, definition, 0, Digest{}, nullptr, state, events).case_id; });
}

Status import_document(Database& database, const Upload& upload) {
  return catch_storage(database, [&] {
    rows::store_blob(database, upload);
    return Ok{};
  });
}

}  // namespace docket
