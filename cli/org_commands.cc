// docket org add|list|import: the organisation units (a tree whose levels are data).
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <CLI/CLI.hpp>

#include <memory>

#include "app.h"
#include "command_support.h"
#include "loader/json_reader.h"

namespace docket::cli {
namespace {

Table unit_table(const std::vector<OrgUnit>& units) {
  Table table{{{"id"}, {"name"}, {"level"}, {"parent"}}, {}};
  for (const OrgUnit& unit : units) table.rows.push_back({unit.id, unit.name, unit.level, unit.parent});
  return table;
}

Status add(Context& context, Workspace& workspace, const OrgUnit& unit) {
  if (const Status added = workspace.directory().add_unit(unit); !added) return added;
  print_record(context.out, {{"id", unit.id}, {"name", unit.name}, {"level", unit.level}, {"parent", unit.parent}},
               context.format);
  return Ok{};
}

Status list(Context& context, Workspace& workspace) {
  DOCKET_TRY(units, workspace.directory().units());
  print_table(context.out, unit_table(*units), context.format);
  return Ok{};
}

// Line and column (in characters) of a byte offset, for JSON syntax errors.
std::string line_and_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// The parent of a unit in an import file: absent, null or "" for the root.
std::string parent_of(JsonReader& reader, const rapidjson::Value& row, const std::string& path) {
  if (row.HasMember("parent") && row["parent"].IsNull()) return {};
  return reader.string(row, "parent", path);
}

// The units in an import file: a JSON array of {"id", "name", "level", "parent"}. Every
// problem is reported, located by JSON path; any problem and no unit is returned.
Result<std::vector<OrgUnit>> parse_units(const std::string& file, const std::string& json) {
  rapidjson::Document document;
  document.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (document.HasParseError()) {
    return make_error(ErrorCode::invalid_argument, file + ": malformed JSON at " +
                                                       line_and_column(json, document.GetErrorOffset()) + ": " +
                                                       rapidjson::GetParseError_En(document.GetParseError()));
  }
  if (!document.IsArray()) return make_error(ErrorCode::invalid_argument, file + ": $: expected a list of units");
  std::vector<Diagnostic> problems;
  JsonReader reader(problems);
  std::vector<OrgUnit> units;
  for (rapidjson::SizeType i = 0; i < document.Size(); ++i) {
    const std::string path = "$[" + std::to_string(i) + "]";
    if (!reader.object(document[i], path, {"id", "name", "level", "parent"}, {"id", "name", "level"})) continue;
    units.push_back({reader.string(document[i], "id", path), reader.string(document[i], "name", path),
                     reader.string(document[i], "level", path), parent_of(reader, document[i], path)});
  }
  if (problems.empty()) return units;
  std::string message = file + ": " + problems.front().path + ": " + problems.front().message;
  if (problems.size() > 1) message += " (and " + std::to_string(problems.size() - 1) + " more problem(s))";
  return make_error(ErrorCode::invalid_argument, message + "; nothing was imported");
}

Status import(Context& context, Workspace& workspace, const std::string& file) {
  auto json = read_file_content(file);
  if (!json) return json.error();
  auto units = parse_units(file, *json);
  if (!units) return units.error();
  if (const Status imported = workspace.directory().import_units(*units); !imported) {
    return make_error(imported.error().code, imported.error().message + "; nothing was imported");
  }
  context.out << "imported " << units->size() << " unit(s) from " << file << "\n";
  return Ok{};
}

}  // namespace

void add_org_commands(CLI::App& app, Context& context) {
  CLI::App* org = app.add_subcommand("org", "Organisation units: add, list, import");
  org->require_subcommand(1);
  org->option_defaults()->always_capture_default(false);  // no "=-1" or "=[]" in the help

  auto unit = std::make_shared<OrgUnit>();
  CLI::App* add_command = org->add_subcommand("add", "Add an organisation unit");
  add_command->add_option("id", unit->id, "Short code of the unit (\"ninh-binh\")")->required();
  add_command->add_option("--name", unit->name, "Full name")->required();
  add_command->add_option("--level", unit->level, "Level: central, province, district, commune, ...")->required();
  add_command->add_option("--parent", unit->parent, "The unit above it (none for the root)");
  add_command->callback(
      [&context, unit] { with_workspace(context, [&](Workspace& s) { return add(context, s, *unit); }); });

  org->add_subcommand("list", "List the organisation units")->callback([&context] {
    with_workspace(context, [&](Workspace& s) { return list(context, s); });
  });

  auto file = std::make_shared<std::string>();
  CLI::App* import_command = org->add_subcommand("import", "Import units from a JSON file, all or nothing");
  import_command->add_option("file", *file, "JSON array of {\"id\", \"name\", \"level\", \"parent\"}")->required();
  import_command->callback(
      [&context, file] { with_workspace(context, [&](Workspace& s) { return import(context, s, *file); }); });
}

}  // namespace docket::cli
