// The workflow pages: every installed workflow, and one workflow's stage graph (an SVG drawn
// on the server), each stage's deadline in words and who may make each transition.
#include "core/acting.h"
#include "core/deadline.h"
#include "web/stage_graph.h"
#include "web/web_app.h"

namespace docket::web {
namespace {

namespace http = server::http;

std::string role_text(const WorkflowDefinition& definition, const std::string& entry, const Language& language) {
  const auto parsed = parse_role_entry(entry);
  if (!parsed) return entry;
  const Choice* role = definition.role(parsed->role);
  std::string shown = role ? label(language, role->label) : parsed->role;
  if (parsed->scope == RoleScope::above) shown += " (" + text(language, "scope_above") + ")";
  if (parsed->scope == RoleScope::escalated) shown += " (" + text(language, "scope_escalated") + ")";
  return shown;
}

std::string deadline_words(const WorkflowDefinition& definition, const DeadlineSpec& spec, const Language& language) {
  const FieldDefinition* anchor = definition.field(spec.anchor);
  std::string words = day_count(spec.offset, spec.unit, language.code) + " " +
                      text(language, spec.direction == DeadlineDirection::after ? "after" : "before") + " " +
                      (spec.anchor == DeadlineSpec::kEntered ? text(language, "anchor_entered")
                                                             : (anchor ? label(language, anchor->label) : spec.anchor));
  if (spec.roll_to_working_day) words += "; " + text(language, "rolls_to_working_day");
  if (!spec.reminders.empty()) {
    std::string days;
    for (const int day : spec.reminders) days += (days.empty() ? "" : ", ") + std::to_string(day);
    words += "; " + text(language, "reminders_before") + " " + days;
  }
  if (spec.escalate_after) {
    const Choice* role = definition.role(spec.escalate_to);
    words += "; " + text(language, "escalates_to") + " " + (role ? label(language, role->label) : spec.escalate_to);
  }
  return words;
}

ApiResponse workflow_list(Workspace& workspace, WebRequest& request) {
  List workflows{Data::type::list};
  for (const WorkflowDefinition* definition : workspace.catalog().latest_of_each()) {
    Data item;
    item.set("id", definition->id);
    item.set("title", label(request.language, definition->title));
    item.set("description", label(request.language, definition->description));
    item.set("version", std::to_string(definition->version));
    workflows.push_back(item);
  }
  Data data;
  data.set("workflows", workflows);
  return html(render_page("workflows", data, request.language, request.viewer, text(request.language, "workflows"),
                          request.path));
}

ApiResponse workflow_page(Workspace& workspace, WebRequest& request) {
  const WorkflowDefinition* definition = workspace.catalog().latest(request.params.at("id"));
  if (definition == nullptr) {
    return message_page(request, http::status::not_found, text(request.language, "not_found"),
                        text(request.language, "not_found_text"));
  }
  const Language& language = request.language;
  Data data;
  data.set("title", label(language, definition->title));
  data.set("description", label(language, definition->description));
  data.set("version", std::to_string(definition->version));
  data.set("graph", stage_graph_svg(*definition, language));
  List stages{Data::type::list};
  for (const StageDefinition& stage : definition->stages) {
    Data item;
    item.set("label", label(language, stage.label));
    if (stage.terminal) item.set("terminal", true);
    if (stage.deadline) item.set("deadline", deadline_words(*definition, *stage.deadline, language));
    stages.push_back(item);
  }
  data.set("stages", stages);
  List transitions{Data::type::list};
  for (const TransitionDefinition& transition : definition->transitions) {
    Data item;
    item.set("label", label(language, transition.label));
    std::string from;
    if (transition.from_any) from = text(language, "any_stage");
    for (const std::string& id : transition.from) {
      const StageDefinition* stage = definition->stage(id);
      from += (from.empty() ? "" : ", ") + (stage ? label(language, stage->label) : id);
    }
    item.set("from", from);
    const StageDefinition* to = definition->stage(transition.to);
    item.set("to", to ? label(language, to->label) : transition.to);
    std::string who;
    for (const std::string& entry : transition.roles)
      who += (who.empty() ? "" : ", ") + role_text(*definition, entry, language);
    item.set("who", who);
    std::string needs;
    for (const std::string& id : transition.requires_.fields) {
      const FieldDefinition* field = definition->field(id);
      needs += (needs.empty() ? "" : ", ") + (field ? label(language, field->label) : id);
    }
    for (const std::string& kind_id : transition.requires_.documents) {
      const Choice* kind = definition->document_kind(kind_id);
      needs += (needs.empty() ? "" : ", ") + (kind ? label(language, kind->label) : kind_id);
    }
    if (transition.requires_.all_recommendations_answered)
      needs += (needs.empty() ? "" : ", ") + text(language, "all_answered");
    item.set("needs", needs);
    transitions.push_back(item);
  }
  data.set("transitions", transitions);
  return html(
      render_page("workflow", data, language, request.viewer, label(language, definition->title), request.path));
}

}  // namespace

void add_workflow_pages(std::vector<WebRoute>& routes) {
  routes.push_back({.method = verb::get, .pattern = "/workflows", .page = workflow_list});
  routes.push_back({.method = verb::get, .pattern = "/workflows/{id}", .page = workflow_page});
}

}  // namespace docket::web
