// What the CLI prints: tables and single records, for people (aligned text), for scripts
// (CSV or JSON). Text alignment counts terminal columns (core/text.h display_width: grapheme
// clusters, wide characters), so columns of Vietnamese text line up whether a value is NFC or
// NFD. JSON is written with RapidJSON's Writer, which
// passes UTF-8 through unchanged. Plain functions over plain values; thread-safe.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text.h"
#include "core/time.h"

namespace docket::cli {

enum class OutputFormat { table, json, csv };

// "table", "json" or "csv"; nullopt for anything else.
std::optional<OutputFormat> output_format_from_string(std::string_view name);

// What column titles say: the keys ("updated_at"; text shows "UPDATED AT"), or titles for
// people in Vietnamese ("Cập nhật lúc") or English ("Updated at").
enum class Headers { keys, vi, en };

// How output for people looks, from the global options. JSON ignores it (UTC ISO, keys).
struct Style {
  bool utc = false;                 // --utc: times in UTC as ISO 8601, dates as YYYY-MM-DD
  Headers headers = Headers::keys;  // --headers
  std::optional<bool> bom;          // --bom / --no-bom; unset: each command's default
  bool bom_by_default = false;      // that default (true for `report`: Excel reads UTF-8 then)
};

// What a cell holds, when it is a point in time: its canonical form (a date "2027-01-14", a
// time "2026-04-30T08:30:00Z"), which CSV and JSON keep and text shows as people read it.
enum class Moment { none, date, time };

// A column's key is snake_case ("updated_at"): JSON uses it as the member name, CSV as its
// title (or `heading`/column_heading() with --headers vi|en). A number column is written to
// JSON as a number (its cells must then be integers, or empty for null).
struct Column {
  std::string key;
  bool number = false;
  Moment moment = Moment::none;
  Label heading = {};  // titles for people; empty: column_heading(key)
};

struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;  // each row has one cell per column
};

// Text: a header line and one aligned line per row (no trailing blanks), dates and times as
// people read them (shown_date, shown_time). CSV: a UTF-8 BOM when style says so, a header
// line, then the rows, quoted as RFC 4180 says (lines end with "\n"). JSON: an array of objects.
void print_table(std::ostream& out, const Table& table, OutputFormat format, const Style& style = {});

// One record as key/value pairs, in order. Text: "key  value" lines, keys padded to one width.
// CSV: a "key,value" header and one line per pair. JSON: one object with string members.
using Record = std::vector<std::pair<std::string, std::string>>;
void print_record(std::ostream& out, const Record& record, OutputFormat format, const Style& style = {});

// A date or a time as a person in Vietnam reads it: "14/01/2027", "30/04/2026 15:30" (Vietnam
// time, UTC+7); with style.utc the canonical forms "2027-01-14", "2026-04-30T08:30:00Z". Text
// that is not a date (or a time) is shown as it is.
std::string shown_date(Date date, const Style& style);
std::string shown_date(std::string_view iso_date, const Style& style);
std::string shown_time(Timestamp at, const Style& style);
std::string shown_time(std::string_view iso_time, const Style& style);

// The title of the column `key` in `language` ("vi" or "en"): a known key's title ("number" ->
// "Số hồ sơ" / "Case number"), else the key with spaces for underscores, capitalised.
std::string column_heading(std::string_view key, std::string_view language);

// The UTF-8 byte order mark: at the start of a CSV file, Excel reads it as UTF-8 (without it,
// as the system's code page, and Vietnamese letters come out garbled).
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// `cell` as an RFC 4180 CSV field: quoted (with quotes doubled) when it holds a comma, a quote,
// CR or LF; as is otherwise.
std::string csv_field(std::string_view cell);

// JSON building blocks for outputs richer than a table (case show, history).
using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;
void write_string(JsonWriter& json, std::string_view text);
void write_member(JsonWriter& json, std::string_view key, std::string_view value);
void write_member(JsonWriter& json, std::string_view key, long long value);
// `text` as a JSON string, or null when it is empty.
void write_optional_member(JsonWriter& json, std::string_view key, std::string_view text);

}  // namespace docket::cli
