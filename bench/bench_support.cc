#include "bench_support.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <unistd.h>

#include "store/calendar_registry.h"
#include "store/database.h"
#include "store/directory.h"
#include "store/workflow_registry.h"

namespace docket::bench {

std::string commune_id(int index) {
  char id[16];
  std::snprintf(id, sizeof id, "xa-%04d", index);
  return id;
}

Result<Tokens> seed_database(const std::filesystem::path& path, int communes) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  auto db = Database::open({path, true, 5000, true});
  if (!db) return db.error();
  const std::filesystem::path workflows = DOCKET_WORKFLOWS_DIR;
  const SystemClock clock;  // what the seed records (install and creation times) is real time
  if (auto installed = WorkflowRegistry(**db, clock).install_directory(workflows); !installed) return installed.error();
  if (auto installed = CalendarRegistry(**db, clock).install_directory(workflows / "calendars"); !installed)
    return installed.error();
  std::vector<OrgUnit> units{{"ninh-binh", "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình", "province", ""}};
  for (int i = 1; i <= communes; ++i)
    units.push_back({commune_id(i), "Ủy ban MTTQ xã " + std::to_string(i), "commune", "ninh-binh"});
  Directory directory(**db, clock);
  if (const Status imported = directory.import_units(units); !imported) return imported.error();
  const std::vector<std::string> roles = {"standing_board", "department_head", "officer"};
  const Status added = (*db)->write([&]() -> Status {
    for (std::size_t i = 1; i < units.size(); ++i) {
      if (const Status done = directory.add_user("bench", "Cán bộ đo tải", units[i].id, roles); !done) return done;
    }
    return directory.add_user("tinh", "Ban Thường trực tỉnh", "ninh-binh", {"standing_board"});
  });
  if (!added) return added.error();
  auto bench = directory.issue_token("bench");
  if (!bench) return bench.error();
  auto province = directory.issue_token("tinh");
  if (!province) return province.error();
  return Tokens{*bench, *province};
}

const std::vector<LifecycleStep>& lifecycle() {
  using K = LifecycleStep::Kind;
  static const std::vector<LifecycleStep> steps = {
      {K::fields, "", {{"document_title", "Dự thảo Kế hoạch giảm nghèo bền vững"}, {"received_date", "2026-03-02"}}},
      {K::document, "draft", {}},
      {K::transition, "assign", {}},
      {K::transition, "choose_form", {{"critique_form", "written_consultation"}}},
      {K::transition, "send_for_opinions", {}},
      {K::document, "critique", {}},
      {K::transition, "submit_critique_draft", {}},
      {K::transition, "approve", {}},
      {K::fields, "", {{"issuing_authority", "Ủy ban nhân dân tỉnh"}}},
      {K::transition, "issue", {}},
      {K::document, "reply", {}},
      {K::transition, "record_answer", {}},
      {K::transition, "close", {}},
  };
  return steps;
}

OpenCase open_request(const std::string& unit) {
  return OpenCase{"",
                  "Phản biện dự thảo Kế hoạch giảm nghèo bền vững 2026-2030",
                  unit,
                  {{"submission_date", "2027-06-30"}, {"drafting_body", "Sở Lao động – Thương binh và Xã hội"}}};
}

namespace {

std::string document_content(const std::string& kind, const std::string& number) {
  return "%PDF-1.4 " + kind + " " + number + " — văn bản đo tải";
}

std::string json_string(const std::string& text) {
  return "\"" + text + "\"";
}  // the lifecycle's texts need no escapes

std::string json_fields(const FieldValues& fields) {
  std::string json = "{";
  for (const auto& [name, value] : fields)
    json += (json.size() > 1 ? "," : "") + json_string(name) + ":" + json_string(value);
  return json + "}";
}

}  // namespace

CaseCommand to_command(const LifecycleStep& step, const std::string& number, const std::string& user) {
  CaseCommand request{number, user, {}, std::nullopt, {}};
  switch (step.kind) {
    case LifecycleStep::Kind::fields:
      request.commands.push_back(SetFields{step.fields});
      break;
    case LifecycleStep::Kind::document: {
      Upload upload{step.name + ".pdf", "application/pdf", document_content(step.name, number)};
      request.commands.push_back(AttachDocument{step.name, upload.file_name, upload.sha256(),
                                                static_cast<std::int64_t>(upload.content.size()), upload.media_type});
      request.uploads.push_back(std::move(upload));
      break;
    }
    case LifecycleStep::Kind::transition:
      request.commands.push_back(MoveCase{step.name, step.fields, ""});
      break;
  }
  return request;
}

HttpStep to_http(const LifecycleStep& step, const std::string& number) {
  const std::string base = "/api/v1/cases/" + number;
  switch (step.kind) {
    case LifecycleStep::Kind::fields:
      return {base + "/fields", "application/json", R"({"fields":)" + json_fields(step.fields) + "}"};
    case LifecycleStep::Kind::document:
      return {base + "/documents?kind=" + step.name + "&name=" + step.name + ".pdf", "application/pdf",
              document_content(step.name, number)};
    case LifecycleStep::Kind::transition:
      break;
  }
  return {base + "/transitions", "application/json",
          R"({"transition":)" + json_string(step.name) + R"(,"fields":)" + json_fields(step.fields) + "}"};
}

double LatencyLog::percentile(double fraction) {
  if (micros_.empty()) return 0;
  const auto at = static_cast<std::size_t>(fraction * static_cast<double>(micros_.size() - 1));
  std::nth_element(micros_.begin(), micros_.begin() + static_cast<std::ptrdiff_t>(at), micros_.end());
  return micros_[at];
}

double cpu_seconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  std::istringstream fields(line.substr(line.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double peak_rss_mib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

std::string format_ratio(double value, double baseline) {
  if (baseline <= 0) return "";
  char text[32];
  std::snprintf(text, sizeof text, "%.2fx", value / baseline);
  return text;
}

void print_table(const std::vector<Row>& rows) {
  std::printf("\n| %-22s | %-46s | %12s | %10s | %10s | %-8s | %s\n", "section", "measure", "per second", "p50 (us)",
              "p99 (us)", "ratio", "note");
  std::printf("|%s|%s|%s|%s|%s|%s|------\n", std::string(24, '-').c_str(), std::string(48, '-').c_str(),
              std::string(14, '-').c_str(), std::string(12, '-').c_str(), std::string(12, '-').c_str(),
              std::string(10, '-').c_str());
  for (const Row& row : rows) {
    const auto number = [](double value, const char* format) {
      if (value <= 0) return std::string("");
      char text[32];
      std::snprintf(text, sizeof text, format, value);
      return std::string(text);
    };
    std::printf("| %-22s | %-46s | %12s | %10s | %10s | %-8s | %s\n", row.section.c_str(), row.what.c_str(),
                number(row.per_second, "%.0f").c_str(), number(row.p50_us, "%.0f").c_str(),
                number(row.p99_us, "%.0f").c_str(), row.ratio.c_str(), row.note.c_str());
  }
  std::fflush(stdout);
}

}  // namespace docket::bench
