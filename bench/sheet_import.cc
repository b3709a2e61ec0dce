#include "sheet_import.h"

#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>

#include "bench_support.h"
#include "sheets/case_importer.h"
#include "sheets/grid.h"
#include "sheets/import_mapping.h"
#include "sheets/xlsx_writer.h"
#include "store/search_index.h"

namespace docket::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kCommunes = 8;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// The committee's register: a reference, a title, a commune, two dates and a drafting body a row.
sheets::SheetTable register_of(int rows) {
  sheets::SheetTable table{"Sổ theo dõi",
                           {{"Số hồ sơ"},
                            {"Tên dự thảo"},
                            {"Đơn vị"},
                            {"Ngày nhận", sheets::ColumnKind::date},
                            {"Ngày trình", sheets::ColumnKind::date},
                            {"Cơ quan chủ trì soạn thảo"}},
                           {}};
  for (int i = 1; i <= rows; ++i) {
    table.rows.push_back({"PB-" + std::to_string(i) + "/2026",
                          "Dự thảo Kế hoạch giảm nghèo bền vững số " + std::to_string(i), commune_id(1 + i % kCommunes),
                          "2026-03-02", "2027-06-30", "Sở Lao động – Thương binh và Xã hội"});
  }
  return table;
}

std::string csv_of(const sheets::SheetTable& table) {
  std::string csv;
  for (const auto& column : table.columns) csv += (csv.empty() ? "" : ",") + column.heading;
  csv += "\r\n";
  for (const auto& row : table.rows) {
    // Dates as people type them (dd/mm/yyyy): 2026-03-02 and 2027-06-30.
    csv += row[0] + "," + row[1] + "," + row[2] + ",02/03/2026,30/06/2027," + row[5] + "\r\n";
  }
  return csv;
}

// The mapping a committee would write for its register (docs/spreadsheets.md), as JSON.
constexpr const char* kMappingJson = R"({
  "reference": "Số hồ sơ",
  "title": "Tên dự thảo",
  "unit": "Đơn vị",
  "opened": "Ngày nhận",
  "fields": {
    "received_date": "Ngày nhận",
    "submission_date": "Ngày trình",
    "drafting_body": "Cơ quan chủ trì soạn thảo"
  }
})";

Result<std::string> file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes(std::istreambuf_iterator<char>(in), {});
  if (!in && !in.eof()) return make_error(ErrorCode::invalid_argument, "cannot read " + path.string());
  return bytes;
}

bool failed(const Error& error) {
  std::cerr << "5. import: " << error.message << "\n";
  return false;
}

// Imports the file at `file` into a fresh database at `path` the way `docket case import` does
// (cli/case_import_command.cc): the mapping parsed, the file's bytes read, the grid read by its
// extension (sheets::read_grid), sheets::import_cases; then the search index brought up to date,
// as the CLI does before it exits. False on failure (said on stderr).
bool import_into(const std::filesystem::path& path, const std::filesystem::path& file, int rows, ImportTimes& times) {
  if (auto seeded = seed_database(path, kCommunes); !seeded) return failed(seeded.error());
  const SystemClock clock;
  auto workspace = Workspace::open({path, false, 5000, true}, clock);
  if (!workspace) return failed(workspace.error());
  const auto started = Clock::now();
  auto mapping = sheets::parse_mapping("mapping.json", kMappingJson);
  if (!mapping) return failed(mapping.error());
  auto bytes = file_bytes(file);
  if (!bytes) return failed(bytes.error());
  auto grid = sheets::read_grid(file.filename().string(), *bytes, mapping->sheet);
  if (!grid) return failed(grid.error());
  sheets::ImportRequest request;
  request.workflow = "social-critique";
  request.user = "bench";
  request.source = file.filename().string();
  const auto report = sheets::import_cases(**workspace, *grid, *mapping, request);
  times.import_seconds = seconds_since(started);
  if (!report || !report->problems.empty() || static_cast<int>(report->imported.size()) != rows || !report->stored) {
    std::cerr << "5. import: "
              << (report ? report->problems.empty() ? "rows missing" : report->problems[0].text()
                         : report.error().message)
              << "\n";
    return false;
  }
  const auto indexing = Clock::now();
  if (const Status indexed = SearchIndex::catch_up((*workspace)->database()); !indexed) return failed(indexed.error());
  times.search_seconds = seconds_since(indexing);
  return true;
}

// The same cases opened through CaseStore::open in one transaction, without a spreadsheet.
double open_directly(const std::filesystem::path& path, const sheets::SheetTable& table) {
  if (!seed_database(path, kCommunes)) return -1;
  const SystemClock clock;
  auto workspace = Workspace::open({path, false, 5000, true}, clock);
  if (!workspace) return -1;
  const auto started = Clock::now();
  const Status opened = (*workspace)->database().write([&]() -> Status {
    for (const auto& row : table.rows) {
      OpenCase command{"",
                       row[1],
                       row[2],
                       {{"received_date", "2026-03-02"}, {"submission_date", "2027-06-30"}, {"drafting_body", row[5]}}};
      if (auto state = (*workspace)->cases().open("social-critique", "bench", command); !state) return state.error();
    }
    return Ok{};
  });
  return opened ? seconds_since(started) : -1;
}

}  // namespace

SheetImportResult run_sheet_import(const std::filesystem::path& data, int rows) {
  SheetImportResult result;
  result.rows = rows;
  const sheets::SheetTable table = register_of(rows);
  const std::filesystem::path csv = data / "so-theo-doi.csv", workbook = data / "so-theo-doi.xlsx";
  std::ofstream(csv, std::ios::binary | std::ios::trunc) << csv_of(table);
  if (!import_into(data / "import-csv.db", csv, rows, result.csv)) return result;
  if (const Status written = sheets::write_xlsx(workbook, {table}); !written) {
    failed(written.error());
    return result;
  }
  if (!import_into(data / "import-xlsx.db", workbook, rows, result.xlsx)) return result;
  result.opened_seconds = open_directly(data / "import-open.db", table);
  result.ok = result.opened_seconds > 0;
  return result;
}

}  // namespace docket::bench
