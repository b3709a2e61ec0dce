// What the CLI prints: tables and single records, for people (aligned text), for scripts
// (CSV or JSON). Text alignment counts Unicode code points, so columns of Vietnamese text line
// up (the text is expected in NFC, as typed). JSON is written with RapidJSON's Writer, which
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

namespace docket::cli {

enum class OutputFormat { table, json, csv };

// "table", "json" or "csv"; nullopt for anything else.
std::optional<OutputFormat> output_format_from_string(std::string_view name);

// A column's key is snake_case ("updated_at"): JSON uses it as the member name, the text form
// shows it upper-cased with spaces ("UPDATED AT"). A number column is written to JSON as a
// number (its cells must then be integers, or empty for null).
struct Column {
  std::string key;
  bool number = false;
};

struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;  // each row has one cell per column
};

// Text: a header line and one aligned line per row (no trailing blanks). CSV: a header line,
// then the rows, quoted as RFC 4180 says (lines end with "\n"). JSON: an array of objects.
void print_table(std::ostream& out, const Table& table, OutputFormat format);

// One record as key/value pairs, in order. Text: "key  value" lines, keys padded to one width.
// CSV: a "key,value" header and one line per pair. JSON: one object with string members.
using Record = std::vector<std::pair<std::string, std::string>>;
void print_record(std::ostream& out, const Record& record, OutputFormat format);

// The number of Unicode code points in `text` (UTF-8); the width used to align text columns.
std::size_t display_width(std::string_view text);

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
