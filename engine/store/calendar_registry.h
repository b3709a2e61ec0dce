// The working-day calendar files installed in a database (table calendars). Installing a
// changed file needs a higher version; the calendar deadlines use is built from what is
// installed, so every process computes with the same data. Thread-safety: as the Database.
#pragma once

#include <filesystem>

#include "core/calendar.h"
#include "core/result.h"
#include "store/database.h"

namespace docket {

class CalendarRegistry {
 public:
  explicit CalendarRegistry(Database& database) : db_(database) {}

  // Validates every *.json file in `directory` and stores each new calendar/year/version. The
  // same version with different content is an error. All or nothing. Returns how many were new.
  Result<int> install_directory(const std::filesystem::path& directory);

  // The calendar from every installed file (weekends only when none is installed).
  Result<Calendar> calendar();

 private:
  Database& db_;
};

}  // namespace docket
