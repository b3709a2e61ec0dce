// The spreadsheet readers and writer on their own: CSV as Excel and LibreOffice save it, .xlsx
// written by the writer and read back cell by cell, Excel's serial days, the dates people type.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sheets/csv_reader.h"
#include "sheets/import_rows.h"
#include "sheets/xlsx_reader.h"
#include "sheets/xlsx_writer.h"

namespace docket::sheets {
namespace {

namespace fs = std::filesystem;

Date day(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

TEST(CsvReader, ReadsExcelsSemicolonsWithAByteOrderMarkQuotesAndLineBreaksInsideQuotes) {
  const auto grid =
      read_csv("\xEF\xBB\xBFSố hồ sơ;Tên;Ghi chú\r\nPB-01;\"Dự thảo; sửa đổi\";\"dòng 1\ndòng \"\"2\"\"\"\r\n");
  ASSERT_TRUE(grid) << grid.error().message;
  ASSERT_EQ(grid->rows.size(), 2u);
  EXPECT_EQ(grid->at(1, 0).text, "Số hồ sơ");
  EXPECT_EQ(grid->at(2, 1).text, "Dự thảo; sửa đổi");
  EXPECT_EQ(grid->at(2, 2).text, "dòng 1\ndòng \"2\"");
}

TEST(CsvReader, ReadsCommasAndRefusesALegacyCodePageNamingTheLine) {
  const auto commas = read_csv("a,b\n1,2\n");
  ASSERT_TRUE(commas);
  EXPECT_EQ(commas->at(2, 1).text, "2");
  const auto latin1 = read_csv("a,b\nGia H\xF0ng,2\n");
  ASSERT_FALSE(latin1);
  EXPECT_NE(latin1.error().message.find("line 2 is not UTF-8"), std::string::npos) << latin1.error().message;
  const auto open_quote = read_csv("a,b\n\"never closed,2\n");
  ASSERT_FALSE(open_quote);
  EXPECT_NE(open_quote.error().message.find("line 2"), std::string::npos) << open_quote.error().message;
}

TEST(SerialDays, MatchExcelsCalendarIncludingItsPhantomLeapDay) {
  EXPECT_EQ(date_of_serial(1), day(1900, 1, 1));
  EXPECT_EQ(date_of_serial(59), day(1900, 2, 28));
  EXPECT_FALSE(date_of_serial(60));  // 29 February 1900, which Excel counts and the calendar lacks
  EXPECT_EQ(date_of_serial(61), day(1900, 3, 1));
  EXPECT_EQ(date_of_serial(46083.75), day(2026, 3, 2));
  EXPECT_EQ(serial_of_date(day(2026, 3, 2)), 46083);
  EXPECT_EQ(serial_of_date(day(1900, 2, 28)), 59);
}

TEST(PeopleDates, AcceptDayMonthYearAndIsoAndRefuseDaysThatDoNotExist) {
  EXPECT_EQ(parse_people_date("02/03/2026"), day(2026, 3, 2));
  EXPECT_EQ(parse_people_date("2/3/2026"), day(2026, 3, 2));
  EXPECT_EQ(parse_people_date("02.03.2026"), day(2026, 3, 2));
  EXPECT_EQ(parse_people_date("2026-03-02"), day(2026, 3, 2));
  EXPECT_FALSE(parse_people_date("31/02/2026"));
  EXPECT_FALSE(parse_people_date("02/03-2026"));
  EXPECT_FALSE(parse_people_date("02/03/26"));
}

TEST(XlsxWriterAndReader, AWorkbookReadsBackWithItsTextNumbersAndDates) {
  const fs::path path = fs::temp_directory_path() / ("docket-sheet-" + std::to_string(::getpid()) + ".xlsx");
  SheetTable table{"Hồ sơ",
                   {{"Số hồ sơ", ColumnKind::text},
                    {"Phiên bản", ColumnKind::number},
                    {"Hạn", ColumnKind::date},
                    {"Cập nhật lúc", ColumnKind::datetime}},
                   {{"PB-2026-0001", "3", "2027-01-14", "2026-04-30 15:30"}, {"GS-2026-0002", "", "", ""}}};
  ASSERT_TRUE(write_xlsx(path, {table}));
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  fs::remove(path);
  const auto grid = read_xlsx(bytes.str(), "");
  ASSERT_TRUE(grid) << grid.error().message;
  EXPECT_EQ(grid->sheet, "Hồ sơ");
  EXPECT_EQ(grid->at(1, 2).text, "Hạn");
  EXPECT_EQ(grid->at(2, 0).text, "PB-2026-0001");
  EXPECT_EQ(grid->at(2, 1).kind, Cell::Kind::number);
  EXPECT_EQ(grid->at(2, 1).number, 3);
  EXPECT_TRUE(grid->at(2, 2).dated);
  EXPECT_EQ(shown(grid->at(2, 2)), "14/01/2027");
  EXPECT_TRUE(grid->at(2, 3).dated);
  EXPECT_NEAR(grid->at(2, 3).number, serial_of_date(day(2026, 4, 30)) + 15.5 / 24, 1e-6);
  EXPECT_TRUE(grid->at(3, 1).empty());
  const auto missing = read_xlsx(bytes.str(), "Kiến nghị");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("no sheet \"Kiến nghị\" (its sheets: \"Hồ sơ\")"), std::string::npos)
      << missing.error().message;
}

TEST(XlsxReader, RefusesBytesThatAreNotAWorkbook) {
  const auto grid = read_xlsx("Số hồ sơ,Tên\n", "");
  ASSERT_FALSE(grid);
  EXPECT_NE(grid.error().message.find("not an .xlsx workbook"), std::string::npos) << grid.error().message;
}

}  // namespace
}  // namespace docket::sheets
