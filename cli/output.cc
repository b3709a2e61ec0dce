#include "output.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace docket::cli {
namespace {

constexpr std::string_view kColumnGap = "  ";

std::string header_label(const std::string& key) {
  std::string label = key;
  for (char& c : label) c = c == '_' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return label;
}

std::string padding(std::size_t count) { return std::string(count, ' '); }

// Writes `line` without its trailing blanks (an empty last cell would leave some).
void print_line(std::ostream& out, std::string line) {
  line.erase(line.find_last_not_of(' ') + 1);
  out << line << '\n';
}

// One line of cells, each padded to its column's width; number columns are right-aligned.
void print_aligned(std::ostream& out, const std::vector<Column>& columns, const std::vector<std::string>& cells,
                   const std::vector<std::size_t>& widths) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += kColumnGap;
    const std::string room = padding(widths[i] - display_width(cells[i]));
    line += columns[i].number ? room + cells[i] : cells[i] + room;
  }
  print_line(out, std::move(line));
}

void print_text(std::ostream& out, const Table& table) {
  std::vector<std::string> headers;
  std::vector<std::size_t> widths;
  for (const Column& column : table.columns) {
    headers.push_back(header_label(column.key));
    widths.push_back(display_width(headers.back()));
  }
  for (const auto& row : table.rows) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
  }
  print_aligned(out, table.columns, headers, widths);
  for (const auto& row : table.rows) print_aligned(out, table.columns, row, widths);
}

void print_csv_line(std::ostream& out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) out << (i > 0 ? "," : "") << csv_field(cells[i]);
  out << '\n';
}

void print_csv(std::ostream& out, const Table& table) {
  std::vector<std::string> keys;
  for (const Column& column : table.columns) keys.push_back(column.key);
  print_csv_line(out, keys);
  for (const auto& row : table.rows) print_csv_line(out, row);
}

void write_cell(JsonWriter& json, const Column& column, const std::string& cell) {
  json.Key(column.key.data(), static_cast<rapidjson::SizeType>(column.key.size()));
  if (!column.number) {
    write_string(json, cell);
  } else if (cell.empty()) {
    json.Null();
  } else {
    json.Int64(std::strtoll(cell.c_str(), nullptr, 10));
  }
}

void print_json(std::ostream& out, const Table& table) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartArray();
  for (const auto& row : table.rows) {
    json.StartObject();
    for (std::size_t i = 0; i < row.size(); ++i) write_cell(json, table.columns[i], row[i]);
    json.EndObject();
  }
  json.EndArray();
  out << buffer.GetString() << '\n';
}

}  // namespace

std::optional<OutputFormat> output_format_from_string(std::string_view name) {
  if (name == "table") return OutputFormat::table;
  if (name == "json") return OutputFormat::json;
  if (name == "csv") return OutputFormat::csv;
  return std::nullopt;
}

void print_table(std::ostream& out, const Table& table, OutputFormat format) {
  switch (format) {
    case OutputFormat::table:
      print_text(out, table);
      return;
    case OutputFormat::csv:
      print_csv(out, table);
      return;
    case OutputFormat::json:
      print_json(out, table);
      return;
  }
}

void print_record(std::ostream& out, const Record& record, OutputFormat format) {
  if (format == OutputFormat::json) {
    rapidjson::StringBuffer buffer;
    JsonWriter json(buffer);
    json.StartObject();
    for (const auto& [key, value] : record) write_member(json, key, value);
    json.EndObject();
    out << buffer.GetString() << '\n';
    return;
  }
  if (format == OutputFormat::csv) {
    print_csv_line(out, {"key", "value"});
    for (const auto& [key, value] : record) print_csv_line(out, {key, value});
    return;
  }
  std::size_t key_width = 0;
  for (const auto& entry : record) key_width = std::max(key_width, display_width(entry.first));
  for (const auto& [key, value] : record) {
    print_line(out, key + padding(key_width - display_width(key)) + std::string(kColumnGap) + value);
  }
}

std::size_t display_width(std::string_view text) {
  // Every byte that is not a UTF-8 continuation byte (10xxxxxx) starts a code point.
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string csv_field(std::string_view cell) {
  if (cell.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(cell);
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

void write_string(JsonWriter& json, std::string_view text) {
  json.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void write_member(JsonWriter& json, std::string_view key, std::string_view value) {
  write_string(json, key);
  write_string(json, value);
}

void write_member(JsonWriter& json, std::string_view key, long long value) {
  write_string(json, key);
  json.Int64(value);
}

void write_optional_member(JsonWriter& json, std::string_view key, std::string_view text) {
  write_string(json, key);
  if (text.empty()) {
    json.Null();
  } else {
    write_string(json, text);
  }
}

}  // namespace docket::cli
