#include "sheets/import_mapping.h"

#include <rapidjson/document.h>

#include "core/json_text.h"
#include "core/text.h"

namespace docket::sheets {
namespace {

using Value = rapidjson::Value;

struct Problems {
  std::vector<std::string> found;
  void add(const std::string& path, const std::string& message) { found.push_back(path + ": " + message); }
};

std::string text_member(const Value& object, const char* key, Problems& problems, bool required) {
  if (!object.HasMember(key)) {
    if (required) problems.add("$", "missing key \"" + std::string(key) + "\"");
    return {};
  }
  const Value& value = object[key];
  if (!value.IsString() || value.GetStringLength() == 0) {
    problems.add(std::string("$.") + key, "expected a column (its heading or its letters)");
    return {};
  }
  return tidy(std::string_view(value.GetString(), value.GetStringLength()));
}

// An object of strings, in file order.
std::vector<std::pair<std::string, std::string>> string_pairs(const Value& object, const std::string& path,
                                                              Problems& problems) {
  std::vector<std::pair<std::string, std::string>> pairs;
  if (!object.IsObject()) {
    problems.add(path, "expected an object");
    return pairs;
  }
  for (const auto& member : object.GetObject()) {
    const std::string key(member.name.GetString(), member.name.GetStringLength());
    if (!member.value.IsString()) {
      problems.add(path + "." + key, "expected text");
      continue;
    }
    pairs.emplace_back(key, tidy(std::string_view(member.value.GetString(), member.value.GetStringLength())));
  }
  return pairs;
}

void read_values(const Value& object, ImportMapping& mapping, Problems& problems) {
  if (!object.IsObject()) return problems.add("$.values", "expected an object of fields");
  for (const auto& member : object.GetObject()) {
    const std::string field(member.name.GetString(), member.name.GetStringLength());
    for (auto& [cell, value] : string_pairs(member.value, "$.values." + field, problems))
      mapping.values[field][tidy(cell)] = value;
  }
}

bool is_blank(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::string tidy(std::string_view text) {
  constexpr std::string_view kNoBreakSpace = "\xC2\xA0";
  for (;;) {
    if (!text.empty() && is_blank(static_cast<unsigned char>(text.front())))
      text.remove_prefix(1);
    else if (text.starts_with(kNoBreakSpace))
      text.remove_prefix(kNoBreakSpace.size());
    else if (!text.empty() && is_blank(static_cast<unsigned char>(text.back())))
      text.remove_suffix(1);
    else if (text.ends_with(kNoBreakSpace))
      text.remove_suffix(kNoBreakSpace.size());
    else
      break;
  }
  return to_nfc(text);
}

Result<ImportMapping> parse_mapping(const std::string& file, std::string_view json) {
  rapidjson::Document document;
  if (const auto problem = parse_json(json, document)) {
    return make_error(ErrorCode::invalid_argument, file + ": malformed JSON at line " + std::to_string(problem->line) +
                                                       ", column " + std::to_string(problem->column) + ": " +
                                                       problem->reason);
  }
  if (!document.IsObject()) return make_error(ErrorCode::invalid_argument, file + ": $: expected an object");
  Problems problems;
  for (const auto& member : document.GetObject()) {
    const std::string_view key(member.name.GetString(), member.name.GetStringLength());
    if (key != "sheet" && key != "header_row" && key != "reference" && key != "title" && key != "unit" &&
        key != "opened" && key != "fields" && key != "values" && key != "comment") {
      problems.add("$", "unknown key " + in_quotes(key) +
                            " (known: sheet, header_row, reference, title, unit, opened, fields, values, comment)");
    }
  }
  ImportMapping mapping;
  if (document.HasMember("sheet")) {
    if (document["sheet"].IsString())
      mapping.sheet = tidy(document["sheet"].GetString());
    else
      problems.add("$.sheet", "expected the name of a sheet");
  }
  if (document.HasMember("header_row")) {
    const Value& row = document["header_row"];
    if (row.IsInt() && row.GetInt() >= 1 && row.GetInt() <= 1000)
      mapping.header_row = row.GetInt();
    else
      problems.add("$.header_row", "expected a row number from 1 to 1000");
  }
  mapping.reference = text_member(document, "reference", problems, true);
  mapping.title = text_member(document, "title", problems, true);
  mapping.unit = text_member(document, "unit", problems, false);
  mapping.opened = text_member(document, "opened", problems, false);
  if (document.HasMember("fields")) mapping.fields = string_pairs(document["fields"], "$.fields", problems);
  for (const auto& [field, column] : mapping.fields) {
    if (column.empty()) problems.add("$.fields." + field, "expected a column (its heading or its letters)");
  }
  if (document.HasMember("values")) read_values(document["values"], mapping, problems);
  if (problems.found.empty()) return mapping;
  std::string message = file + ": ";
  for (std::size_t i = 0; i < problems.found.size(); ++i) message += (i > 0 ? "; " : "") + problems.found[i];
  return make_error(ErrorCode::invalid_argument, message);
}

std::string MappedColumn::name() const {
  return heading.empty() ? "column " + letters : "column " + letters + " " + in_quotes(heading);
}

Result<MappedColumn> find_column(const Grid& grid, int header_row, const std::string& given, const std::string& what) {
  const std::string wanted = tidy(given);
  std::string headings;
  const std::size_t width = static_cast<std::size_t>(header_row) <= grid.rows.size()
                                ? grid.rows[static_cast<std::size_t>(header_row - 1)].size()
                                : 0;
  for (std::size_t i = 0; i < width; ++i) {
    const std::string heading = tidy(shown(grid.at(header_row, static_cast<int>(i))));
    if (heading.empty()) continue;
    if (heading == wanted) return MappedColumn{static_cast<int>(i), column_letters(static_cast<int>(i)), heading};
    headings += (headings.empty() ? "" : ", ") + in_quotes(heading);
  }
  if (const auto index = column_index(wanted)) {
    return MappedColumn{*index, column_letters(*index), tidy(shown(grid.at(header_row, *index)))};
  }
  return make_error(ErrorCode::invalid_argument, "the sheet has no column " + in_quotes(wanted) + " (mapped to " +
                                                     what + ") in its header row " + std::to_string(header_row) +
                                                     (headings.empty() ? " (which is empty)" : ": " + headings));
}

}  // namespace docket::sheets
