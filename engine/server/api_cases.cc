// /api/v1/cases: open, list, read, history, and every command on a case.
#include <cctype>
#include <charconv>
#include <memory>
#include <unordered_map>

#include "core/state_machine.h"
#include "server/api.h"
#include "server/api_json.h"
#include "workspace/value_warnings.h"

namespace docket::server {
namespace {

// The case's JSON is made when the response is sent, off the storage thread (ApiResponse::render).
// The definition stays valid: a server's catalog is loaded once and never changes.
// The JSON of a case reading, kept by the I/O thread that rendered it for as long as that
// reading is alive. Not a cache of the database, with no invalidation rule of its own: it is
// keyed by the reading object itself, which CaseStore::read hands out again only while its
// reader cache (Database::ReaderCache) says the case is unchanged; a new reading is a new key,
// so it cannot answer stale JSON. A case read again and again is rendered once per thread.
std::string case_json(const std::shared_ptr<const Case>& state, const WorkflowDefinition* definition) {
  struct Rendered {
    std::weak_ptr<const Case> state;  // expired, or another object: rendered from another reading
    std::string json;
  };
  constexpr std::size_t kMaxRendered = 4096;
  thread_local std::unordered_map<std::string, Rendered> rendered;
  if (const auto found = rendered.find(state->number); found != rendered.end() && found->second.state.lock() == state) {
    return found->second.json;
  }
  std::string json = json_text([&](Json& out) { write_case(out, *state, definition); });
  if (rendered.size() >= kMaxRendered) {  // forget the JSON of readings the store let go first
    std::erase_if(rendered, [](const auto& entry) { return entry.second.state.expired(); });
    if (rendered.size() >= kMaxRendered) rendered.clear();
  }
  rendered.insert_or_assign(state->number, Rendered{state, json});
  return json;
}

ApiResponse case_response(Workspace& workspace, std::shared_ptr<const Case> current,
                          http::status status = http::status::ok) {
  ApiResponse response;
  response.status = status;
  response.headers.emplace_back("ETag", etag_of(*current));
  const WorkflowDefinition* definition = workspace.catalog().find(current->workflow_id, current->workflow_version);
  response.render = [state = std::move(current), definition] { return case_json(state, definition); };
  return response;
}

ApiResponse case_response(Workspace& workspace, Case current, http::status status = http::status::ok) {
  return case_response(workspace, std::make_shared<const Case>(std::move(current)), status);
}

// Adds the member `key` (a JSON value's text) to the case object the response renders. The
// case's JSON is shared with other reads (case_json), so the member is added to its text.
void add_member(ApiResponse& response, const char* key, std::string value) {
  response.render = [render = std::move(response.render), key, value = std::move(value)] {
    std::string json = render();
    json.pop_back();  // the case object's closing brace
    return json + ",\"" + key + "\":" + value + "}";
  };
}

// The changed case's response, with a "warnings" list when the commands gave a value worth a
// second look (value_warnings.h). The case's JSON is shared with plain reads (case_json), so
// the list is added to the object's text rather than to that JSON.
ApiResponse changed_case_response(Workspace& workspace, Case current, const std::vector<Command>& commands,
                                  http::status status = http::status::ok) {
  std::vector<std::string> warnings = value_warnings(workspace, current, commands);
  ApiResponse response = case_response(workspace, std::move(current), status);
  if (warnings.empty()) return response;
  add_member(response, "warnings", json_text([&](Json& out) {
               out.StartArray();
               for (const auto& warning : warnings)
                 out.String(warning.c_str(), static_cast<rapidjson::SizeType>(warning.size()));
               out.EndArray();
             }));
  return response;
}

// The case named in the path, if the caller may see it (404 otherwise: no hint it exists).
// A storage fault stays a storage fault (500), not a 404.
Result<std::shared_ptr<const Case>> visible_case(Workspace& workspace, const ApiRequest& request) {
  auto found = workspace.cases().read(request.params.at("number"));
  if (!found && found.error().code != ErrorCode::not_found) return found.error();
  if (!found || !workspace.access().can_read({request.user, request.admin}, **found)) {
    return make_error(ErrorCode::not_found, "no case " + in_quotes(request.params.at("number")));
  }
  return found;
}

// A refused command. not_found there names something in the request body (a transition, a
// workflow, a unit), not the resource of the URL: 422, so a client does not think the case
// is gone. Only `path_names_it` (a recommendation number in the path) keeps 404.
ApiResponse refused(const Error& error, bool path_names_it = false) {
  if (error.code == ErrorCode::not_found && !path_names_it) {
    return error_response(http::status::unprocessable_entity, to_string(error.code), error.message);
  }
  return error_response(error);
}

// 412: the If-Match the store refused. The version named is the case's as read now.
ApiResponse stale_version(Workspace& workspace, const ApiRequest& request) {
  auto current = workspace.cases().read(request.params.at("number"));
  if (!current) return error_response(current.error());
  return error_response(http::status::precondition_failed, "stale_version",
                        "the case is at version " + std::to_string((*current)->version) + ", not " + request.if_match +
                            "; read it again");
}

// The case's version when every event after version `seen` is the system's own (the scheduler's
// reminders, breaches, escalations, deliveries): a client that saw `seen` saw everything a person
// did, so its If-Match still holds. Nullopt when a person changed the case since.
Result<std::optional<std::int64_t>> only_system_since(Workspace& workspace, const std::string& number,
                                                      std::int64_t seen) {
  auto history = workspace.cases().history(number);
  if (!history) return history.error();
  if (seen < 1 || seen >= static_cast<std::int64_t>(history->size())) return std::optional<std::int64_t>();
  for (const StoredEvent& stored : *history) {
    if (stored.case_seq > seen && stored.event.actor != Actor::system().user) return std::optional<std::int64_t>();
  }
  return std::optional<std::int64_t>(static_cast<std::int64_t>(history->size()));
}

// Runs `commands` on the case named in the path after the If-Match check. The case is read
// once, by the change itself: the store refuses a caller who may not read it (as an unknown
// case: 404, as a GET says) and then a stale version (conflict: 412 here).
ApiResponse change_case(Workspace& workspace, const ApiRequest& request, RouteContext& context,
                        const std::vector<Command>& commands, const std::vector<Upload>& uploads = {},
                        bool path_names_it = false) {
  const std::string& number = request.params.at("number");
  if (request.if_match.empty()) {
    auto current = visible_case(workspace, request);
    if (!current) return error_response(current.error());
    return error_response(http::status::precondition_required, "if_match_required",
                          "send If-Match with the case's ETag (" + etag_of(**current) + ") to change it");
  }
  std::int64_t expected = -1;
  const char* end = request.if_match.data() + request.if_match.size();
  if (std::from_chars(request.if_match.data(), end, expected).ptr != end) expected = -1;  // not a version we gave out
  auto changed =
      workspace.cases().execute_as_reader({request.user, request.admin}, number, commands, expected, uploads);
  if (!changed && changed.error().code == ErrorCode::conflict && expected > 0) {
    // Only the system wrote since the version sent: the change is made on the case as it is now.
    // The writer runs one change at a time, so nothing comes between this read and the retry.
    auto current = only_system_since(workspace, number, expected);
    if (!current) return error_response(current.error());
    if (*current)
      changed =
          workspace.cases().execute_as_reader({request.user, request.admin}, number, commands, **current, uploads);
  }
  if (!changed && is_unknown_case(changed.error(), number)) {
    return error_response(make_error(ErrorCode::not_found, "no case " + in_quotes(number)));  // as a GET would say
  }
  if (!changed && changed.error().code == ErrorCode::conflict) return stale_version(workspace, request);
  if (!changed) return refused(changed.error(), path_names_it);
  for (const Command& command : commands) {
    if (std::holds_alternative<MoveCase>(command)) context.metrics.count_transition();
  }
  return changed_case_response(workspace, std::move(*changed), commands);
}

template <typename Build>
ApiResponse with_body(const ApiRequest& request, std::initializer_list<const char*> allowed, Build&& build) {
  auto body = parse_object(request.body);
  if (!body) return error_response(body.error());
  if (const Status known = only_members(*body, allowed); !known) return error_response(known.error());
  return build(*body);
}

ApiResponse open_case(Workspace& workspace, ApiRequest& request, RouteContext&) {
  return with_body(request, {"workflow", "unit", "title", "fields"}, [&](const rapidjson::Value& body) {
    DOCKET_TRY(workflow, string_member(body, "workflow", true), error_response);
    DOCKET_TRY(unit, string_member(body, "unit", true), error_response);
    DOCKET_TRY(title, string_member(body, "title", true), error_response);
    DOCKET_TRY(fields, string_map_member(body, "fields"), error_response);
    const OpenCase open{"", *title, *unit, *fields};
    auto opened = workspace.cases().open(*workflow, request.user, open);
    if (!opened) return refused(opened.error());
    ApiResponse response = changed_case_response(workspace, *opened, {open}, http::status::created);
    response.headers.emplace_back("Location", "/api/v1/cases/" + opened->number);
    return response;
  });
}

// The case with "actions": what the caller may do on it now (api_json.h write_actions).
ApiResponse get_case(Workspace& workspace, ApiRequest& request, RouteContext&) {
  auto current = visible_case(workspace, request);
  if (!current) return error_response(current.error());
  auto actions = workspace.cases().actions_for(request.user, **current);
  if (!actions && actions.error().code != ErrorCode::not_found) return error_response(actions.error());
  const CaseActions none;  // its workflow version is not installed: nothing can be done
  std::string actions_json = json_text([&](Json& json) { write_actions(json, actions ? *actions : none); });
  ApiResponse response = case_response(workspace, std::move(*current));
  add_member(response, "actions", std::move(actions_json));
  return response;
}

ApiResponse case_history(Workspace& workspace, ApiRequest& request, RouteContext&) {
  auto current = visible_case(workspace, request);
  if (!current) return error_response(current.error());
  auto history = workspace.cases().history((*current)->number);
  if (!history) return error_response(history.error());
  ApiResponse response;
  response.body = json_text([&](Json& json) {
    json.StartObject();
    json.Key("events");
    json.StartArray();
    const WorkflowDefinition* definition =
        workspace.catalog().find((*current)->workflow_id, (*current)->workflow_version);
    for (const auto& stored : *history) write_event(json, workspace, definition, stored);
    json.EndArray();
    json.EndObject();
  });
  return response;
}

ApiResponse transition(Workspace& workspace, ApiRequest& request, RouteContext& context) {
  return with_body(request, {"transition", "fields", "comment"}, [&](const rapidjson::Value& body) {
    DOCKET_TRY(name, string_member(body, "transition", true), error_response);
    DOCKET_TRY(fields, string_map_member(body, "fields"), error_response);
    DOCKET_TRY(comment, string_member(body, "comment", false), error_response);
    return change_case(workspace, request, context, {MoveCase{*name, *fields, *comment}});
  });
}

ApiResponse assign(Workspace& workspace, ApiRequest& request, RouteContext& context) {
  return with_body(request, {"assignee"}, [&](const rapidjson::Value& body) {
    DOCKET_TRY(assignee, string_member(body, "assignee", true), error_response);
    if (assignee->empty()) {
      const std::string number = request.params.at("number");
      return error_response(make_error(
          ErrorCode::invalid_argument,
          "assignee needs a user; to leave case " + number + " unassigned POST /api/v1/cases/" + number + "/unassign"));
    }
    // Whether the caller may see the case first: who exists is not for those who may not.
    if (auto current = visible_case(workspace, request); !current) return error_response(current.error());
    if (auto known = workspace.directory().user(*assignee); !known)
      return error_response(http::status::unprocessable_entity, "not_found", known.error().message);
    return change_case(workspace, request, context, {AssignCase{*assignee, {}, {}}});
  });
}

// No body, or an empty object.
ApiResponse unassign(Workspace& workspace, ApiRequest& request, RouteContext& context) {
  if (request.body.empty()) return change_case(workspace, request, context, {UnassignCase{}});
  return with_body(request, {},
                   [&](const rapidjson::Value&) { return change_case(workspace, request, context, {UnassignCase{}}); });
}

ApiResponse comment(Workspace& workspace, ApiRequest& request, RouteContext& context) {
  return with_body(request, {"text"}, [&](const rapidjson::Value& body) {
    DOCKET_TRY(text, string_member(body, "text", true), error_response);
    return change_case(workspace, request, context, {AddComment{*text}});
  });
}

ApiResponse set_fields(Workspace& workspace, ApiRequest& request, RouteContext& context) {
  return with_body(request, {"fields"}, [&](const rapidjson::Value& body) {
    DOCKET_TRY(fields, string_map_member(body, "fields"), error_response);
    return change_case(workspace, request, context, {SetFields{*fields}});
  });
}

ApiResponse recommend(Workspace& workspace, ApiRequest& request, RouteContext& context) {
  return with_body(request, {"to", "text"}, [&](const rapidjson::Value& body) {
    DOCKET_TRY(to, string_member(body, "to", true), error_response);
    DOCKET_TRY(text, string_member(body, "text", true), error_response);
    return change_case(workspace, request, context, {AddRecommendation{*to, *text}});
  });
}

ApiResponse answer(Workspace& workspace, ApiRequest& request, RouteContext& context) {
  int number = 0;
  const std::string& text_number = request.params.at("n");
  const auto [end, problem] = std::from_chars(text_number.data(), text_number.data() + text_number.size(), number);
  if (problem != std::errc{} || end != text_number.data() + text_number.size()) {
    return error_response(http::status::not_found, "not_found", "no recommendation " + in_quotes(text_number));
  }
  return with_body(request, {"status", "text"}, [&](const rapidjson::Value& body) {
    DOCKET_TRY(status, string_member(body, "status", true), error_response);
    DOCKET_TRY(text, string_member(body, "text", false), error_response);
    return change_case(workspace, request, context, {AnswerRecommendation{number, *status, *text, ""}}, {}, true);
  });
}

ApiResponse upload(Workspace& workspace, ApiRequest& request, RouteContext& context) {
  const std::string kind = request.query.count("kind") ? request.query.at("kind") : "";
  const std::string name = document_file_name(request.query.count("name") ? request.query.at("name") : "");
  if (kind.empty() || name.empty()) {
    return error_response(http::status::bad_request, "invalid_argument",
                          "give ?kind=KIND&name=FILE_NAME (a file name) and the file as the body");
  }
  Upload file{name, request.content_type.empty() ? guess_media_type(name) : request.content_type, request.body};
  return change_case(
      workspace, request, context,
      {AttachDocument{kind, name, file.sha256(), static_cast<std::int64_t>(file.content.size()), file.media_type}},
      {file});
}

ApiResponse download(Workspace& workspace, ApiRequest& request, RouteContext&) {
  auto current = visible_case(workspace, request);
  if (!current) return error_response(current.error());
  for (const auto& document : (*current)->documents) {
    if (document.kind != request.params.at("kind") || std::to_string(document.version) != request.params.at("version"))
      continue;
    auto content = workspace.cases().document_content(document.sha256);
    if (!content) return error_response(content.error());
    ApiResponse response{http::status::ok, std::move(content.value()), document.media_type, {}, {}};
    response.headers.emplace_back("Content-Disposition", attachment_disposition(document.file_name));
    response.headers.emplace_back("ETag", "\"" + document.sha256 + "\"");
    response.headers.emplace_back("Accept-Ranges", "bytes");  // ranges and If-None-Match: server/conditional.h
    return response;
  }
  return error_response(http::status::not_found, "not_found", "no document of that kind and version");
}

}  // namespace

void add_case_routes(std::vector<Route>& routes) {
  using V = http::verb;
  routes.push_back({.method = V::post, .pattern = "/api/v1/cases", .writes = true, .handle = open_case});
  routes.push_back({.method = V::get, .pattern = "/api/v1/cases", .handle = list_cases, .long_read = is_long_list});
  routes.push_back({.method = V::get, .pattern = "/api/v1/search", .handle = search_cases, .indexed = true});
  routes.push_back({.method = V::get, .pattern = "/api/v1/cases/{number}", .handle = get_case, .point = true});
  routes.push_back({.method = V::get, .pattern = "/api/v1/cases/{number}/history", .handle = case_history});
  routes.push_back(
      {.method = V::post, .pattern = "/api/v1/cases/{number}/transitions", .writes = true, .handle = transition});
  routes.push_back({.method = V::post, .pattern = "/api/v1/cases/{number}/assign", .writes = true, .handle = assign});
  routes.push_back(
      {.method = V::post, .pattern = "/api/v1/cases/{number}/unassign", .writes = true, .handle = unassign});
  routes.push_back(
      {.method = V::post, .pattern = "/api/v1/cases/{number}/comments", .writes = true, .handle = comment});
  routes.push_back(
      {.method = V::post, .pattern = "/api/v1/cases/{number}/fields", .writes = true, .handle = set_fields});
  routes.push_back(
      {.method = V::post, .pattern = "/api/v1/cases/{number}/documents", .writes = true, .handle = upload});
  routes.push_back(
      {.method = V::get, .pattern = "/api/v1/cases/{number}/documents/{kind}/{version}", .handle = download});
  routes.push_back(
      {.method = V::post, .pattern = "/api/v1/cases/{number}/recommendations", .writes = true, .handle = recommend});
  routes.push_back({.method = V::post,
                    .pattern = "/api/v1/cases/{number}/recommendations/{n}/answer",
                    .writes = true,
                    .handle = answer});
}

}  // namespace docket::server
