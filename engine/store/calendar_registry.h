// The working-day calendar files installed in a database (table calendars). Installing a
// changed file needs a higher version; the calendar deadlines use is built from what is
// installed, so every process computes with the same data. Every method answers through its
// Result (a SQLite fault is a busy or storage error, never an exception); installed files are
// stamped with the Clock it is given. Thread-safety: as the Database.
#pragma once

#include <filesystem>
#include <string>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/result.h"
#include "store/admin_log.h"
#include "store/database.h"

namespace docket {

class CalendarRegistry {
 public:
  // `database` and `clock` must outlive the registry.
  CalendarRegistry(Database& database, const Clock& clock) : db_(database), clock_(clock) {}

  // Validates every *.json file in `directory` and stores each new calendar/year/version,
  // installed at the clock's now. All or nothing. Returns how many were new. Errors: not_found
  // (the folder cannot be listed), invalid_argument (a file does not validate: file and JSON
  // path), already_exists (the same version with different content), busy, storage. Each new
  // file is an event (calendar.installed) of the administrative log by `actor`, in the same
  // transaction.
  Result<int> install_directory(const std::filesystem::path& directory, const std::string& actor = kSystemActor);

  // The calendar from every installed file (weekends only when none is installed). Errors:
  // internal (a stored file no longer validates), busy, storage.
  Result<Calendar> calendar();

 private:
  Database& db_;
  const Clock& clock_;
};

}  // namespace docket
