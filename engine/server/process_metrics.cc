#include "server/process_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

namespace docket::server {
namespace {

// The fields of /proc/self/stat from the third (state) on: the second, the command name in
// parentheses, may hold spaces and parentheses itself (proc(5)).
std::vector<std::string> own_stat_fields() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  std::getline(in, line);
  const auto name_end = line.rfind(')');
  if (name_end == std::string::npos) return {};
  std::istringstream rest(line.substr(name_end + 1));
  std::vector<std::string> fields;
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

std::optional<double> number(const std::string& text) {
  try {
    return std::stod(text);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// proc(5) numbers the fields from 1; own_stat_fields() starts at field 3.
std::optional<double> stat_field(const std::vector<std::string>& fields, std::size_t field) {
  if (field < 3 || field - 3 >= fields.size()) return std::nullopt;
  return number(fields[field - 3]);
}

// When the machine booted, in seconds since the epoch ("btime" of /proc/stat).
std::optional<double> boot_time() {
  std::ifstream in("/proc/stat");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("btime ", 0) == 0) return number(line.substr(6));
  }
  return std::nullopt;
}

std::optional<double> open_descriptors() {
  std::error_code problem;
  std::filesystem::directory_iterator entries("/proc/self/fd", problem);
  if (problem) return std::nullopt;
  double count = 0;
  for (const auto& entry : entries) {
    (void)entry;
    ++count;
  }
  return count;
}

void figure(std::ostringstream& out, const char* name, const char* type, const char* help,
            std::optional<double> value) {
  if (!value) return;
  out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n"
      << name << " " << *value << "\n";
}

}  // namespace

std::string process_metrics(const BuildInfo& build) {
  std::ostringstream out;
  out.precision(15);  // whole seconds since 1970 and byte counts print in full, not as 1.7e+09
  out << "# HELP docket_build_info The version and git commit of the running build.\n"
      << "# TYPE docket_build_info gauge\n"
      << "docket_build_info{version=\"" << build.version << "\",commit=\"" << build.commit << "\"} 1\n";

  const std::vector<std::string> stat = own_stat_fields();
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
  const auto started = stat_field(stat, 22);  // clock ticks after boot
  const auto booted = boot_time();
  const auto user_ticks = stat_field(stat, 14), system_ticks = stat_field(stat, 15);
  const auto resident = stat_field(stat, 24);  // pages
  figure(out, "docket_process_start_time_seconds", "gauge", "When the process started, in seconds since 1970.",
         started && booted ? std::optional(*booted + *started / ticks) : std::nullopt);
  figure(out, "docket_process_cpu_seconds_total", "counter", "User and system CPU time the process has used.",
         user_ticks && system_ticks ? std::optional((*user_ticks + *system_ticks) / ticks) : std::nullopt);
  figure(out, "docket_process_resident_memory_bytes", "gauge", "Resident memory of the process.",
         resident ? std::optional(*resident * page) : std::nullopt);
  figure(out, "docket_process_open_fds", "gauge", "Open file descriptors of the process.", open_descriptors());
  rlimit limit{};
  figure(out, "docket_process_max_fds", "gauge", "The process's limit of open file descriptors (ulimit -n).",
         ::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
             ? std::optional(static_cast<double>(limit.rlim_cur))
             : std::nullopt);
  return out.str();
}

}  // namespace docket::server
