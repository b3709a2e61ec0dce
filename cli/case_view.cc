// docket case show|history: one case as the acting user (--as) may read it.
#include "case_view.h"

#include <CLI/CLI.hpp>

#include <memory>

#include "command_support.h"
#include "core/deadline.h"
#include "timeline.h"

namespace docket::cli {
namespace {

std::string stage_label(const WorkflowDefinition* definition, const std::string& stage) {
  const StageDefinition* found = definition != nullptr ? definition->stage(stage) : nullptr;
  return found != nullptr ? found->label.vi + " / " + found->label.en : "";
}

// "2026-06-29 (breached at 2026-06-29T17:00:00Z; escalated to standing_board @ ninh-binh)".
std::string open_deadline(const Case& state) {
  if (!state.deadline) return "";
  const CaseDeadline& d = *state.deadline;
  std::string text = d.due + (d.breached ? " (overdue since " : " (breached at ") + format_timestamp(d.due_at);
  if (!d.escalated_to_role.empty()) text += "; escalated to " + d.escalated_to_role + " @ " + d.escalated_to_unit;
  if (!d.provisional.empty()) text += "; provisional: " + d.provisional;
  return text + ")";
}

// Said on stderr after the case, so that a provisional due date is not taken for a final one.
void warn_if_provisional(Context& context, const Case& state) {
  if (state.deadline && !state.deadline->provisional.empty())
    context.err << "warning: " << state.number << ": " << provisional_warning(*state.deadline) << "\n";
}

Record case_record(const Case& state, const WorkflowDefinition* definition) {
  return {{"number", state.number},
          {"title", state.title},
          {"workflow", state.workflow_id + " v" + std::to_string(state.workflow_version)},
          {"stage", state.stage},
          {"stage_label", stage_label(definition, state.stage)},
          {"unit", state.unit},
          {"assignee", state.assignee},
          {"version", std::to_string(state.version)},
          {"opened", format_timestamp(state.opened_at) + " by " + state.opened_by},
          {"stage_entered_at", format_timestamp(state.stage_entered_at)},
          {"due", open_deadline(state)},
          {"updated_at", format_timestamp(state.updated_at)}};
}

Table field_table(const Case& state, const WorkflowDefinition* definition) {
  Table table{{{"field"}, {"label"}, {"value"}}, {}};
  for (const auto& [id, value] : state.fields) {
    const FieldDefinition* field = definition != nullptr ? definition->field(id) : nullptr;
    table.rows.push_back({id, field != nullptr ? field->label.vi : "", value});
  }
  return table;
}

Table document_table(const Case& state) {
  Table table{{{"kind"},
               {"version", true},
               {"file_name"},
               {"size", true},
               {"media_type"},
               {"attached_at"},
               {"attached_by"},
               {"sha256"}},
              {}};
  for (const DocumentRecord& document : state.documents) {
    table.rows.push_back({document.kind, std::to_string(document.version), document.file_name,
                          std::to_string(document.size), document.media_type, format_timestamp(document.attached_at),
                          document.attached_by, document.sha256});
  }
  return table;
}

std::string optional_time(const std::optional<Timestamp>& at) { return at ? format_timestamp(*at) : ""; }

Table recommendation_table(const Case& state) {
  Table table{{{"number", true}, {"to"}, {"status"}, {"made_at"}, {"answered_at"}, {"text"}, {"answer"}}, {}};
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
    print_table(context.out, table, OutputFormat::table);
  }
}

void write_case_json(JsonWriter& json, const Case& state, const WorkflowDefinition* definition) {
  const StageDefinition* stage = definition != nullptr ? definition->stage(state.stage) : nullptr;
  write_member(json, "number", state.number);
  write_member(json, "title", state.title);
  write_member(json, "workflow", state.workflow_id);
  write_member(json, "workflow_version", state.workflow_version);
  write_string(json, "stage");
  json.StartObject();
  write_member(json, "id", state.stage);
  write_member(json, "vi", stage != nullptr ? stage->label.vi : "");
  write_member(json, "en", stage != nullptr ? stage->label.en : "");
  write_string(json, "terminal");
  json.Bool(stage != nullptr && stage->terminal);
  json.EndObject();
  write_member(json, "unit", state.unit);
  write_optional_member(json, "assignee", state.assignee);
  write_member(json, "version", state.version);
  write_member(json, "opened_by", state.opened_by);
  write_member(json, "opened_at", format_timestamp(state.opened_at));
  write_member(json, "stage_entered_at", format_timestamp(state.stage_entered_at));
  write_member(json, "updated_at", format_timestamp(state.updated_at));
  write_string(json, "fields");
  json.StartObject();
  for (const auto& [id, value] : state.fields) write_member(json, id, value);
  json.EndObject();
}

void write_documents_json(JsonWriter& json, const Case& state) {
  write_string(json, "documents");
  json.StartArray();
  for (const DocumentRecord& document : state.documents) {
    json.StartObject();
    write_member(json, "kind", document.kind);
    write_member(json, "version", document.version);
    write_member(json, "file_name", document.file_name);
    write_member(json, "size", document.size);
    write_member(json, "media_type", document.media_type);
    write_member(json, "sha256", document.sha256);
    write_member(json, "attached_at", format_timestamp(document.attached_at));
    write_member(json, "attached_by", document.attached_by);
    json.EndObject();
  }
  json.EndArray();
}

void write_recommendations_json(JsonWriter& json, const Case& state) {
  write_string(json, "recommendations");
  json.StartArray();
  for (const Recommendation& made : state.recommendations) {
    json.StartObject();
    write_member(json, "number", made.number);
    write_member(json, "to", made.addressee);
    write_member(json, "text", made.text);
    write_member(json, "status", to_string(made.status));
    write_member(json, "made_at", format_timestamp(made.made_at));
    write_optional_member(json, "answered_at", optional_time(made.answered_at));
    write_optional_member(json, "answer", made.answer_text);
    write_optional_member(json, "reply_document", made.reply_document);
    json.EndObject();
  }
  json.EndArray();
}

void print_show_json(Context& context, const Case& state, const std::vector<StoredEvent>& events,
                     const WorkflowDefinition* definition) {
  rapidjson::StringBuffer buffer;
  JsonWriter json(buffer);
  json.StartObject();
  write_case_json(json, state, definition);
  write_documents_json(json, state);
  write_recommendations_json(json, state);
  write_string(json, "timeline");
  write_timeline(json, events, definition);
  json.EndObject();
  context.out << buffer.GetString() << "\n";
}

// CSV has no room for nested lists: the case's record, then its fields as "field.<id>".
void print_show_csv(Context& context, const Case& state, const WorkflowDefinition* definition) {
  Record record = case_record(state, definition);
  for (const auto& [id, value] : state.fields) record.emplace_back("field." + id, value);
  print_record(context.out, record, OutputFormat::csv);
}

void print_show_text(Context& context, const Case& state, const std::vector<StoredEvent>& events,
                     const WorkflowDefinition* definition) {
  print_record(context.out, case_record(state, definition), OutputFormat::table);
  print_section(context, "FIELDS", field_table(state, definition));
  print_section(context, "DOCUMENTS", document_table(state));
  print_section(context, "RECOMMENDATIONS", recommendation_table(state));
  print_section(context, "TIMELINE", timeline_table(events, definition, false));
}

Status show(Context& context, Workspace& workspace, const Reader& reader, const std::string& number) {
  auto state = readable_case(workspace, reader, number);
  if (!state) return state.error();
  auto events = workspace.cases().history(number);
  if (!events) return events.error();
  const WorkflowDefinition* definition = workspace.catalog().find(state->workflow_id, state->workflow_version);
  switch (context.format) {
    case OutputFormat::json:
      print_show_json(context, *state, *events, definition);
      break;
    case OutputFormat::csv:
      print_show_csv(context, *state, definition);
      break;
    case OutputFormat::table:
      print_show_text(context, *state, *events, definition);
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
    print_table(context.out, timeline_table(*events, definition, true), context.format);
  }
  return Ok{};
}

}  // namespace

Result<Case> readable_case(Workspace& workspace, const Reader& reader, const std::string& number) {
  auto state = workspace.cases().get(number);
  if (!state) return state.error();
  if (!workspace.access().can_read(reader, *state)) return unknown_case(number);
  return state;
}

void print_case_summary(Context& context, const WorkflowCatalog& catalog, const Case& state) {
  const WorkflowDefinition* definition = catalog.find(state.workflow_id, state.workflow_version);
  print_record(context.out,
               {{"number", state.number},
                {"stage", state.stage},
                {"stage_label", stage_label(definition, state.stage)},
                {"assignee", state.assignee},
                {"version", std::to_string(state.version)}},
               context.format);
}

void add_case_view_commands(CLI::App& cases, Context& context) {
  auto number = std::make_shared<std::string>();
  CLI::App* show_command = cases.add_subcommand("show", "A case: fields, stage, documents, recommendations, timeline");
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
