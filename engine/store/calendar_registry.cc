#include "store/calendar_registry.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "loader/calendar_loader.h"
#include "loader/workflow_loader.h"
#include "store/internal/hash.h"

namespace docket {

Result<int> CalendarRegistry::install_directory(const std::filesystem::path& directory, const std::string& actor) {
  std::error_code problem;
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(directory, problem)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") paths.push_back(entry.path());
  }
  if (problem)
    return make_error(ErrorCode::not_found,
                      "cannot list calendar folder " + directory.string() + ": " + problem.message());
  std::sort(paths.begin(), paths.end());
  std::vector<std::pair<CalendarFile, std::string>> files;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    LoadedCalendar loaded = parse_calendar(text.str());
    if (!loaded.file)
      return make_error(ErrorCode::invalid_argument, format_diagnostic(path, loaded.diagnostics.front()));
    files.emplace_back(std::move(*loaded.file), text.str());
  }
  int added = 0;
  const Status written = db_.write([&]() -> Status {
    for (const auto& [file, source] : files) {
      SQLite::Statement existing(db_.sql(),
                                 "SELECT source FROM calendars WHERE calendar = ? AND year = ? AND version = ?");
      existing.bind(1, file.calendar);
      existing.bind(2, file.year);
      existing.bind(3, file.version);
      if (existing.executeStep()) {
        if (existing.getColumn(0).getString() == source) continue;
        return make_error(ErrorCode::already_exists,
                          "calendar " + in_quotes(file.calendar) + " " + std::to_string(file.year) + " version " +
                              std::to_string(file.version) +
                              " is installed with different content; raise \"version\" in the file");
      }
      SQLite::Statement insert(
          db_.sql(), "INSERT INTO calendars (calendar, year, version, source, installed_at) VALUES (?, ?, ?, ?, ?)");
      insert.bind(1, file.calendar);
      insert.bind(2, file.year);
      insert.bind(3, file.version);
      insert.bind(4, source);
      insert.bind(5, format_timestamp(clock_.now()));
      insert.exec();
      const Status recorded = record_admin_event(db_, "calendar.installed", actor, clock_.now(),
                                                 {{"calendar", file.calendar},
                                                  {"year", std::int64_t{file.year}},
                                                  {"version", std::int64_t{file.version}},
                                                  {"source_sha256", sha256_hex(source)}});
      if (!recorded) return recorded;
      ++added;
    }
    return Ok{};
  });
  if (!written) return written.error();
  return added;
}

Result<Calendar> CalendarRegistry::calendar() {
  std::vector<CalendarFile> files;
  try {
    SQLite::Statement query(db_.sql(), "SELECT source FROM calendars ORDER BY calendar, year, version");
    while (query.executeStep()) {
      LoadedCalendar loaded = parse_calendar(query.getColumn(0).getString());
      if (!loaded.file) return make_error(ErrorCode::internal, "an installed calendar file no longer validates");
      files.push_back(std::move(*loaded.file));
    }
  } catch (const SQLite::Exception& problem) {
    return storage_error(problem, db_.busy_timeout_ms());
  }
  return build_calendar(files);
}

}  // namespace docket
