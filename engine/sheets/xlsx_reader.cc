#include "sheets/xlsx_reader.h"

#include <zip.h>

#include <pugixml.hpp>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include "core/text.h"

namespace docket::sheets {
namespace {

constexpr int kMaxRows = 1048576;  // Excel's last row

struct ArchiveCloser {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
using Archive = std::unique_ptr<zip_t, ArchiveCloser>;

Error not_a_workbook(const std::string& why) {
  return make_error(ErrorCode::invalid_argument, "the file is not an .xlsx workbook: " + why);
}

// The element's name without its namespace prefix ("x:row" -> "row").
std::string_view local_name(const pugi::xml_node& node) {
  const std::string_view name = node.name();
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string_view attribute(const pugi::xml_node& node, std::string_view local) {
  for (const pugi::xml_attribute& a : node.attributes()) {
    std::string_view name = a.name();
    const auto colon = name.find(':');
    if (colon != std::string_view::npos) name = name.substr(colon + 1);  // r:id -> id
    if (name == local) return a.value();
  }
  return {};
}

// The children of `node` called `local`, whatever their prefix.
std::vector<pugi::xml_node> children(const pugi::xml_node& node, std::string_view local) {
  std::vector<pugi::xml_node> found;
  for (const pugi::xml_node& child : node.children()) {
    if (child.type() == pugi::node_element && local_name(child) == local) found.push_back(child);
  }
  return found;
}

pugi::xml_node child(const pugi::xml_node& node, std::string_view local) {
  for (const pugi::xml_node& c : node.children()) {
    if (c.type() == pugi::node_element && local_name(c) == local) return c;
  }
  return {};
}

class Package {
 public:
  static Result<Package> open(std::string_view bytes) {
    zip_error_t problem;
    zip_error_init(&problem);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &problem);
    if (source == nullptr) return not_a_workbook(zip_error_strerror(&problem));
    zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &problem);
    if (archive == nullptr) {
      zip_source_free(source);
      const std::string why = zip_error_strerror(&problem);
      zip_error_fini(&problem);
      return not_a_workbook("it cannot be read as a zip package (" + why + ")");
    }
    return Package(Archive(archive));
  }

  // The part's bytes; nullopt when the package has no such part.
  Result<std::optional<std::string>> part(const std::string& name) {
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat(archive_.get(), name.c_str(), 0, &stat) != 0) return std::optional<std::string>{};
    if ((stat.valid & ZIP_STAT_SIZE) == 0 || stat.size > kMaxXlsxPartBytes) {
      return not_a_workbook("its part " + name + " is larger than " + std::to_string(kMaxXlsxPartBytes >> 20) + " MiB");
    }
    zip_file_t* file = zip_fopen(archive_.get(), name.c_str(), 0);
    if (file == nullptr) return not_a_workbook("its part " + name + " cannot be read");
    std::string content(static_cast<std::size_t>(stat.size), '\0');
    const zip_int64_t read = zip_fread(file, content.data(), content.size());
    zip_fclose(file);
    if (read < 0 || static_cast<std::size_t>(read) != content.size()) {
      return not_a_workbook("its part " + name + " is damaged");
    }
    return std::optional<std::string>(std::move(content));
  }

 private:
  explicit Package(Archive archive) : archive_(std::move(archive)) {}
  Archive archive_;
};

// A part's XML, or an error; an absent optional part gives an empty document.
Status load(Package& package, const std::string& name, bool required, pugi::xml_document& document) {
  auto content = package.part(name);
  if (!content) return content.error();
  if (!*content) return required ? Status(not_a_workbook("it has no part " + name)) : Status(Ok{});
  const pugi::xml_parse_result parsed = document.load_buffer((*content)->data(), (*content)->size());
  if (!parsed) return not_a_workbook("its part " + name + " is not well-formed XML (" + parsed.description() + ")");
  return Ok{};
}

// The text of a shared string or an inline string: its <t>, or the <t> of each run (<r>);
// phonetic runs (<rPh>) are not part of the text.
std::string string_item_text(const pugi::xml_node& item) {
  if (const pugi::xml_node t = child(item, "t")) return t.text().get();
  std::string text;
  for (const pugi::xml_node& run : children(item, "r")) text += child(run, "t").text().get();
  return text;
}

std::vector<std::string> shared_strings(const pugi::xml_document& document) {
  std::vector<std::string> strings;
  for (const pugi::xml_node& item : children(child(document, "sst"), "si")) strings.push_back(string_item_text(item));
  return strings;
}

// Whether a number format code shows a date or time: it has d, m, y, h or s outside quoted text,
// escapes and [brackets] (colours, conditions; [h] elapsed hours is a time).
bool is_date_format(std::string_view code) {
  bool quoted = false, bracket = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (quoted) {
      quoted = c != '"';
      continue;
    }
    if (bracket) {
      bracket = c != ']';
      continue;
    }
    if (c == '"')
      quoted = true;
    else if (c == '[')
      bracket = true;
    else if (c == '\\' || c == '_' || c == '*')
      ++i;
    else if (std::strchr("dDmMyYhHsS", c) != nullptr && c != '\0')
      return true;
  }
  return false;
}

bool is_builtin_date_format(int id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

int to_int(std::string_view text) {
  int value = -1;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// For each cell style (the index in cellXfs a cell's s= names), whether it shows a date.
std::vector<bool> dated_styles(const pugi::xml_document& styles) {
  const pugi::xml_node sheet = child(styles, "styleSheet");
  std::map<int, bool> custom;
  for (const pugi::xml_node& format : children(child(sheet, "numFmts"), "numFmt"))
    custom[to_int(attribute(format, "numFmtId"))] = is_date_format(attribute(format, "formatCode"));
  std::vector<bool> dated;
  for (const pugi::xml_node& xf : children(child(sheet, "cellXfs"), "xf")) {
    const int id = to_int(attribute(xf, "numFmtId"));
    const auto found = custom.find(id);
    dated.push_back(found != custom.end() ? found->second : is_builtin_date_format(id));
  }
  return dated;
}

// The package path of the worksheet named `sheet` (the first when empty).
Result<std::string> sheet_part(Package& package, const std::string& sheet, std::string& name) {
  pugi::xml_document workbook, relationships;
  if (const Status loaded = load(package, "xl/workbook.xml", true, workbook); !loaded) return loaded.error();
  if (const Status loaded = load(package, "xl/_rels/workbook.xml.rels", true, relationships); !loaded)
    return loaded.error();
  std::string id, names;
  for (const pugi::xml_node& entry : children(child(child(workbook, "workbook"), "sheets"), "sheet")) {
    const std::string entry_name(attribute(entry, "name"));
    names += (names.empty() ? "" : ", ") + in_quotes(entry_name);
    if (id.empty() && (sheet.empty() || to_nfc(entry_name) == to_nfc(sheet))) {
      id = std::string(attribute(entry, "id"));
      name = entry_name;
    }
  }
  if (id.empty()) {
    if (names.empty()) return not_a_workbook("it has no sheet");
    return make_error(ErrorCode::invalid_argument,
                      "the workbook has no sheet " + in_quotes(sheet) + " (its sheets: " + names + ")");
  }
  for (const pugi::xml_node& relationship : children(child(relationships, "Relationships"), "Relationship")) {
    if (attribute(relationship, "Id") != id) continue;
    const std::string target(attribute(relationship, "Target"));
    return target.starts_with("/") ? target.substr(1) : "xl/" + target;
  }
  return not_a_workbook("the sheet " + in_quotes(name) + " names no part");
}

// "C7" -> column 2, row 7; nullopt when malformed.
std::optional<std::pair<int, int>> cell_place(std::string_view reference) {
  std::size_t letters = 0;
  while (letters < reference.size() && std::isalpha(static_cast<unsigned char>(reference[letters]))) ++letters;
  const auto column = column_index(reference.substr(0, letters));
  const int row = to_int(reference.substr(letters));
  if (!column || row < 1) return std::nullopt;
  return std::pair{*column, row};
}

Cell read_cell(const pugi::xml_node& c, const std::vector<std::string>& strings, const std::vector<bool>& dated) {
  Cell cell;
  const std::string_view type = attribute(c, "t");
  const std::string value = child(c, "v").text().get();
  if (type == "inlineStr") {
    cell.text = string_item_text(child(c, "is"));
  } else if (type == "s") {
    const int index = to_int(value);
    if (index >= 0 && static_cast<std::size_t>(index) < strings.size())
      cell.text = strings[static_cast<std::size_t>(index)];
  } else if (type == "str" || type == "e") {
    cell.text = value;
  } else if (type == "b") {
    cell.text = value == "1" ? "TRUE" : "FALSE";
  } else if (!value.empty()) {
    char* end = nullptr;
    const double number = std::strtod(value.c_str(), &end);
    if (end != nullptr && *end == '\0') {
      cell.kind = Cell::Kind::number;
      cell.number = number;
      cell.text = value;
      const int style = to_int(attribute(c, "s"));
      cell.dated =
          style >= 0 && static_cast<std::size_t>(style) < dated.size() && dated[static_cast<std::size_t>(style)];
      return cell;
    }
    cell.text = value;
  }
  cell.kind = cell.text.empty() ? Cell::Kind::empty : Cell::Kind::text;
  return cell;
}

}  // namespace

Result<Grid> read_xlsx(std::string_view bytes, const std::string& sheet) {
  auto package = Package::open(bytes);
  if (!package) return package.error();
  Grid grid;
  DOCKET_TRY(part, sheet_part(*package, sheet, grid.sheet));
  pugi::xml_document strings_xml, styles_xml, sheet_xml;
  if (const Status loaded = load(*package, "xl/sharedStrings.xml", false, strings_xml); !loaded) return loaded.error();
  if (const Status loaded = load(*package, "xl/styles.xml", false, styles_xml); !loaded) return loaded.error();
  if (const Status loaded = load(*package, *part, true, sheet_xml); !loaded) return loaded.error();
  const std::vector<std::string> strings = shared_strings(strings_xml);
  const std::vector<bool> dated = dated_styles(styles_xml);
  int next_row = 1;
  for (const pugi::xml_node& row : children(child(child(sheet_xml, "worksheet"), "sheetData"), "row")) {
    const int number = attribute(row, "r").empty() ? next_row : to_int(attribute(row, "r"));
    if (number > kMaxRows) return not_a_workbook("it has a row past row " + std::to_string(kMaxRows));
    if (number < next_row) return not_a_workbook("its rows are out of order at row " + std::to_string(number));
    next_row = number + 1;
    grid.rows.resize(static_cast<std::size_t>(number));
    std::vector<Cell>& cells = grid.rows.back();
    for (const pugi::xml_node& c : children(row, "c")) {
      int column = static_cast<int>(cells.size());
      if (const auto place = cell_place(attribute(c, "r"))) column = place->first;
      if (column >= 16384) return not_a_workbook("it has a cell past column XFD in row " + std::to_string(number));
      if (static_cast<std::size_t>(column) >= cells.size()) cells.resize(static_cast<std::size_t>(column) + 1);
      cells[static_cast<std::size_t>(column)] = read_cell(c, strings, dated);
    }
  }
  return grid;
}

}  // namespace docket::sheets
