#include "sheet_import.h"

#include <chrono>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>

#include "bench_support.h"
#include "sheets/case_importer.h"
#include "sheets/csv_reader.h"
#include "sheets/xlsx_reader.h"
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

sheets::ImportMapping mapping() {
  sheets::ImportMapping mapping;
  mapping.reference = "Số hồ sơ";
  mapping.title = "Tên dự thảo";
  mapping.unit = "Đơn vị";
  mapping.opened = "Ngày nhận";
  mapping.fields = {{"received_date", "Ngày nhận"},
                    {"submission_date", "Ngày trình"},
                    {"drafting_body", "Cơ quan chủ trì soạn thảo"}};
  return mapping;
}

// Imports `grid` into a fresh database at `path`; seconds, or a negative number on failure.
double import_into(const std::filesystem::path& path, const std::function<Result<sheets::Grid>()>& read, int rows,
                   double* search_seconds) {
  if (auto seeded = seed_database(path, kCommunes); !seeded) {
    std::cerr << "5. import: " << seeded.error().message << "\n";
    return -1;
  }
  const SystemClock clock;
  auto workspace = Workspace::open({path, false, 5000, true}, clock);
  if (!workspace) return -1;
  const auto started = Clock::now();
  auto grid = read();
  if (!grid) {
    std::cerr << "5. import: " << grid.error().message << "\n";
    return -1;
  }
  sheets::ImportRequest request;
  request.workflow = "social-critique";
  request.user = "bench";
  request.source = "so-theo-doi.csv";
  const auto report = sheets::import_cases(**workspace, *grid, mapping(), request);
  const double took = seconds_since(started);
  if (!report || !report->problems.empty() || static_cast<int>(report->imported.size()) != rows) {
    std::cerr << "5. import: "
              << (report ? report->problems.empty() ? "rows missing" : report->problems[0].text()
                         : report.error().message)
              << "\n";
    return -1;
  }
  if (search_seconds != nullptr) {
    const auto indexing = Clock::now();
    (void)SearchIndex::catch_up((*workspace)->database());
    *search_seconds = seconds_since(indexing);
  }
  return took;
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
  const std::string csv = csv_of(table);
  result.csv_seconds = import_into(
      data / "import-csv.db", [&] { return sheets::read_csv(csv); }, rows, &result.search_seconds);
  const std::filesystem::path workbook = data / "import.xlsx";
  if (!sheets::write_xlsx(workbook, {table})) return result;
  std::string bytes;
  {
    std::ifstream in(workbook, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  result.xlsx_seconds = import_into(
      data / "import-xlsx.db", [&] { return sheets::read_xlsx(bytes, ""); }, rows, nullptr);
  result.opened_seconds = open_directly(data / "import-open.db", table);
  result.ok = result.csv_seconds > 0 && result.xlsx_seconds > 0 && result.opened_seconds > 0;
  return result;
}

}  // namespace docket::bench
