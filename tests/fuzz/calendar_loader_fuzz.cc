// Fuzz target: a working-day calendar file (loader/calendar_loader.h), then the calendar built
// from it answering for every day of its year. Any input must give a file or diagnostics.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "loader/calendar_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  const docket::LoadedCalendar loaded = docket::parse_calendar(json);
  if (!loaded.file) return 0;
  const docket::Calendar calendar = docket::build_calendar({*loaded.file});
  calendar.non_working_days(loaded.file->year);
  calendar.named_days(loaded.file->year);
  docket::coverage_warning(calendar, loaded.file->effective_from);
  return 0;
}
