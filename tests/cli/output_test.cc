// The CLI's printing: aligned text that counts code points, RFC 4180 CSV, JSON via RapidJSON.
#include "output.h"

#include <gtest/gtest.h>

#include <sstream>

namespace docket::cli {
namespace {

const Table kUnits{{{"id"}, {"name"}, {"units", true}},
                   {{"gia-hung", "Xã Gia Hưng", "12"}, {"vn", "Trung ương, \"MTTQ\"", ""}}};

std::string printed(const Table& table, OutputFormat format) {
  std::ostringstream out;
  print_table(out, table, format);
  return out.str();
}

TEST(Output, DisplayWidthCountsCodePointsNotBytes) {
  EXPECT_EQ(display_width("Gia Hưng"), 8u);
  EXPECT_EQ(display_width("Đề nghị"), 7u);
  EXPECT_EQ(display_width(""), 0u);
}

TEST(Output, TextColumnsLineUpWithVietnameseAndNumbersAlignRight) {
  EXPECT_EQ(printed(kUnits, OutputFormat::table),
            "ID        NAME                UNITS\n"
            "gia-hung  Xã Gia Hưng            12\n"
            "vn        Trung ương, \"MTTQ\"\n");
}

TEST(Output, CsvQuotesAsRfc4180Says) {
  EXPECT_EQ(printed(kUnits, OutputFormat::csv),
            "id,name,units\n"
            "gia-hung,Xã Gia Hưng,12\n"
            "vn,\"Trung ương, \"\"MTTQ\"\"\",\n");
  EXPECT_EQ(csv_field("hai\ndòng"), "\"hai\ndòng\"");
  EXPECT_EQ(csv_field("plain"), "plain");
}

TEST(Output, JsonIsAnArrayOfObjectsWithNumbersAndNull) {
  EXPECT_EQ(printed(kUnits, OutputFormat::json),
            "[{\"id\":\"gia-hung\",\"name\":\"Xã Gia Hưng\",\"units\":12},"
            "{\"id\":\"vn\",\"name\":\"Trung ương, \\\"MTTQ\\\"\",\"units\":null}]\n");
}

TEST(Output, RecordPrintsKeysPaddedToOneWidth) {
  std::ostringstream out;
  print_record(out, {{"number", "PB-2026-0001"}, {"stage", "received"}, {"assignee", ""}}, OutputFormat::table);
  EXPECT_EQ(out.str(), "number    PB-2026-0001\nstage     received\nassignee\n");
  std::ostringstream json;
  print_record(json, {{"number", "PB-2026-0001"}, {"tab", "a\tb"}}, OutputFormat::json);
  EXPECT_EQ(json.str(), "{\"number\":\"PB-2026-0001\",\"tab\":\"a\\tb\"}\n");
}

TEST(Output, FormatNames) {
  EXPECT_EQ(output_format_from_string("csv"), OutputFormat::csv);
  EXPECT_EQ(output_format_from_string("xml"), std::nullopt);
}

}  // namespace
}  // namespace docket::cli
