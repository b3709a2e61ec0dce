// docket org add|list|import|rename|move|close|merge|history: the organisation units (a tree
// whose levels are data, and which changes over time: each change holds from a day on).
#include <rapidjson/document.h>
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>

#include "app.h"
#include "command_support.h"
#include "core/json_text.h"
#include "core/time.h"
#include "loader/json_reader.h"
#include "progress.h"

namespace docket::cli {
namespace {

Table unit_table(const std::vector<OrgUnit>& units) {
  Table table{{{"id"}, {"name"}, {"level"}, {"parent"}}, {}};
  for (const OrgUnit& unit : units) table.rows.push_back({unit.id, unit.name, unit.level, unit.parent});
  return table;
}

Status add(Context& context, Workspace& workspace, const OrgUnit& unit) {
  if (const Status added = workspace.directory().add_unit(unit, admin_actor(context)); !added) return added;
  print_record(context.out, {{"id", unit.id}, {"name", unit.name}, {"level", unit.level}, {"parent", unit.parent}},
               context.format, context.style);
  return Ok{};
}

Status list(Context& context, Workspace& workspace) {
  DOCKET_TRY(units, workspace.directory().units());
  print_table(context.out, unit_table(*units), context.format, context.style);
  return Ok{};
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
  if (const auto problem = parse_json(json, document)) {
    return make_error(ErrorCode::invalid_argument, file + ": malformed JSON at line " + std::to_string(problem->line) +
                                                       ", column " + std::to_string(problem->column) + ": " +
                                                       problem->reason);
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
  Progress progress(context.err, context.progress, "org import");
  progress.step("reading " + file);
  auto json = read_file_content(file);
  if (!json) return json.error();
  auto units = parse_units(file, *json);
  if (!units) return units.error();
  progress.step("importing " + std::to_string(units->size()) + " unit(s)");
  if (const Status imported = workspace.directory().import_units(*units, admin_actor(context)); !imported) {
    return make_error(imported.error().code, imported.error().message + "; nothing was imported");
  }
  progress.clear();
  context.out << "imported " << units->size() << " unit(s) from " << file << "\n";
  return Ok{};
}

// What one change to the tree names: the unit, the day it takes effect and its new value.
struct UnitChange {
  std::string unit;
  std::string value;      // the new name, the new parent or the unit merged into
  std::string effective;  // YYYY-MM-DD; empty: today in Vietnam
};

Result<Date> effective_day(const Context& context, const std::string& text) {
  if (text.empty()) return vietnam_date(context.clock.now());
  if (const auto day = parse_date(text)) return *day;
  return make_error(ErrorCode::invalid_argument, "--effective " + in_quotes(text) + " is not a date YYYY-MM-DD");
}

using ChangeUnit = std::function<Status(Directory&, const UnitChange&, Date, const std::string& actor)>;

// docket org NAME UNIT [VALUE] [--effective DATE].
void add_change_command(CLI::App& org, Context& context, const char* name, const char* done, const char* help,
                        const char* value_option, const char* value_help, ChangeUnit change) {
  auto request = std::make_shared<UnitChange>();
  CLI::App* command = org.add_subcommand(name, help);
  command->add_option("unit", request->unit, "The unit's id")->required();
  if (value_option != nullptr) command->add_option(value_option, request->value, value_help)->required();
  command->add_option("--effective", request->effective, "The day it takes effect, YYYY-MM-DD (default: today)");
  command->callback([&context, request, change, done] {
    with_workspace(context, [&](Workspace& s) -> Status {
      DOCKET_TRY(day, effective_day(context, request->effective));
      if (const Status changed = change(s.directory(), *request, *day, admin_actor(context)); !changed) return changed;
      context.out << "unit " << request->unit << " " << done << " from " << shown_date(*day, context.style) << "\n";
      return Ok{};
    });
  });
}

Status history(Context& context, Workspace& workspace, const std::string& unit) {
  DOCKET_TRY(forms, workspace.directory().unit_history(unit));
  Table table{{{"valid_from", false, Moment::date}, {"name"}, {"parent"}, {"status"}, {"merged_into"}}, {}};
  for (const UnitForm& form : *forms) {
    table.rows.push_back({form.valid_from == "0001-01-01" ? "" : form.valid_from, form.name, form.parent, form.status,
                          form.merged_into});
  }
  print_table(context.out, table, context.format, context.style);
  return Ok{};
}

void add_change_commands(CLI::App& org, Context& context) {
  add_change_command(org, context, "rename", "renamed", "Rename a unit from a day on", "--name", "The new name",
                     [](Directory& d, const UnitChange& c, Date day, const std::string& actor) {
                       return d.rename_unit(c.unit, c.value, day, actor);
                     });
  add_change_command(org, context, "move", "moved", "Move a unit under another parent from a day on", "--parent",
                     "The new parent unit", [](Directory& d, const UnitChange& c, Date day, const std::string& actor) {
                       return d.move_unit(c.unit, c.value, day, actor);
                     });
  add_change_command(org, context, "close", "closed", "Close a unit from a day on (its cases stay; no new ones)",
                     nullptr, nullptr, [](Directory& d, const UnitChange& c, Date day, const std::string& actor) {
                       return d.close_unit(c.unit, day, actor);
                     });
  add_change_command(org, context, "merge", "merged", "Merge a unit into another from a day on (its cases count there)",
                     "--into", "The unit it merges into",
                     [](Directory& d, const UnitChange& c, Date day, const std::string& actor) {
                       return d.merge_unit(c.unit, c.value, day, actor);
                     });
  auto unit = std::make_shared<std::string>();
  CLI::App* command = org.add_subcommand("history", "A unit's names, parents and states over time");
  command->add_option("unit", *unit, "The unit's id")->required();
  command->callback(
      [&context, unit] { with_workspace(context, [&](Workspace& s) { return history(context, s, *unit); }); });
}

}  // namespace

void add_org_commands(CLI::App& app, Context& context) {
  CLI::App* org =
      app.add_subcommand("org", "Organisation units: add, list, import, rename, move, close, merge, history");
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
  add_change_commands(*org, context);
}

}  // namespace docket::cli
