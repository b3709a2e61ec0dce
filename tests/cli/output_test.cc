// The CLI's printing: aligned text that counts display columns, dates for people, RFC 4180 CSV
// (with a BOM and titles for people when asked), JSON via RapidJSON.
#include "output.h"

#include <gtest/gtest.h>

#include <sstream>

namespace docket::cli {
namespace {

const Table kUnits{{{"id"}, {"name"}, {"units", true}},
                   {{"gia-hung", "Xã Gia Hưng", "12"}, {"vn", "Trung ương, \"MTTQ\"", ""}}};

std::string printed(const Table& table, OutputFormat format, const Style& style = {}) {
  std::ostringstream out;
  print_table(out, table, format, style);
  return out.str();
}

TEST(Output, DecomposedAndWideNamesLineUp) {
  const Table names{{{"id"}, {"name"}, {"units", true}},
                    {{"nfc", "Gia H\u01B0ng", "1"}, {"nfd", "Gia Hu\u031Bng", "2"}, {"wide", "\u6F22\u5B57", "3"}}};
  EXPECT_EQ(printed(names, OutputFormat::table),
            "ID    NAME      UNITS\n"
            "nfc   Gia H\u01B0ng      1\n"
            "nfd   Gia Hu\u031Bng      2\n"
            "wide  \u6F22\u5B57          3\n");
}

// Dates and times in text as people in Vietnam read them; CSV and JSON keep the canonical forms.
TEST(Output, TextShowsVietnamTimeAndCsvKeepsIso) {
  const Table events{{{"at", false, Moment::time}, {"due", false, Moment::date}},
                     {{"2026-04-30T17:05:00Z", "2027-01-14"}}};
  EXPECT_EQ(printed(events, OutputFormat::table),
            "AT                DUE\n"
            "01/05/2026 00:05  14/01/2027\n");  // 17:05 UTC is five past midnight the next day in Vietnam
  Style in_utc;
  in_utc.utc = true;
  EXPECT_EQ(printed(events, OutputFormat::table, in_utc),
            "AT                    DUE\n"
            "2026-04-30T17:05:00Z  2027-01-14\n");
  EXPECT_EQ(printed(events, OutputFormat::csv), "at,due\n2026-04-30T17:05:00Z,2027-01-14\n");
  EXPECT_EQ(printed(events, OutputFormat::json), "[{\"at\":\"2026-04-30T17:05:00Z\",\"due\":\"2027-01-14\"}]\n");
}

TEST(Output, CsvCanStartWithABomAndTitlePeopleRead) {
  Style style;
  style.bom_by_default = true;
  style.headers = Headers::vi;
  const Table cases{{{"number"}, {"updated_at"}, {"opened", true, Moment::none, {"Mở trong kỳ", ""}}},
                    {{"PB-2026-0001", "2026-12-07T01:00:00Z", "1"}}};
  EXPECT_EQ(printed(cases, OutputFormat::csv, style),
            "\xEF\xBB\xBFSố hồ sơ,Cập nhật lúc,Mở trong kỳ\nPB-2026-0001,2026-12-07T01:00:00Z,1\n");
  style.bom = false;  // --no-bom
  style.headers = Headers::en;
  EXPECT_EQ(printed(cases, OutputFormat::csv, style),
            "Case number,Updated at,Opened\nPB-2026-0001,2026-12-07T01:00:00Z,1\n");
  EXPECT_EQ(printed(cases, OutputFormat::csv), "number,updated_at,opened\nPB-2026-0001,2026-12-07T01:00:00Z,1\n");
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
