// docket case show|history: one case as the acting user (--as) may read it.
#include "case_view.h"

#include <CLI/CLI.hpp>

#include <memory>

#include "command_support.h"
#include "core/deadline.h"
#include "server/api_types.h"
#include "store/case_references.h"
#include "timeline.h"

namespace docket::cli {
namespace {

std::string stage_label(const WorkflowDefinition* definition, const std::string& stage) {
  const StageDefinition* found = definition != nullptr ? definition->stage(stage) : nullptr;
  return found != nullptr ? found->label.vi + " / " + found->label.en : "";
}

// "14/01/2027 (on time; late from 15/01/2027 00:00)", "29/06/2026 (overdue since 30/06/2026
// 00:00; escalated to standing_board @ ninh-binh)": the due day, and when it is (or was) breached.
std::string open_deadline(const Case& state, const Style& style) {
  if (!state.deadline) return "";
  const CaseDeadline& d = *state.deadline;
  std::string text = shown_date(d.due, style) + (d.breached ? " (overdue since " : " (on time; late from ") +
                     shown_time(d.due_at, style);
  if (!d.escalated_to_role.empty()) text += "; escalated to " + d.escalated_to_role + " @ " + d.escalated_to_unit;
  if (!d.provisional.empty()) text += "; provisional: " + d.provisional;
  return text + ")";
}

// Said on stderr after the case, so that a provisional due date is not taken for a final one.
void warn_if_provisional(Context& context, const Case& state) {
  if (state.deadline && !state.deadline->provisional.empty())
    context.err << "warning: " << state.number << ": " << provisional_warning(*state.deadline) << "\n";
}

Record case_record(const Case& state, const WorkflowDefinition* definition, const Style& style) {
  return {{"number", state.number},
          {"title", state.title},
          {"workflow", state.workflow_id + " v" + std::to_string(state.workflow_version)},
          {"stage", state.stage},
          {"stage_label", stage_label(definition, state.stage)},
          {"unit", state.unit},
          {"assignee", state.assignee},
          {"version", std::to_string(state.version)},
          {"opened", shown_time(state.opened_at, style) + " by " + state.opened_by},
          {"stage_entered_at", shown_time(state.stage_entered_at, style)},
          {"due", open_deadline(state, style)},
          {"updated_at", shown_time(state.updated_at, style)}};
}

// Where an imported case came from (store/case_references.h): the day the committee opened it
// on paper, and the file, row and reference of the import. Nothing for a case opened in Docket.
Record import_record(const std::optional<CaseReference>& imported, const Style& style) {
  if (!imported) return {};
  Record record;
  if (!imported->opened_on.empty()) record.emplace_back("opened_on_paper", shown_date(imported->opened_on, style));
  record.emplace_back("imported_from", imported->source + ", row " + std::to_string(imported->source_row) +
                                           " (reference " + in_quotes(imported->reference) + "), by " +
                                           imported->imported_by + " at " + shown_time(imported->imported_at, style));
  return record;
}

// A field's value as people read it: a date or a time as shown_date/shown_time show it.
std::string shown_value(const FieldDefinition* field, const std::string& value, const Style& style) {
  if (field == nullptr) return value;
  if (field->type == FieldType::date) return shown_date(value, style);
  if (field->type == FieldType::datetime) return shown_time(value, style);
  return value;
}

Table field_table(const Case& state, const WorkflowDefinition* definition, const Style& style) {
  Table table{{{"field"}, {"label"}, {"value"}}, {}};
  for (const auto& [id, value] : state.fields) {
    const FieldDefinition* field = definition != nullptr ? definition->field(id) : nullptr;
    table.rows.push_back({id, field != nullptr ? field->label.vi : "", shown_value(field, value, style)});
  }
  return table;
}

Table document_table(const Case& state) {
  Table table{{{"kind"},
               {"version", true},
               {"file_name"},
               {"size", true},
               {"media_type"},
               {"attached_at", false, Moment::time},
               {"attached_by"},
               {"reference"},
               {"sha256"}},
              {}};
  for (const DocumentRecord& document : state.documents) {
    table.rows.push_back({document.kind, std::to_string(document.version), document.file_name,
                          std::to_string(document.size), document.media_type, format_timestamp(document.attached_at),
                          document.attached_by, document.reference, document.sha256});
  }
  return table;
}

std::string optional_time(const std::optional<Timestamp>& at) { return at ? format_timestamp(*at) : ""; }

Table recommendation_table(const Case& state) {
  Table table{{{"number", true},
               {"to"},
               {"status"},
               {"made_at", false, Moment::time},
               {"answered_at", false, Moment::time},
               {"text"},
               {"answer"}},
              {}};
  for (const Recommendation& made : state.recommendations) {
    table.rows.push_back({std::to_string(made.number), made.addressee, to_string(made.status),
                          format_timestamp(made.made_at), optional_time(made.answered_at), made.text,
                          made.answer_text});
  }
  return table;
}

void print_section(Context& context, const char* heading, const Table& table) {
  context.out << "\n" << heading << "\n";
  if (table.rows.empty()) {
    context.out << "(none)\n";
  } else {
    print_table(context.out, table, OutputFormat::table, context.style);
  }
}

// CSV has no room for nested lists: the case's record (dates and times in their canonical
// forms, as in JSON), then its fields as "field.<id>".
void print_show_csv(Context& context, const Case& state, const WorkflowDefinition* definition,
                    const std::optional<CaseReference>& imported) {
  Style canonical = context.style;
  canonical.utc = true;
  Record record = case_record(state, definition, canonical);
  for (auto& pair : import_record(imported, canonical)) record.push_back(std::move(pair));
  for (const auto& [id, value] : state.fields) record.emplace_back("field." + id, value);
  print_record(context.out, record, OutputFormat::csv, context.style);
}

void print_show_text(Context& context, const Case& state, const std::vector<StoredEvent>& events,
                     const WorkflowDefinition* definition, const std::optional<CaseReference>& imported) {
  Record record = case_record(state, definition, context.style);
  for (auto& pair : import_record(imported, context.style)) record.push_back(std::move(pair));
  print_record(context.out, record, OutputFormat::table, context.style);
  print_section(context, "FIELDS", field_table(state, definition, context.style));
  print_section(context, "DOCUMENTS", document_table(state));
  print_section(context, "RECOMMENDATIONS", recommendation_table(state));
  print_section(context, "TIMELINE", timeline_table(events, definition, false));
}

Status show(Context& context, Workspace& workspace, const Reader& reader, const std::string& number) {
  auto state = readable_case(workspace, reader, number);
  if (!state) return state.error();
  auto events = workspace.cases().history(number);
  if (!events) return events.error();
  auto imported = reference_of_case(workspace.database(), number);
  if (!imported) return imported.error();
  const WorkflowDefinition* definition = workspace.catalog().find(state->workflow_id, state->workflow_version);
  switch (context.format) {
    case OutputFormat::json:
      context.out << case_json(*state, definition, true) << "\n";
      break;
    case OutputFormat::csv:
      print_show_csv(context, *state, definition, *imported);
      break;
    case OutputFormat::table:
      print_show_text(context, *state, *events, definition, *imported);
      break;
  }
  warn_if_provisional(context, *state);
  return Ok{};
}

Status history(Context& context, Workspace& workspace, const Reader& reader, const std::string& number) {
  auto state = readable_case(workspace, reader, number);
  if (!state) return state.error();
  auto events = workspace.cases().history(number);
  if (!events) return events.error();
  const WorkflowDefinition* definition = workspace.catalog().find(state->workflow_id, state->workflow_version);
  if (context.format == OutputFormat::json) {
    rapidjson::StringBuffer buffer;
    JsonWriter json(buffer);
    write_timeline(json, *events, definition);
    context.out << buffer.GetString() << "\n";
  } else {
    print_table(context.out, timeline_table(*events, definition, true), context.format, context.style);
  }
  return Ok{};
}

}  // namespace

std::string case_json(const Case& state, const WorkflowDefinition* definition, bool details) {
  return server::json_text([&](server::Json& json) { server::write_case(json, state, definition, details); });
}

Result<Case> readable_case(Workspace& workspace, const Reader& reader, const std::string& number) {
  auto state = workspace.cases().get(number);
  if (!state) return state.error();
  if (!workspace.access().can_read(reader, *state)) return unknown_case(number);
  return state;
}

void print_case_summary(Context& context, const WorkflowCatalog& catalog, const Case& state) {
  const WorkflowDefinition* definition = catalog.find(state.workflow_id, state.workflow_version);
  if (context.format == OutputFormat::json) {
    context.out << case_json(state, definition, true) << "\n";
    return;
  }
  print_record(context.out,
               {{"number", state.number},
                {"stage", state.stage},
                {"stage_label", stage_label(definition, state.stage)},
                {"assignee", state.assignee},
                {"version", std::to_string(state.version)}},
               context.format, context.style);
}

void add_case_view_commands(CLI::App& cases, Context& context) {
  auto number = std::make_shared<std::string>();
  CLI::App* show_command = cases.add_subcommand("show",
                                                "A case: fields, stage, due date, documents, recommendations, timeline "
                                                "(--format json: the API's case object; its events: case history)");
  show_command->add_option("number", *number, "Case number")->required();
  show_command->callback([&context, number] {
    read_as_acting_user(context, [&](Workspace& s, const Reader& reader) { return show(context, s, reader, *number); });
  });

  auto history_number = std::make_shared<std::string>();
  CLI::App* history_command = cases.add_subcommand("history", "Every event of a case, with actor, time and hash");
  history_command->add_option("number", *history_number, "Case number")->required();
  history_command->callback([&context, history_number] {
    read_as_acting_user(
        context, [&](Workspace& s, const Reader& reader) { return history(context, s, reader, *history_number); });
  });
}

}  // namespace docket::cli
