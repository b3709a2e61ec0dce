// Spreadsheets end to end with the real docket binary over a real SQLite file: the .xlsx
// workbooks of `case list`, `case recommendations` and `report` read back cell by cell (and
// once opened by LibreOffice), and `case import` of a committee's CSV or workbook: its dry run,
// all or nothing, the store's pipeline, and a second run that duplicates nothing.
#include <zip.h>

#include <cstdio>
#include <regex>

#include "case_fixture.h"
#include "sheets/xlsx_reader.h"
#include "shell_command.h"

namespace docket::cli_test {
namespace {

using sheets::Cell;
using sheets::Grid;

// One part of a zip package, as text ("" when it is not there).
std::string zip_part(const fs::path& path, const char* name) {
  int problem = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &problem);
  if (archive == nullptr) return {};
  std::string content;
  zip_stat_t stat;
  if (zip_stat(archive, name, 0, &stat) == 0) {
    content.resize(stat.size);
    zip_file_t* file = zip_fopen(archive, name, 0);
    if (file != nullptr) {
      zip_fread(file, content.data(), content.size());
      zip_fclose(file);
    }
  }
  zip_discard(archive);
  return content;
}

constexpr const char* kMapping = R"({
  "reference": "Số hồ sơ",
  "title": "Tên dự thảo",
  "unit": "Đơn vị",
  "opened": "Ngày nhận",
  "fields": {
    "drafting_body": "Cơ quan chủ trì soạn thảo",
    "received_date": "Ngày nhận",
    "submission_date": "Ngày trình",
    "critique_form": "Hình thức"
  },
  "values": {
    "unit": {"Tỉnh Ninh Bình": "ninh-binh"},
    "critique_form": {"Hội nghị": "conference", "Đối thoại": "dialogue"}
  }
})";

constexpr const char* kHeader =
    "\xEF\xBB\xBFSố hồ sơ,Tên dự thảo,Đơn vị,Ngày nhận,Ngày trình,Cơ quan chủ trì soạn thảo,Hình thức\r\n";

class SheetsCli : public CaseCliFixture {
 protected:
  void SetUp() override {
    CaseCliFixture::SetUp();
    set_up_directory();
    mapping_ = write("mapping.json", kMapping).string();
  }

  Grid workbook(const std::string& name) {
    const auto grid = sheets::read_xlsx(read_file(dir_ / name), "");
    EXPECT_TRUE(grid) << grid.error().message;
    return grid ? grid.value() : Grid{};
  }

  Outcome import(const std::string& file, bool dry_run) {
    std::vector<std::string> args{"case",      "import", (dir_ / file).string(), "--workflow", "social-critique",
                                  "--mapping", mapping_};
    if (dry_run) args.emplace_back("--dry-run");
    return as("lan", args);
  }

  std::int64_t scalar(const std::string& sql) {
    SQLite::Database db(db_, SQLite::OPEN_READONLY);
    return db.execAndGet(sql).getInt64();
  }

  std::string mapping_;
};

TEST_F(SheetsCli, TheCaseListWorkbookHasVietnameseHeadingsRealDatesAFrozenHeaderAndAFilter) {
  const std::string number = open_critique();
  const Outcome written = as("lan", {"case", "list", "--format", "xlsx", "--out", (dir_ / "ds.xlsx").string()});
  ASSERT_EQ(written.exit_code, 0) << written;
  EXPECT_TRUE(contains(written.out, "wrote 1 row(s) to")) << written;
  const Grid grid = workbook("ds.xlsx");
  ASSERT_EQ(grid.rows.size(), 2u);
  EXPECT_EQ(grid.at(1, 0).text, "Số hồ sơ");
  EXPECT_EQ(grid.at(1, 3).text, "Hạn");
  EXPECT_EQ(grid.at(1, 9).text, "Tiêu đề");
  EXPECT_EQ(grid.at(2, 0).text, number);
  EXPECT_EQ(grid.at(2, 9).text, "Dự thảo Kế hoạch giảm nghèo bền vững 2026-2030");
  const Cell& updated = grid.at(2, 8);
  EXPECT_EQ(updated.kind, Cell::Kind::number);
  EXPECT_TRUE(updated.dated) << "the update time is a real date";
  EXPECT_EQ(grid.at(2, 7).kind, Cell::Kind::number);  // version
  const std::string sheet = zip_part(dir_ / "ds.xlsx", "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(contains(sheet, "ySplit=\"1\"") && contains(sheet, "state=\"frozen\"")) << sheet;
  EXPECT_TRUE(contains(sheet, "<autoFilter ref=\"A1:J2\"")) << sheet;
  EXPECT_TRUE(contains(zip_part(dir_ / "ds.xlsx", "xl/styles.xml"), "dd/mm/yyyy"));
}

TEST_F(SheetsCli, AWorkbookHoldsTheCasesTheListShowsThatReaderAndNoOthers) {
  open_critique();
  ok("lan", {"case", "open", "supervision", "--unit", "gia-hung", "--title", "Giám sát chi trả trợ cấp", "--field",
             "subject=Chi trả trợ cấp", "--field", "supervised_body=ubnd-xa"});
  for (const std::string user : {"lan", "ubnd-xa", "minh"}) {
    const std::string listed = ok(user, {"case", "list", "--format", "csv"});
    const Outcome written = as(user, {"case", "list", "--out", (dir_ / (user + ".xlsx")).string()});
    ASSERT_EQ(written.exit_code, 0) << written;
    const Grid grid = workbook(user + ".xlsx");
    std::size_t lines = 0;
    for (const char c : listed) lines += c == '\n' ? 1 : 0;
    EXPECT_EQ(grid.rows.size(), lines) << user << " sees " << listed;
  }
  const Outcome no_file = as("lan", {"case", "list", "--format", "xlsx"});
  EXPECT_EQ(no_file.exit_code, 2) << no_file;
  EXPECT_TRUE(contains(no_file.err, "add --out FILE.xlsx")) << no_file;
}

TEST_F(SheetsCli, TheRecommendationTrackerHasOneRowPerRecommendationWithItsDatesAndAnswer) {
  const std::string number = open_critique();
  ok("lan", {"case", "assign", number, "lan"});
  write("draft.pdf", "%PDF-1.4 dự thảo");
  write("critique.docx", "văn bản phản biện");
  ok("lan", {"case", "attach", number, (dir_ / "draft.pdf").string(), "--kind", "draft"});
  ok("lan", {"case", "move", number, "assign"});
  ok("lan", {"case", "move", number, "choose_form", "--field", "critique_form=conference"});
  ok("lan", {"case", "move", number, "hold_meeting", "--field", "event_time=2026-04-10T08:00"});
  ok("lan", {"case", "attach", number, (dir_ / "critique.docx").string(), "--kind", "critique"});
  ok("lan", {"case", "move", number, "submit_critique_draft"});
  ok("lan", {"case", "move", number, "approve"});
  ok("lan", {"case", "recommend", number, "--to", "tu-phap", "Đề nghị rà soát hộ nghèo ở xã Gia Hưng"});
  ok("lan", {"case", "recommend", number, "--to", "UBND tỉnh Ninh Bình", "Công khai danh sách hộ nghèo"});

  const Outcome written = as("lan", {"case", "recommendations", "--out", (dir_ / "kn.xlsx").string()});
  ASSERT_EQ(written.exit_code, 0) << written;
  const Grid grid = workbook("kn.xlsx");
  ASSERT_EQ(grid.rows.size(), 3u);
  EXPECT_EQ(grid.sheet, "Kiến nghị");
  EXPECT_EQ(grid.at(1, 2).text, "Kiến nghị số");
  EXPECT_EQ(grid.at(1, 4).text, "Cơ quan nhận kiến nghị");
  EXPECT_EQ(grid.at(2, 0).text, number);
  EXPECT_EQ(grid.at(2, 2).number, 1);
  EXPECT_EQ(grid.at(2, 3).text, "Đề nghị rà soát hộ nghèo ở xã Gia Hưng");
  EXPECT_EQ(grid.at(2, 4).text, "tu-phap");
  EXPECT_EQ(grid.at(1, 5).text, "Trạng thái");
  EXPECT_EQ(grid.at(2, 5).text, "Dự thảo") << "the status in the web pages' words";
  EXPECT_EQ(grid.at(2, 6).text, "draft") << "and its id, which --status takes";
  EXPECT_TRUE(grid.at(2, 7).dated) << "the day it was made is a date";
  EXPECT_TRUE(grid.at(2, 8).empty()) << "not answered yet";
  EXPECT_EQ(grid.at(3, 4).text, "UBND tỉnh Ninh Bình");

  const std::string to_body = ok("lan", {"case", "recommendations", "--addressee", "tu-phap", "--format", "csv"});
  EXPECT_TRUE(contains(to_body, "Đề nghị rà soát")) << to_body;
  EXPECT_FALSE(contains(to_body, "Công khai")) << to_body;
  const std::string accepted = ok("lan", {"case", "recommendations", "--status", "accepted", "--format", "csv"});
  EXPECT_FALSE(contains(accepted, number)) << accepted;
  const std::string english = ok("lan", {"--headers", "en", "case", "recommendations", "--format", "csv"});
  EXPECT_TRUE(contains(english, "tu-phap,Draft,draft,")) << english;
}

TEST_F(SheetsCli, TheReportWorkbookHasTheFiguresAsNumbersUnderTheirVietnameseHeadings) {
  open_critique();
  open_critique("Dự thảo Nghị quyết hỗ trợ nhà ở");
  const Outcome written = docket(
      {"report", "--period", "2026", "--unit", "ninh-binh", "--format", "xlsx", "--out", (dir_ / "bc.xlsx").string()});
  ASSERT_EQ(written.exit_code, 0) << written;
  const Grid grid = workbook("bc.xlsx");
  ASSERT_GE(grid.rows.size(), 2u);
  int opened_column = -1;
  for (int c = 0; c < static_cast<int>(grid.rows[0].size()); ++c) {
    if (grid.at(1, c).text == "Mở trong kỳ") opened_column = c;
  }
  ASSERT_GE(opened_column, 0) << "no column Mở trong kỳ";
  const Cell& opened = grid.at(static_cast<int>(grid.rows.size()), opened_column);  // all workflows
  EXPECT_EQ(opened.kind, Cell::Kind::number);
  EXPECT_EQ(opened.number, 2);
}

TEST_F(SheetsCli, LibreOfficeOpensTheWorkbookAndShowsTheDatesAsDayMonthYear) {
  if (!installed("soffice")) GTEST_SKIP() << "LibreOffice (soffice) is not installed: scripts/install-deps.sh";
  const std::string number = open_critique();
  ASSERT_EQ(as("lan", {"case", "list", "--out", (dir_ / "ds.xlsx").string()}).exit_code, 0);
  const std::string profile = "file://" + (dir_ / "libreoffice-profile").string();
  const auto [converted, log] =
      shell("cd '" + dir_.string() + "' && HOME='" + dir_.string() + "' soffice -env:UserInstallation=" + profile +
            " --headless --convert-to csv:\"Text - txt - csv (StarCalc)\":44,34,76 --outdir '" + dir_.string() +
            "/lo' ds.xlsx 2>&1");
  ASSERT_EQ(converted, 0) << log;
  const std::string csv = read_file(dir_ / "lo" / "ds.csv");
  ASSERT_FALSE(csv.empty()) << "LibreOffice wrote nothing: " << log;
  EXPECT_TRUE(contains(csv, "Số hồ sơ,Quy trình,Bước,Hạn")) << csv;
  EXPECT_TRUE(contains(csv, number + ",social-critique,received")) << csv;
  EXPECT_TRUE(contains(csv, "Dự thảo Kế hoạch giảm nghèo bền vững 2026-2030")) << csv;
  // The update time (column I) as LibreOffice shows it: dd/mm/yyyy hh:mm.
  std::string line = csv.substr(csv.find(number));
  line = line.substr(0, line.find('\n'));
  std::vector<std::string> cells(1);
  for (const char c : line) {
    if (c == ',')
      cells.emplace_back();
    else
      cells.back() += c;
  }
  ASSERT_GE(cells.size(), 9u) << line;
  const std::string shown = cells[8];
  ASSERT_EQ(shown.size(), 16u) << line;
  EXPECT_EQ(shown[2], '/') << shown;
  EXPECT_EQ(shown[5], '/') << shown;
  EXPECT_EQ(shown[10], ' ') << shown;
}

TEST_F(SheetsCli, ADryRunNamesEveryProblemByRowAndColumnAndStoresNothing) {
  write("so-theo-doi.csv",
        std::string(kHeader) +
            "PB-01/2026,Dự thảo Kế hoạch giảm nghèo,ninh-binh,02/03/2026,31/12/2026,Sở Lao động,Hội nghị\r\n"
            "PB-02/2026,Dự thảo Đề án nhà ở,Tỉnh Ninh Bình,31/02/2026,31/12/2026,Sở Xây dựng,\r\n"
            "PB-03/2026,Dự thảo Quy hoạch,Xã Không Có,05/03/2026,,Sở Kế hoạch,Hội thảo\r\n"
            "\r\n"
            "PB-01/2026,Dự thảo trùng số,ninh-binh,06/03/2026,31/12/2026,Sở Tài chính,\r\n");
  const Counts before = counts();
  const Outcome run = import("so-theo-doi.csv", true);
  EXPECT_EQ(run.exit_code, 1) << run;
  for (const char* expected :
       {"row 3, column D \"Ngày nhận\": \"31/02/2026\" is not a date (dd/mm/yyyy)",
        "row 4, column C \"Đơn vị\": unknown unit \"Xã Không Có\" (give a unit's id or its full name)",
        "row 4, column E \"Ngày trình\": empty, but submission_date (Ngày trình cơ quan có thẩm quyền ban hành) is "
        "required",
        "row 4, column G \"Hình thức\": \"Hội thảo\" is not one of: conference (",
        "row 6, column A \"Số hồ sơ\": reference \"PB-01/2026\" is also on row 2 (for the same unit)",
        "dry run: 4 row(s) read; 1 would be imported, 0 skipped (imported before), 3 with problems; nothing was "
        "stored"}) {
    EXPECT_TRUE(contains(run.out, expected)) << "missing: " << expected << "\n" << run;
  }
  EXPECT_TRUE(contains(run.out, "would import")) << run;
  EXPECT_EQ(counts(), before);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM case_references"), 0);

  const Outcome real = import("so-theo-doi.csv", false);
  EXPECT_EQ(real.exit_code, 1) << real;
  EXPECT_TRUE(contains(real.err, "nothing was imported")) << real;
  EXPECT_EQ(counts(), before) << "one bad row and no row is stored";
}

TEST_F(SheetsCli, AnImportOpensEachCaseAsTheImportingUserAndRunningItAgainDuplicatesNothing) {
  write("so.csv", std::string(kHeader) +
                      "PB-01/2026,Dự thảo Kế hoạch giảm nghèo,ninh-binh,02/03/2026,31/12/2026,Sở Lao động,Hội nghị\r\n"
                      "PB-02/2026,Dự thảo Đề án nhà ở,Tỉnh Ninh Bình,04/03/2026,31/12/2026,Sở Xây dựng,\r\n");
  const Outcome first = import("so.csv", false);
  ASSERT_EQ(first.exit_code, 0) << first;
  EXPECT_TRUE(contains(first.out, "2 row(s) read; 2 imported, 0 skipped")) << first;
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM cases"), 2);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM events WHERE type = 'case.opened' AND actor = 'lan'"), 2);
  EXPECT_GT(scalar("SELECT COUNT(*) FROM timers WHERE fired_at IS NULL"), 0) << "deadlines as for cases opened by hand";
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM case_references WHERE source = 'so.csv' AND imported_by = 'lan' "
                   "AND source_row = 3 AND opened_on = '2026-03-04'"),
            1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM admin_events WHERE type = 'cases.imported' AND actor = 'lan'"), 1);
  const std::string shown = ok("lan", {"case", "show", "PB-2026-0001", "--format", "json"});
  EXPECT_TRUE(contains(shown, "\"critique_form\":\"conference\"")) << "the label Hội nghị read as its value";
  EXPECT_TRUE(contains(shown, "\"received_date\":\"2026-03-02\"")) << shown;
  EXPECT_TRUE(contains(ok("lan", {"search", "de an nha o"}), "PB-2026-0002"));
  ok("", {"audit", "verify"});

  write("so.csv",
        read_file(dir_ / "so.csv") + "PB-03/2026,Dự thảo Quy hoạch,ninh-binh,05/03/2026,31/12/2026,Sở Kế hoạch,\r\n");
  const Outcome again = import("so.csv", false);
  ASSERT_EQ(again.exit_code, 0) << again;
  EXPECT_TRUE(contains(again.out, "3 row(s) read; 1 imported, 2 skipped (imported before)")) << again;
  EXPECT_TRUE(contains(again.out, "PB-2026-0001  skipped: imported before")) << again;
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM cases"), 3);
}

TEST_F(SheetsCli, CaseShowSaysTheDayAnImportedCaseWasOpenedOnPaperAndWhereItCameFrom) {
  write("so.csv",
        std::string(kHeader) +
            "PB-01/2026,Dự thảo Kế hoạch giảm nghèo,ninh-binh,02/03/2026,31/12/2026,Sở Lao động,Hội nghị\r\n");
  ASSERT_EQ(import("so.csv", false).exit_code, 0);
  const std::string shown = ok("lan", {"case", "show", "PB-2026-0001"});
  EXPECT_TRUE(std::regex_search(shown, std::regex("\nopened_on_paper +02/03/2026\n"))) << shown;
  EXPECT_TRUE(std::regex_search(shown, std::regex("\nimported_from +so\\.csv, row 2 \\(reference \"PB-01/2026\"\\), "
                                                  "by lan at \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d\n")))
      << shown;
  const std::string csv = ok("lan", {"case", "show", "PB-2026-0001", "--format", "csv"});
  EXPECT_TRUE(contains(csv, "\nopened_on_paper,2026-03-02\n")) << "canonical in CSV: " << csv;

  const std::string own = ok("lan", {"case", "show", open_critique()});
  EXPECT_FALSE(contains(own, "opened_on_paper")) << "opened in Docket: " << own;
  EXPECT_FALSE(contains(own, "imported_from")) << own;
}

TEST_F(SheetsCli, AnImportReadsAWorkbookLibreOfficeSavedWithItsDatesAsSerialDays) {
  if (!installed("soffice")) GTEST_SKIP() << "LibreOffice (soffice) is not installed: scripts/install-deps.sh";
  write("so.csv",
        std::string(kHeader) +
            "PB-01/2026,Dự thảo Kế hoạch giảm nghèo,ninh-binh,2026-03-02,2026-12-31,Sở Lao động,Đối thoại\r\n");
  const std::string profile = "file://" + (dir_ / "libreoffice-profile").string();
  const auto [converted, log] =
      shell("cd '" + dir_.string() + "' && HOME='" + dir_.string() + "' soffice -env:UserInstallation=" + profile +
            " --headless --infilter=CSV:44,34,76,1 --convert-to xlsx --outdir '" + dir_.string() + "/lo' so.csv 2>&1");
  ASSERT_EQ(converted, 0) << log;
  fs::copy_file(dir_ / "lo" / "so.xlsx", dir_ / "so.xlsx");
  const Grid grid = workbook("so.xlsx");
  ASSERT_EQ(grid.at(2, 3).kind, Cell::Kind::number) << "LibreOffice keeps the date as a serial day";
  const Outcome run = import("so.xlsx", false);
  ASSERT_EQ(run.exit_code, 0) << run;
  const std::string shown = ok("lan", {"case", "show", "PB-2026-0001", "--format", "json"});
  EXPECT_TRUE(contains(shown, "\"submission_date\":\"2026-12-31\"")) << shown;
  EXPECT_TRUE(contains(shown, "\"critique_form\":\"dialogue\"")) << shown;
}

TEST_F(SheetsCli, AMappingThatNamesAMissingColumnIsRefusedBeforeAnyRow) {
  write("so.csv", "Số,Tên\r\nPB-01,Dự thảo\r\n");
  const Outcome run = import("so.csv", true);
  EXPECT_EQ(run.exit_code, 1) << run;
  EXPECT_TRUE(contains(run.err,
                       "the sheet has no column \"Số hồ sơ\" (mapped to the external reference) in its "
                       "header row 1: \"Số\", \"Tên\""))
      << run;
}

// The example in docs/spreadsheets.md: the shipped CSV and mapping over the demo's units.
class SheetsExampleCli : public CaseCliFixture {};

TEST_F(SheetsExampleCli, TheShippedExampleImportsOverTheDemoUnits) {
  ok("", {"init"});
  ok("", {"org", "import", DOCKET_SOURCE_DIR "/scripts/demo/units.json"});
  for (const char* unit : {"ninh-binh", "gia-vien"})
    ok("", {"user", "add", "lan", "--name", "Nguyễn Thị Lan", "--unit", unit, "--role", "officer"});
  const std::vector<std::string> args{"case",
                                      "import",
                                      DOCKET_SOURCE_DIR "/docs/examples/so-theo-doi-phan-bien.csv",
                                      "--workflow",
                                      "social-critique",
                                      "--mapping",
                                      DOCKET_SOURCE_DIR "/docs/examples/import-mapping.json"};
  std::vector<std::string> dry = args;
  dry.emplace_back("--dry-run");
  const Outcome checked = as("lan", dry);
  ASSERT_EQ(checked.exit_code, 0) << checked;
  EXPECT_TRUE(contains(checked.out, "dry run: 3 row(s) read; 3 would be imported")) << checked;
  const Outcome imported = as("lan", args);
  ASSERT_EQ(imported.exit_code, 0) << imported;
  const std::string listed = ok("lan", {"case", "list", "--unit", "gia-vien", "--format", "csv"});
  EXPECT_TRUE(contains(listed, "Dự thảo Quy hoạch khu dân cư mới")) << listed;
}

}  // namespace
}  // namespace docket::cli_test
