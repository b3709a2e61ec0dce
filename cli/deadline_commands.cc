// docket calendar show|check|reload, docket deadline explain, docket tick: the deadlines plugin
// from the command line.
#include <CLI/CLI.hpp>

#include "app.h"
#include "command_support.h"
#include "core/deadline.h"
#include "deadlines/deadlines_plugin.h"
#include "loader/calendar_loader.h"
#include "loader/workflow_loader.h"
#include "scheduler/scheduler.h"
#include "store/calendar_registry.h"

namespace docket::cli {
namespace {

const char* kind_name(DayKind kind) {
  switch (kind) {
    case DayKind::weekend:
      return "weekend";
    case DayKind::holiday:
      return "holiday";
    case DayKind::worked_weekend:
      return "worked";
    case DayKind::working:
      break;
  }
  return "working";
}

Status show(Context& context, Workspace& workspace, int year) {
  Table table{{{"date", false, Moment::date}, {"weekday"}, {"kind"}, {"reason"}}, {}};
  for (const auto& [date, status] : workspace.calendar().non_working_days(year)) {
    table.rows.push_back({format_date(date), weekday_name(date), kind_name(status.kind), status.reason});
  }
  for (const auto& [date, status] : workspace.calendar().named_days(year)) {
    if (status.kind == DayKind::worked_weekend)
      table.rows.push_back({format_date(date), weekday_name(date), "worked", status.reason});
  }
  std::sort(table.rows.begin(), table.rows.end());
  print_table(context.out, table, context.format, context.style);
  return Ok{};
}

// "1 day off", "14 days off".
std::string counted(std::size_t count, const char* one, const char* many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

// Validates the files, then warns (without failing) when the calendar they make ends within
// the next 12 months: deadlines counted past its end would be provisional.
void check(Context& context, const std::vector<std::string>& files) {
  int errors = 0;
  std::vector<CalendarFile> valid;
  for (const auto& file : files) {
    const LoadedCalendar loaded = load_calendar_file(file);
    for (const auto& diagnostic : loaded.diagnostics) {
      ++errors;
      context.err << format_diagnostic(file, diagnostic) << "\n";
    }
    if (loaded.file) {
      context.out << file << ": ok (" << loaded.file->calendar << " " << loaded.file->year << " v"
                  << loaded.file->version << ", " << counted(loaded.file->holidays.size(), "day off", "days off")
                  << ", " << counted(loaded.file->working_days.size(), "worked day", "worked days") << ")\n";
      valid.push_back(*loaded.file);
    }
  }
  const std::string warning = coverage_warning(build_calendar(valid), vietnam_date(context.clock.now()));
  if (!valid.empty() && !warning.empty()) context.err << "warning: " << warning << "\n";
  context.exit_code = errors == 0 ? 0 : kExitRefused;
}

// Installs changed calendar files and recomputes the due date of every open case.
Status reload(Context& context, Workspace& workspace) {
  const std::filesystem::path folder = std::filesystem::path(context.workflows_dir) / "calendars";
  auto installed =
      CalendarRegistry(workspace.database(), context.clock).install_directory(folder, admin_actor(context));
  if (!installed) return installed.error();
  if (const Status reloaded = workspace.reload(); !reloaded) return reloaded;
  int moved = 0;
  CaseFilter open;
  open.open_only = true;
  open.limit = 1000000;
  auto cases = workspace.cases().list(open);
  if (!cases) return cases.error();
  for (const Case& current : *cases) {
    DeadlinesPlugin& plugin = workspace.deadlines();
    auto after = workspace.cases().run_plugin_action(
        current.number, plugin, [&](const WorkflowDefinition& def, const Case& c, PluginContext& ctx) {
          return plugin.recompute(def, c, ctx, "calendar changed");
        });
    if (!after) return after.error();
    if (after->version != current.version) {
      ++moved;
      context.out << current.number << ": due " << (current.deadline ? current.deadline->due : "-") << " -> "
                  << (after->deadline ? after->deadline->due : "-")
                  << (after->deadline && !after->deadline->provisional.empty() ? " (provisional)" : "") << "\n";
    }
  }
  context.out << *installed << " new calendar file version(s) installed; " << moved << " open deadline(s) moved\n";
  return Ok{};
}

void write_optional_date(JsonWriter& json, std::string_view key, const std::optional<Date>& date) {
  write_optional_member(json, key, date ? format_date(*date) : "");
}

// The anchor, the offset, each skipped day, the due day and the moments that follow from it.
void write_due_date(JsonWriter& json, const DueDate& due, const DeadlineSpec& spec) {
  write_string(json, "anchor");
  json.StartObject();
  write_member(json, "from", due.anchor);  // "entered" or a field id
  write_member(json, "date", format_date(due.anchor_date));
  json.EndObject();
  write_string(json, "offset");
  json.StartObject();
  write_member(json, "count", spec.offset);
  write_member(json, "unit", spec.unit == DeadlineUnit::working_days ? "working_days" : "days");
  write_member(json, "direction", spec.direction == DeadlineDirection::after ? "after" : "before");
  json.EndObject();
  write_string(json, "skipped");
  json.StartArray();
  for (const SkippedDay& day : due.skipped) {
    json.StartObject();
    write_member(json, "date", format_date(day.date));
    write_member(json, "reason", day.reason);
    json.EndObject();
  }
  json.EndArray();
  write_optional_date(json, "rolled_from", due.rolled_from);
  write_member(json, "due", format_date(due.due));
  write_member(json, "due_at", format_timestamp(due.due_at));
  write_string(json, "reminders");
  json.StartArray();
  for (const Reminder& reminder : due.reminders) {
    json.StartObject();
    write_member(json, "days_before", reminder.days_before);
    write_member(json, "at", format_timestamp(reminder.at));
    write_optional_date(json, "moved_from", reminder.moved_from);
    json.EndObject();
  }
  json.EndArray();
  write_optional_member(json, "escalate_to", due.escalate_to);
  write_optional_member(json, "escalate_at", due.escalate_at ? format_timestamp(*due.escalate_at) : "");
  write_optional_member(json, "provisional", due.provisional());
}

// --format json: {"number", "workflow", "workflow_version", "stage", "deadline": null or the
// due date's reasoning, "pending": [{"kind", "at"}]}; times UTC ISO, dates YYYY-MM-DD.
void print_explanation_json(Context& context, const Case& current, const DueDate* due, const DeadlineSpec* spec,
                            const std::vector<Timer>& pending) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  write_member(json, "number", current.number);
  write_member(json, "workflow", current.workflow_id);
  write_member(json, "workflow_version", current.workflow_version);
  write_member(json, "stage", current.stage);
  write_string(json, "deadline");
  if (due == nullptr) {
    json.Null();
  } else {
    json.StartObject();
    write_due_date(json, *due, *spec);
    json.EndObject();
  }
  write_string(json, "pending");
  json.StartArray();
  for (const Timer& timer : pending) {
    json.StartObject();
    write_member(json, "kind", timer.kind);
    write_member(json, "at", format_timestamp(timer.due_at));
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  context.out << buffer.GetString() << "\n";
}

Status explain(Context& context, Workspace& workspace, const std::string& number) {
  auto current = workspace.cases().get(number);
  if (!current) return current.error();
  const WorkflowDefinition* def = workspace.catalog().find(current->workflow_id, current->workflow_version);
  const StageDefinition* stage = def == nullptr ? nullptr : def->stage(current->stage);
  const bool json = context.format == OutputFormat::json;
  if (stage == nullptr || !stage->deadline) {
    if (json) {
      print_explanation_json(context, *current, nullptr, nullptr, {});
    } else {
      context.out << number << ": stage " << current->stage << " has no deadline\n";
    }
    return Ok{};
  }
  auto due = compute_due_date(*stage, *current, current->stage_entered_at, workspace.calendar());
  if (!due) return due.error();
  auto pending = workspace.cases().pending_timers(number);
  if (!pending) return pending.error();
  const std::vector<Timer> planned = DeadlinesPlugin::planned(*pending);
  if (json) {
    print_explanation_json(context, *current, &*due, &*stage->deadline, planned);
    return Ok{};
  }
  context.out << number << " (" << current->workflow_id << " v" << current->workflow_version << ")\n"
              << due->explain(*stage->deadline);
  for (const Timer& timer : planned) {
    context.out << "  pending " << timer.kind << " at " << shown_time(timer.due_at, context.style) << "\n";
  }
  return Ok{};
}

}  // namespace

void add_deadline_commands(CLI::App& app, Context& context) {
  CLI::App* calendar = app.add_subcommand("calendar", "The working-day calendar: show, check, reload");
  calendar->require_subcommand(1);
  auto year = std::make_shared<int>(2026);
  CLI::App* show_command =
      calendar->add_subcommand("show", "List the non-working days of YEAR (and worked weekend days)");
  show_command->add_option("year", *year, "The year")->required()->check(CLI::Range(1900, 2200));
  show_command->callback(
      [&context, year] { with_workspace(context, [&](Workspace& s) { return show(context, s, *year); }); });
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* check_command = calendar->add_subcommand("check", "Validate calendar files; exit 1 when any has an error");
  check_command->add_option("files", *files, "Calendar files (JSON)")->required();
  check_command->callback([&context, files] { check(context, *files); });
  calendar->add_subcommand("reload", "Install changed calendar files and recompute every open deadline")
      ->callback([&context] { with_workspace(context, [&](Workspace& s) { return reload(context, s); }); });

  CLI::App* deadline = app.add_subcommand("deadline", "How due dates were computed");
  deadline->require_subcommand(1);
  auto number = std::make_shared<std::string>();
  CLI::App* explain_command =
      deadline->add_subcommand("explain", "Show the anchor, the offset and every skipped day of a case's due date");
  explain_command->add_option("number", *number, "Case number")->required();
  explain_command->callback(
      [&context, number] { with_workspace(context, [&](Workspace& s) { return explain(context, s, *number); }); });

  app.add_subcommand("tick", "Fire every deadline timer that is due, once, and exit (for cron)")->callback([&context] {
    with_workspace(context, [&](Workspace& s) -> Status {
      auto round = fire_due_timers_once(s);
      if (!round) return round.error();
      context.out << round->fired << " timer(s) fired\n";
      return Ok{};
    });
  });
}

}  // namespace docket::cli
