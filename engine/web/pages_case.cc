// The case page: everything about one case, what the viewer may do next (core/case_actions.h
// through CaseStore::actions_for), and its documents' downloads.
#include <set>

#include "core/acting.h"
#include "core/deadline.h"
#include "store/case_references.h"
#include "web/case_data.h"
#include "web/event_text.h"
#include "web/stage_graph.h"
#include "web/web_app.h"
#include "workspace/letters.h"

namespace docket::web {
namespace {

namespace http = server::http;

// The case in the path, if the viewer may read it (as the API: an unreadable case is unknown).
Result<std::shared_ptr<const Case>> readable_case(Workspace& workspace, const WebRequest& request) {
  auto found = workspace.cases().read(request.params.at("number"));
  if (!found && found.error().code != ErrorCode::not_found) return found.error();
  if (!found || !workspace.access().can_read({request.viewer.user, request.viewer.admin}, **found))
    return unknown_case(request.params.at("number"));
  return found;
}

ApiResponse not_found(const WebRequest& request) {
  return message_page(request, http::status::not_found, text(request.language, "not_found"),
                      text(request.language, "case_not_found"));
}

// The deadline: due date, days left, and how it was counted.
Data deadline_data(Workspace& workspace, const WorkflowDefinition& definition, const Case& current,
                   const Language& language) {
  Data deadline;
  const CaseDeadline& recorded = *current.deadline;
  deadline.set("due", show_date(recorded.due));
  const Timestamp now = workspace.clock().now();
  if (recorded.breached || now >= recorded.due_at) deadline.set("overdue", true);
  if (!recorded.escalated_to_role.empty()) {
    const Choice* role = definition.role(recorded.escalated_to_role);
    deadline.set("escalated_to", (role ? label(language, role->label) : recorded.escalated_to_role) + " — " +
                                     unit_name(workspace, recorded.escalated_to_unit));
  }
  if (!recorded.provisional.empty()) deadline.set("provisional", recorded.provisional);
  const StageDefinition* stage = definition.stage(recorded.stage);
  if (stage == nullptr || !stage->deadline) return deadline;
  const DeadlineSpec& spec = *stage->deadline;
  const auto due = parse_date(recorded.due);
  if (due) {
    const int left = days_left(workspace.calendar(), vietnam_date(now), *due, spec.unit);
    deadline.set("days_left", day_count(left, spec.unit, language.code));
  }
  auto counted = compute_due_date(*stage, current, current.stage_entered_at, workspace.calendar());
  if (!counted) return deadline;
  const FieldDefinition* anchor_field = definition.field(counted->anchor);
  deadline.set("anchor", counted->anchor == DeadlineSpec::kEntered
                             ? text(language, "anchor_entered")
                             : (anchor_field ? label(language, anchor_field->label) : counted->anchor));
  deadline.set("anchor_date", show_date(counted->anchor_date));
  deadline.set("offset", day_count(spec.offset, spec.unit, language.code));
  deadline.set("direction", text(language, spec.direction == DeadlineDirection::after ? "after" : "before"));
  List skipped{Data::type::list};
  for (const SkippedDay& day : counted->skipped) {
    Data item;
    item.set("date", show_date(day.date));
    item.set("reason", day.reason);
    skipped.push_back(item);
  }
  if (!counted->skipped.empty()) {
    deadline.set("skipped", skipped);
    deadline.set("has_skipped", true);
  }
  if (counted->rolled_from) deadline.set("rolled_from", show_date(*counted->rolled_from));
  return deadline;
}

// The form of one transition: its fields (as typed, when this very form was refused).
Data transition_data(Workspace& workspace, const WorkflowDefinition& definition, const Case& current,
                     const TransitionChoice& choice, const WebRequest& request) {
  const TransitionDefinition& transition = *choice.transition;
  const bool refused_here = request.refused && request.form.value("transition") == transition.id;
  Data data;
  data.set("id", transition.id);
  data.set("label", label(request.language, transition.label));
  const StageDefinition* to = definition.stage(transition.to);
  data.set("to", to ? label(request.language, to->label) : transition.to);
  List inputs{Data::type::list};
  for (const std::string& id : transition.sets) {
    const FieldDefinition* field = definition.field(id);
    if (field == nullptr) continue;
    const auto have = current.fields.find(id);
    const std::string value =
        refused_here ? request.form.value("field." + id) : (have == current.fields.end() ? "" : have->second);
    inputs.push_back(field_input(workspace, definition, *field, value, true, request.language));
  }
  if (!transition.sets.empty()) data.set("inputs", inputs);
  if (refused_here) {
    data.set("comment", request.form.value("comment"));
    data.set("error", request.refused->message);
    data.set("open", true);
  }
  List unmet{Data::type::list};
  for (const Error& missing : choice.unmet) {
    Data item;
    item.set("text", missing.message);
    unmet.push_back(item);
  }
  if (!choice.unmet.empty()) {
    data.set("unmet", unmet);
    data.set("has_unmet", true);
  } else {
    data.set("enabled", true);
  }
  return data;
}

// The stages the case has been in.
std::set<std::string> visited_stages(const std::vector<StoredEvent>& history) {
  std::set<std::string> visited;
  for (const StoredEvent& stored : history) {
    if (const auto* opened = std::get_if<CaseOpened>(&stored.event.payload)) visited.insert(opened->stage);
    if (const auto* moved = std::get_if<StageChanged>(&stored.event.payload)) visited.insert(moved->to);
  }
  return visited;
}

// The stages, with the ones the case went through and the one it is in marked.
List stages_data(const WorkflowDefinition& definition, const Case& current, const std::set<std::string>& visited,
                 const Language& language) {
  List stages{Data::type::list};
  for (const StageDefinition& stage : definition.stages) {
    Data item;
    item.set("label", label(language, stage.label));
    if (stage.id == current.stage)
      item.set("current", true);
    else if (visited.count(stage.id))
      item.set("visited", true);
    stages.push_back(item);
  }
  return stages;
}

List recommendations_data(Workspace& workspace, const Case& current, const CaseActions& actions,
                          const WebRequest& request) {
  List list{Data::type::list};
  for (const Recommendation& recommendation : current.recommendations) {
    Data item;
    item.set("number", std::to_string(recommendation.number));
    item.set("addressee", user_name(workspace, recommendation.addressee));
    item.set("text", recommendation.text);
    item.set("status", recommendation_status_text(request.language, recommendation.status));
    item.set("status_id", to_string(recommendation.status));
    if (!recommendation.answer_text.empty()) item.set("answer", recommendation.answer_text);
    if (recommendation.answered_at) item.set("answered_at", show_time(*recommendation.answered_at));
    if (!recommendation.reply_document.empty())
      item.set("reply_document", "/cases/" + current.number + "/documents/" + recommendation.reply_document);
    const auto& answerable = actions.answerable;
    if (std::find(answerable.begin(), answerable.end(), recommendation.number) != answerable.end()) {
      item.set("answerable", true);
      const bool refused_here =
          request.refused && request.form.value("recommendation") == std::to_string(recommendation.number);
      if (refused_here) {
        item.set("error", request.refused->message);
        item.set("answer_typed", request.form.value("text"));
      }
    }
    list.push_back(item);
  }
  return list;
}

List documents_data(Workspace& workspace, const WorkflowDefinition& definition, const Case& current,
                    const Language& language) {
  List list{Data::type::list};
  for (const DocumentRecord& document : current.documents) {
    Data item;
    const Choice* kind = definition.document_kind(document.kind);
    // An issued document also shows its number in the outgoing register.
    // A kind the workflow does not list (a letter issued in a social critique) by the catalogue's name.
    const std::string catalogued = "kind_" + document.kind;
    std::string shown = kind                                 ? label(language, kind->label)
                        : in_catalogue(language, catalogued) ? text(language, catalogued)
                                                             : document.kind;
    if (!document.reference.empty()) shown += " · " + text(language, "issued_number") + " " + document.reference;
    item.set("kind", shown);
    item.set("file_name", document.file_name);
    item.set("version", std::to_string(document.version));
    item.set("size", std::to_string((document.size + 1023) / 1024) + " KB");
    item.set("attached_at", show_time(document.attached_at));
    item.set("attached_by", user_name(workspace, document.attached_by));
    item.set("href", "/cases/" + current.number + "/documents/" + document.sha256);
    list.push_back(item);
  }
  return list;
}

// The people an assignee may be: members of the workflow at the case's unit (or where it is
// escalated), by name.
List assignees_data(Workspace& workspace, const WorkflowDefinition& definition, const Case& current) {
  List list{Data::type::list};
  auto users = workspace.directory().users();
  if (!users) return list;
  for (const User& user : *users) {
    std::vector<std::string> roles_here;
    for (const UserRole& held : user.roles) {
      const bool here =
          held.unit == current.unit || (current.deadline && held.unit == current.deadline->escalated_to_unit);
      if (here) roles_here.push_back(held.role);
    }
    if (!holds_member_role(definition, roles_here) || user.id == current.assignee) continue;
    Data item;
    item.set("id", user.id);
    item.set("name", user.name);
    list.push_back(item);
  }
  return list;
}

// Where a case imported from a committee's spreadsheet came from: the day it was opened on
// paper, the file and row, its reference there, who imported it and when. Nothing for a case
// opened in Docket.
void add_import_source(Workspace& workspace, const Case& current, Data& data) {
  auto imported = reference_of_case(workspace.database(), current.number);
  if (!imported || !*imported) return;
  const CaseReference& reference = **imported;
  Data source;
  if (!reference.opened_on.empty()) source.set("opened_on", show_date(reference.opened_on));
  source.set("file", reference.source);
  source.set("row", std::to_string(reference.source_row));
  source.set("reference", reference.reference);
  source.set("imported_at", show_time(reference.imported_at));
  source.set("imported_by", user_name(workspace, reference.imported_by));
  data.set("imported", source);
}

// The documents the case gives (workspace/letters.h), each with its draft's link and, when
// `can_issue`, its issue button.
List case_documents_data(Workspace& workspace, const Case& current, bool can_issue, const Language& language) {
  List documents{Data::type::list};
  for (const CaseDocument which : kCaseDocuments) {
    if (!document_applies(workspace, current, which)) continue;
    const std::string name = document_name(which);
    Data item;
    item.set("id", name);
    item.set("draft_label", text(language, name + "_draft"));
    if (can_issue) item.set("issue_label", text(language, "issue_" + name));
    documents.push_back(item);
  }
  return documents;
}

ApiResponse case_page(Workspace& workspace, WebRequest& request) {
  auto found = readable_case(workspace, request);
  if (!found) return not_found(request);
  const Case& current = **found;
  const WorkflowDefinition* definition = workspace.catalog().find(current.workflow_id, current.workflow_version);
  if (definition == nullptr) return not_found(request);
  const Language& language = request.language;
  auto history = workspace.cases().history(current.number);
  auto actions = workspace.cases().actions_for(request.viewer.user, current);
  Data data = case_row(workspace, current, language);
  data.set("version", std::to_string(current.version));
  data.set("case_number", current.number);
  data.set("opened_at", show_time(current.opened_at));
  data.set("opened_by", user_name(workspace, current.opened_by));
  add_import_source(workspace, current, data);
  if (current.deadline && !current.deadline->due.empty())
    data.set("deadline", deadline_data(workspace, *definition, current, language));
  const CaseActions none;
  const CaseActions& can = actions ? *actions : none;
  List fields{Data::type::list};
  for (const FieldDefinition& field : definition->fields) {
    const auto value = current.fields.find(field.id);
    if (value == current.fields.end() || value->second.empty()) continue;
    Data item;
    item.set("label", label(language, field.label));
    item.set("value", field_text(workspace, field, value->second, language));
    fields.push_back(item);
  }
  data.set("fields", fields);
  if (can.set_fields) {
    List editable{Data::type::list};
    for (const FieldDefinition& field : definition->fields) {
      const bool typed = request.refused && request.form.value("action") == "fields";
      const auto have = current.fields.find(field.id);
      const std::string value =
          typed ? request.form.value("field." + field.id) : (have == current.fields.end() ? "" : have->second);
      editable.push_back(field_input(workspace, *definition, field, value, false, language, "set-"));
    }
    data.set("editable", editable);
    data.set("can_set_fields", true);
  }
  data.set("documents", documents_data(workspace, *definition, current, language));
  data.set("recommendations", recommendations_data(workspace, current, can, request));
  if (history) {
    data.set("timeline", timeline_data(workspace, *definition, *history, language));
    const std::set<std::string> visited = visited_stages(*history);
    data.set("stages", stages_data(*definition, current, visited, language));
    data.set("graph", stage_graph_svg(*definition, language, current.stage, visited));
  }
  List transitions{Data::type::list};
  for (const TransitionChoice& choice : can.transitions)
    transitions.push_back(transition_data(workspace, *definition, current, choice, request));
  if (!can.transitions.empty()) data.set("transitions", transitions);
  if (can.comment) data.set("can_comment", true);
  if (can.recommend) data.set("can_recommend", true);
  // With the committee's letterhead (serve --documents-config), the documents the case gives:
  // each as a draft, and an issue button for the roles that issue them.
  if (request.options != nullptr && request.options->letterhead)
    data.set("case_documents", case_documents_data(workspace, current, can.issue, language));
  if (can.attach) {
    data.set("can_attach", true);
    data.set("kinds", document_kinds(*definition, language));
  }
  if (can.assign) {
    data.set("can_assign", true);
    data.set("assignees", assignees_data(workspace, *definition, current));
    if (!current.assignee.empty()) data.set("can_unassign", true);
  }
  if (!can.answerable.empty()) data.set("can_answer", true);
  if (request.refused) {
    data.set("refused", request.refused->message);
    if (request.refused->code == ErrorCode::conflict) {
      data.set("stale", true);
      if (history)
        data.set("changes", changes_since(workspace, *definition, *history,
                                          std::atoll(request.form.value("version").c_str()), language));
    }
    const std::string action = request.form.value("action");
    if (action == "comment") data.set("comment_typed", request.form.value("text"));
    if (action == "recommend") {
      data.set("recommend_addressee", request.form.value("addressee"));
      data.set("recommend_text", request.form.value("text"));
    }
  }
  if (request.query_value("done") != "") data.set("done", text(language, "done_" + request.query_value("done")));
  return html(
      render_page("case", data, language, request.viewer, current.number + " — " + current.title, request.path));
}

ApiResponse document_download(Workspace& workspace, WebRequest& request) {
  auto found = readable_case(workspace, request);
  if (!found) return not_found(request);
  const std::string& sha256 = request.params.at("sha256");
  const DocumentRecord* record = nullptr;
  for (const DocumentRecord& document : (*found)->documents) {
    if (document.sha256 == sha256) record = &document;
  }
  bool reply_document = false;
  for (const Recommendation& recommendation : (*found)->recommendations)
    reply_document = reply_document || recommendation.reply_document == sha256;
  if (record == nullptr && !reply_document) return not_found(request);
  auto content = workspace.cases().document_content(sha256);
  if (!content && content.error().code == ErrorCode::integrity)  // changed behind Docket's back: never served
    return message_page(request, http::status::internal_server_error, text(request.language, "error"),
                        content.error().message);
  if (!content) return not_found(request);
  ApiResponse response;
  response.body = std::move(*content);
  response.content_type = record ? record->media_type : "application/octet-stream";
  const std::string name = record ? record->file_name : sha256;
  response.headers.emplace_back("Content-Disposition", server::attachment_disposition(name));
  response.headers.emplace_back("ETag", "\"" + sha256 + "\"");
  response.headers.emplace_back("Accept-Ranges", "bytes");
  response.headers.emplace_back("Cache-Control", "private, no-store");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return response;
}

// A draft of one of the case's documents (the number left blank, dated today), offered as
// `file_name`; the page of the error when it cannot be made.
ApiResponse draft_download(const WebRequest& request, Result<std::string> docx, const std::string& file_name) {
  if (!docx)
    return message_page(request, http::status::unprocessable_entity, text(request.language, "error"),
                        docx.error().message);
  ApiResponse response;
  response.body = std::move(*docx);
  response.content_type = guess_media_type(".docx");
  response.headers.emplace_back("Content-Disposition", server::attachment_disposition(file_name));
  response.headers.emplace_back("Cache-Control", "private, no-store");
  return response;
}

// A draft of `which` for the case; not found when the case does not give it.
ApiResponse document_draft(Workspace& workspace, WebRequest& request, CaseDocument which) {
  auto found = readable_case(workspace, request);
  if (!found) return not_found(request);
  if (request.options == nullptr || !request.options->letterhead) return not_found(request);
  const DocumentSource source{*request.options->letterhead, request.options->document_templates};
  const Reader reader{request.viewer.user, request.viewer.admin};
  return draft_download(request,
                        draft_document(workspace, reader, **found, which, source,
                                       documents::Issue{vietnam_date(workspace.clock().now()), ""}),
                        document_file_name(which, (*found)->number));
}

}  // namespace

void add_case_pages(std::vector<WebRoute>& routes) {
  routes.push_back({.method = verb::get, .pattern = "/cases/{number}", .page = case_page});
  routes.push_back({.method = verb::get, .pattern = "/cases/{number}/documents/{sha256}", .page = document_download});
  for (const CaseDocument which : kCaseDocuments) {
    routes.push_back({.method = verb::get,
                      .pattern = "/cases/{number}/" + std::string(document_name(which)) + ".docx",
                      .page = [which](Workspace& workspace, WebRequest& request) {
                        return document_draft(workspace, request, which);
                      }});
  }
}

}  // namespace docket::web
