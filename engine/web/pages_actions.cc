// The forms that change cases: open one (with its first document), make a transition,
// comment, assign or unassign, add a recommendation, answer one, attach a document. Each runs
// one command list through CaseStore (execute_as_reader, or open), in the writer's group
// commit, with the version the page showed: a stale form changes nothing.
#include <charconv>

#include "web/case_data.h"
#include "web/web_app.h"
#include "workspace/letters.h"

namespace docket::web {
namespace {

namespace http = server::http;

std::optional<std::int64_t> shown_version(const WebRequest& request) {
  const std::string text = request.form.value("version");
  std::int64_t version = -1;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), version);
  if (parsed.ec != std::errc() || parsed.ptr != text.data() + text.size()) return -1;  // never a case's version
  return version;
}

// Runs `commands` on the case of the path; back to its page, saying `done`.
ActionOutcome change(Workspace& workspace, const WebRequest& request, const std::vector<Command>& commands,
                     const std::string& done, const std::vector<Upload>& uploads = {}) {
  const std::string& number = request.params.at("number");
  const std::string page = "/cases/" + number;
  auto changed = workspace.cases().execute_as_reader({request.viewer.user, request.viewer.admin}, number, commands,
                                                     shown_version(request), uploads);
  if (!changed) return {"", changed.error(), page};
  return {page + "?done=" + done, std::nullopt, page};
}

// The fields of a form: inputs named "field.<id>".
FieldValues fields_of(const Form& form) {
  FieldValues fields;
  for (const auto& [name, value] : form.values) {
    if (name.rfind("field.", 0) == 0 && !value.empty()) fields[name.substr(6)] = value;
  }
  return fields;
}

std::optional<Upload> upload_of(const Form& form, const std::string& input) {
  const FormFile* file = form.file(input);
  if (file == nullptr) return std::nullopt;
  const std::string type = file->media_type.empty() || file->media_type == "application/octet-stream"
                               ? guess_media_type(file->file_name)
                               : file->media_type;
  return Upload{file->file_name, type, file->content};
}

ActionOutcome move(Workspace& workspace, WebRequest& request) {
  return change(workspace, request,
                {MoveCase{request.form.value("transition"), fields_of(request.form), request.form.value("comment")}},
                "moved");
}

ActionOutcome comment(Workspace& workspace, WebRequest& request) {
  return change(workspace, request, {AddComment{request.form.value("text")}}, "commented");
}

ActionOutcome assign(Workspace& workspace, WebRequest& request) {
  if (request.form.value("unassign") == "1") return change(workspace, request, {UnassignCase{}}, "unassigned");
  return change(workspace, request, {AssignCase{request.form.value("assignee")}}, "assigned");
}

// Sets the fields whose value the form changed (an emptied one is cleared).
ActionOutcome set_fields(Workspace& workspace, WebRequest& request) {
  auto current = workspace.cases().read(request.params.at("number"));
  FieldValues changed;
  for (const auto& [name, value] : request.form.values) {
    if (name.rfind("field.", 0) != 0) continue;
    const std::string id = name.substr(6);
    const auto have = current ? (*current)->fields.find(id) : decltype((*current)->fields.end()){};
    const std::string before = current && have != (*current)->fields.end() ? have->second : "";
    if (value != before) changed[id] = value;
  }
  return change(workspace, request, {SetFields{changed}}, "fields");
}

ActionOutcome recommend(Workspace& workspace, WebRequest& request) {
  return change(workspace, request, {AddRecommendation{request.form.value("addressee"), request.form.value("text")}},
                "recommended");
}

ActionOutcome answer(Workspace& workspace, WebRequest& request) {
  int number = 0;
  const std::string given = request.form.value("recommendation");
  std::from_chars(given.data(), given.data() + given.size(), number);
  std::vector<Command> commands;
  std::vector<Upload> uploads;
  AnswerRecommendation answering{number, request.form.value("status"), request.form.value("text"), ""};
  if (auto reply = upload_of(request.form, "reply")) {
    answering.reply_document = reply->sha256();
    uploads.push_back(std::move(*reply));
  }
  commands.emplace_back(std::move(answering));
  return change(workspace, request, commands, "answered", uploads);
}

ActionOutcome attach(Workspace& workspace, WebRequest& request) {
  auto file = upload_of(request.form, "file");
  const std::string page = "/cases/" + request.params.at("number");
  if (!file) return {"", make_error(ErrorCode::invalid_argument, text(request.language, "choose_file")), page};
  const std::string kind = request.form.value("kind");
  AttachDocument attaching{kind, file->file_name, file->sha256(), static_cast<std::int64_t>(file->content.size()),
                           file->media_type};
  return change(workspace, request, {attaching}, "attached", {std::move(*file)});
}

// Issues a document of the case (the letter, the supervision report, the critique document, the
// periodic report): the next number of the unit's register, kept with the case
// (workspace/letters.h); the page then lists it under its number.
ActionOutcome issue(Workspace& workspace, WebRequest& request) {
  const std::string& number = request.params.at("number");
  const std::string page = "/cases/" + number;
  if (request.options == nullptr || !request.options->letterhead)
    return {"", make_error(ErrorCode::not_found, "no letterhead is configured (docket serve --documents-config)"),
            page};
  const auto which = case_document_named(request.params.at("document"));
  if (!which)
    return {"", make_error(ErrorCode::not_found, "no document " + in_quotes(request.params.at("document"))), page};
  auto current = workspace.cases().read(number);
  if (current && shown_version(request) != (*current)->version) {
    return {"", make_error(ErrorCode::conflict, "case " + number + " changed since you read it; reload and try again"),
            page};
  }
  const DocumentSource source{*request.options->letterhead, request.options->document_templates};
  auto issued = issue_case_document(workspace, {request.viewer.user, request.viewer.admin}, number, *which, source,
                                    document_file_name(*which, number));
  if (!issued) return {"", issued.error(), page};
  return {page + "?done=issued#documents", std::nullopt, page};
}

// Opens a case of the form's workflow, with its first document when one was chosen: both or
// neither (the writer undoes the opening when the document is refused).
ActionOutcome open(Workspace& workspace, WebRequest& request) {
  const std::string workflow = request.form.value("workflow");
  const std::string page = "/cases/new?workflow=" + url_encode(workflow);
  OpenCase opening{"", request.form.value("title"), request.form.value("unit"), fields_of(request.form)};
  auto opened = workspace.cases().open(workflow, request.viewer.user, opening);
  if (!opened) return {"", opened.error(), page};
  if (auto file = upload_of(request.form, "file")) {
    AttachDocument attaching{request.form.value("kind"), file->file_name, file->sha256(),
                             static_cast<std::int64_t>(file->content.size()), file->media_type};
    auto attached =
        workspace.cases().execute(opened->number, request.viewer.user, {attaching}, std::nullopt, {std::move(*file)});
    if (!attached) return {"", attached.error(), page};
  }
  return {"/cases/" + opened->number + "?done=opened", std::nullopt, page};
}

// The form to open a case: the workflows the viewer may open, then the chosen one's fields.
ApiResponse new_case(Workspace& workspace, WebRequest& request) {
  const Language& language = request.language;
  Data data;
  const std::string chosen =
      request.form.value("workflow").empty() ? request.query_value("workflow") : request.form.value("workflow");
  List workflows{Data::type::list};
  const WorkflowDefinition* definition = nullptr;
  for (const WorkflowDefinition* candidate : workspace.catalog().latest_of_each()) {
    Data item;
    item.set("id", candidate->id);
    item.set("label", label(language, candidate->title));
    if (candidate->id == chosen) {
      item.set("selected", true);
      definition = candidate;
    }
    workflows.push_back(item);
  }
  data.set("workflows", workflows);
  if (request.refused) data.set("error", request.refused->message);
  if (definition != nullptr) {
    data.set("workflow", definition->id);
    data.set("workflow_label", label(language, definition->title));
    data.set("title", request.form.value("title"));
    List units{Data::type::list};
    auto user = workspace.directory().user(request.viewer.user);
    if (user) {
      for (const UserRole& held : user->roles) {
        if (std::find(definition->permissions.open.begin(), definition->permissions.open.end(), held.role) ==
            definition->permissions.open.end())
          continue;
        Data unit;
        unit.set("id", held.unit);
        unit.set("name", unit_name(workspace, held.unit));
        if (held.unit == request.form.value("unit")) unit.set("selected", true);
        units.push_back(unit);
      }
    }
    data.set("units", units);
    List inputs{Data::type::list};
    for (const FieldDefinition& field : definition->fields) {
      inputs.push_back(field_input(workspace, *definition, field, request.form.value("field." + field.id),
                                   field.required_at_open, language));
    }
    data.set("inputs", inputs);
    data.set("kinds", document_kinds(*definition, language));
  }
  return html(render_page("new_case", data, language, request.viewer, text(language, "open_case"), request.path));
}

}  // namespace

void add_case_actions(std::vector<WebRoute>& routes) {
  routes.push_back({.method = verb::get, .pattern = "/cases/new", .page = new_case});
  routes.push_back({.method = verb::post, .pattern = "/cases", .action = open});
  routes.push_back({.method = verb::post, .pattern = "/cases/{number}/move", .action = move});
  routes.push_back({.method = verb::post, .pattern = "/cases/{number}/comment", .action = comment});
  routes.push_back({.method = verb::post, .pattern = "/cases/{number}/assign", .action = assign});
  routes.push_back({.method = verb::post, .pattern = "/cases/{number}/recommend", .action = recommend});
  routes.push_back({.method = verb::post, .pattern = "/cases/{number}/fields", .action = set_fields});
  routes.push_back({.method = verb::post, .pattern = "/cases/{number}/answer", .action = answer});
  routes.push_back({.method = verb::post, .pattern = "/cases/{number}/attach", .action = attach});
  routes.push_back({.method = verb::post, .pattern = "/cases/{number}/issue/{document}", .action = issue});
}

}  // namespace docket::web
