#include "sheets/csv_reader.h"

#include <string>

#include "core/text.h"

namespace docket::sheets {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

char separator_of(std::string_view text) {
  int commas = 0, semicolons = 0;
  bool quoted = false;
  for (const char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') break;
    if (c == ',') ++commas;
    if (c == ';') ++semicolons;
  }
  return semicolons > commas ? ';' : ',';
}

int line_of(std::string_view text, std::size_t offset) {
  int line = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n' ? 1 : 0;
  return line;
}

Cell text_cell(std::string text) {
  Cell cell;
  cell.kind = text.empty() ? Cell::Kind::empty : Cell::Kind::text;
  cell.text = std::move(text);
  return cell;
}

}  // namespace

Result<Grid> read_csv(std::string_view bytes) {
  if (bytes.substr(0, kBom.size()) == kBom) bytes.remove_prefix(kBom.size());
  if (const std::size_t bad = first_invalid_utf8(bytes); bad != std::string_view::npos) {
    return make_error(ErrorCode::invalid_argument,
                      "line " + std::to_string(line_of(bytes, bad)) +
                          " is not UTF-8 text: save the file as \"CSV UTF-8\" (Excel) or with the UTF-8 character set");
  }
  const char separator = separator_of(bytes);
  Grid grid;
  std::vector<Cell> row;
  std::string field;
  bool quoted = false, row_started = false;
  std::size_t quote_opened = 0;
  const auto end_field = [&] {
    row.push_back(text_cell(std::move(field)));
    field.clear();
  };
  const auto end_row = [&] {
    end_field();
    grid.rows.push_back(std::move(row));
    row.clear();
    row_started = false;
  };
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < bytes.size() && bytes[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        quoted = false;
      }
      continue;
    }
    row_started = true;
    if (c == '"') {
      quoted = true;
      quote_opened = i;
    } else if (c == separator) {
      end_field();
    } else if (c == '\n') {
      end_row();
    } else if (c == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n') {
      continue;
    } else {
      field += c;
    }
  }
  if (quoted) {
    return make_error(ErrorCode::invalid_argument, "line " + std::to_string(line_of(bytes, quote_opened)) +
                                                       ": a quoted field is not closed before the end of the file");
  }
  if (row_started) end_row();
  return grid;
}

}  // namespace docket::sheets
