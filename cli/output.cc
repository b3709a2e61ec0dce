#include "output.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "core/text.h"

namespace docket::cli {
namespace {

constexpr std::string_view kColumnGap = "  ";

std::string upper_label(const std::string& key) {
  std::string label = key;
  for (char& c : label) c = c == '_' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return label;
}

std::string human_heading(const Column& column, Headers headers) {
  const std::string& given = headers == Headers::vi ? column.heading.vi : column.heading.en;
  return !given.empty() ? given : column_heading(column.key, headers == Headers::vi ? "vi" : "en");
}

// The title of `column` in text output (upper-cased keys, or titles for people).
std::string text_heading(const Column& column, const Style& style) {
  if (style.headers == Headers::keys) return upper_label(column.key);
  return human_heading(column, style.headers);
}

// The title of `column` in CSV (the key, or titles for people).
std::string csv_heading(const Column& column, const Style& style) {
  return style.headers == Headers::keys ? column.key : human_heading(column, style.headers);
}

std::string shown_cell(const Column& column, const std::string& cell, const Style& style) {
  switch (column.moment) {
    case Moment::date:
      return shown_date(cell, style);
    case Moment::time:
      return shown_time(cell, style);
    case Moment::none:
      break;
  }
  return cell;
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

void print_text(std::ostream& out, const Table& table, const Style& style) {
  std::vector<std::string> headers;
  std::vector<std::size_t> widths;
  for (const Column& column : table.columns) {
    headers.push_back(text_heading(column, style));
    widths.push_back(display_width(headers.back()));
  }
  std::vector<std::vector<std::string>> shown;
  for (const auto& row : table.rows) {
    std::vector<std::string>& cells = shown.emplace_back();
    for (std::size_t i = 0; i < row.size(); ++i) {
      cells.push_back(shown_cell(table.columns[i], row[i], style));
      widths[i] = std::max(widths[i], display_width(cells.back()));
    }
  }
  print_aligned(out, table.columns, headers, widths);
  for (const auto& cells : shown) print_aligned(out, table.columns, cells, widths);
}

void print_csv_line(std::ostream& out, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) out << (i > 0 ? "," : "") << csv_field(cells[i]);
  out << '\n';
}

void print_csv(std::ostream& out, const Table& table, const Style& style) {
  if (style.bom.value_or(style.bom_by_default)) out << kUtf8Bom;
  std::vector<std::string> titles;
  for (const Column& column : table.columns) titles.push_back(csv_heading(column, style));
  print_csv_line(out, titles);
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

void print_table(std::ostream& out, const Table& table, OutputFormat format, const Style& style) {
  switch (format) {
    case OutputFormat::table:
      print_text(out, table, style);
      return;
    case OutputFormat::csv:
      print_csv(out, table, style);
      return;
    case OutputFormat::json:
      print_json(out, table);
      return;
  }
}

void print_record(std::ostream& out, const Record& record, OutputFormat format, const Style& style) {
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
    if (style.bom.value_or(style.bom_by_default)) out << kUtf8Bom;
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

std::string shown_date(Date date, const Style& style) {
  if (style.utc) return format_date(date);
  char text[16];
  std::snprintf(text, sizeof text, "%02u/%02u/%04d", static_cast<unsigned>(date.day()),
                static_cast<unsigned>(date.month()), static_cast<int>(date.year()));
  return text;
}

std::string shown_date(std::string_view iso_date, const Style& style) {
  const std::optional<Date> date = parse_date(iso_date);
  return date ? shown_date(*date, style) : std::string(iso_date);
}

std::string shown_time(Timestamp at, const Style& style) {
  if (style.utc) return format_timestamp(at);
  const auto local = at + kVietnamOffset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::hh_mm_ss clock{local - day};
  char text[8];
  std::snprintf(text, sizeof text, "%02d:%02d", static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()));
  return shown_date(Date{day}, style) + " " + text;
}

std::string shown_time(std::string_view iso_time, const Style& style) {
  const std::optional<Timestamp> at = parse_datetime(iso_time);
  return at ? shown_time(*at, style) : std::string(iso_time);
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
