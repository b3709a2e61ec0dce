#include "loader/calendar_loader.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "core/json_text.h"
#include "loader/json_reader.h"

namespace docket {
namespace {

using rapidjson::Value;

constexpr std::pair<const char*, unsigned> kWeekdays[] = {
    {"sunday", 0}, {"monday", 1}, {"tuesday", 2}, {"wednesday", 3}, {"thursday", 4}, {"friday", 5}, {"saturday", 6}};

class CalendarReader {
 public:
  explicit CalendarReader(std::vector<Diagnostic>& out) : in_(out) {}

  CalendarFile read(const Value& root) {
    CalendarFile file;
    if (!in_.object(root, "$", {"calendar", "year", "version", "effective_from", "weekend", "holidays", "working_days"},
                    {"calendar", "year", "version", "effective_from", "weekend"})) {
      return file;
    }
    file.calendar = in_.string(root, "calendar", "$");
    file.year = in_.integer(root, "year", "$").value_or(0);
    file.version = in_.integer(root, "version", "$").value_or(0);
    if (file.version < 1) in_.error("$.version", "version must be an integer of at least 1");
    if (file.year < 1900 || file.year > 2200) in_.error("$.year", "year must be between 1900 and 2200");
    file.effective_from = date(root, "effective_from", "$").value_or(Date{});
    const auto names = in_.strings(root, "weekend", "$");
    for (std::size_t i = 0; i < names.size(); ++i) {
      bool known = false;
      for (const auto& [name, number] : kWeekdays) {
        if (names[i] == name) file.weekend.insert(number), known = true;
      }
      if (!known)
        in_.error("$.weekend[" + std::to_string(i) + "]",
                  in_quotes(names[i]) + " is not a weekday name (monday ... sunday)");
    }
    file.holidays = in_.list<CalendarDay>(root, "holidays", "$",
                                          [&](const Value& v, const std::string& p) { return day(v, p, false, file); });
    file.working_days = in_.list<CalendarDay>(
        root, "working_days", "$", [&](const Value& v, const std::string& p) { return day(v, p, true, file); });
    check_days(file);
    return file;
  }

 private:
  std::optional<Date> date(const Value& v, const char* key, const std::string& path) {
    const std::string text = in_.string(v, key, path);
    if (!v.HasMember(key) || !v[key].IsString()) return std::nullopt;
    const auto parsed = parse_date(text);
    if (!parsed) in_.error(path + "." + key, in_quotes(text) + " is not a date (YYYY-MM-DD)");
    return parsed;
  }

  CalendarDay day(const Value& v, const std::string& path, bool worked, const CalendarFile& file) {
    CalendarDay result;
    const bool shaped = worked ? in_.object(v, path, {"date", "name", "source", "instead_of"}, {"date", "name"})
                               : in_.object(v, path, {"date", "name", "source"}, {"date", "name"});
    if (!shaped) return result;
    result.date = date(v, "date", path).value_or(Date{});
    result.name = in_.label(v, "name", path);
    result.source = in_.string(v, "source", path);
    if (worked && v.HasMember("instead_of")) result.instead_of = date(v, "instead_of", path);
    if (result.date.ok() && result.date.year() != std::chrono::year{file.year}) {
      in_.error(path + ".date", format_date(result.date) + " is not in " + std::to_string(file.year));
    }
    return result;
  }

  void check_days(const CalendarFile& file) {
    std::map<std::chrono::sys_days, std::string> seen;
    const auto note = [&](const CalendarDay& d, const std::string& path) {
      if (!d.date.ok()) return;
      const auto [it, inserted] = seen.emplace(std::chrono::sys_days{d.date}, path);
      if (!inserted) in_.error(path + ".date", format_date(d.date) + " is listed twice (also at " + it->second + ")");
    };
    for (std::size_t i = 0; i < file.holidays.size(); ++i)
      note(file.holidays[i], "$.holidays[" + std::to_string(i) + "]");
    for (std::size_t i = 0; i < file.working_days.size(); ++i) {
      const std::string path = "$.working_days[" + std::to_string(i) + "]";
      const CalendarDay& d = file.working_days[i];
      note(d, path);
      if (d.date.ok() && !file.weekend.count(std::chrono::weekday{std::chrono::sys_days{d.date}}.c_encoding())) {
        in_.error(path + ".date", format_date(d.date) + " is a " + weekday_name(d.date) + ", already a working day");
      }
      const bool same_year = d.instead_of && d.instead_of->year() == std::chrono::year{file.year};
      const bool listed = same_year && std::any_of(file.holidays.begin(), file.holidays.end(),
                                                   [&](const CalendarDay& h) { return h.date == *d.instead_of; });
      if (same_year && !listed) {
        in_.error(path + ".instead_of",
                  format_date(*d.instead_of) + " is not listed in $.holidays as the day off it makes up for");
      }
    }
  }

  JsonReader in_;
};

}  // namespace

LoadedCalendar parse_calendar(std::string_view json) {
  LoadedCalendar loaded;
  rapidjson::Document document;
  if (const auto problem = parse_json(json, document)) {
    loaded.diagnostics.push_back({Severity::error, problem->path,
                                  "malformed JSON at line " + std::to_string(problem->line) + ", column " +
                                      std::to_string(problem->column) + ": " + problem->reason});
    return loaded;
  }
  CalendarFile file = CalendarReader(loaded.diagnostics).read(document);
  if (!has_errors(loaded.diagnostics)) loaded.file = std::move(file);
  return loaded;
}

LoadedCalendar load_calendar_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path)) {
    LoadedCalendar failed;
    failed.diagnostics.push_back({Severity::error, "$", "cannot read the file (does it exist?)"});
    return failed;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_calendar(text.str());
}

Calendar build_calendar(const std::vector<CalendarFile>& files) {
  std::map<std::pair<int, std::string>, const CalendarFile*> newest;  // (year, calendar) -> file
  for (const auto& file : files) {
    auto& slot = newest[{file.year, file.calendar}];
    if (slot == nullptr || slot->version < file.version) slot = &file;
  }
  Calendar calendar;
  for (const auto& [key, file] : newest) {
    calendar.set_weekend(file->weekend);
    calendar.add_covered_year(file->year);
    for (const auto& day : file->holidays) calendar.add_holiday(day.date, day.name);
    for (const auto& day : file->working_days) calendar.add_working_day(day.date, day.name);
  }
  return calendar;
}

}  // namespace docket
