// docket backup FILE and docket restore FILE (store/backup.h). `docket migrate`
// takes one the same way before it changes the file.
#pragma once

#include <filesystem>
#include <ostream>

#include "app.h"

namespace docket::cli {

// Copies the database at context.database_path (whatever its schema version) to the new file
// `target` and verifies the copy; says what it copied and verified on `out`. Errors: not_found
// when there is no database, as back_up() otherwise (already_exists, integrity, storage, busy).
Status back_up_database(const Context& context, const std::filesystem::path& target, std::ostream& out);

// What `docket migrate` and `docket init` do before they upgrade a file of schema `version`:
// back_up_database to DB.schema-<version>.<UTC time>.bak next to the database.
Status back_up_before_migrating(const Context& context, int version, std::ostream& out);

}  // namespace docket::cli
