#include "server/api_types.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <charconv>
#include <cstring>

#include "core/deadline.h"
#include "core/json_text.h"
#include "core/text.h"

namespace docket::server {

http::status status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::not_found:
      return http::status::not_found;
    case ErrorCode::role_not_allowed:
      return http::status::forbidden;
    case ErrorCode::conflict:
    case ErrorCode::already_exists:
      return http::status::conflict;
    case ErrorCode::busy:
    case ErrorCode::storage_corrupt:
      return http::status::service_unavailable;
    case ErrorCode::storage_full:
      return http::status::insufficient_storage;
    case ErrorCode::storage:
    case ErrorCode::integrity:
    case ErrorCode::internal:
      return http::status::internal_server_error;
    case ErrorCode::invalid_argument:
      return http::status::bad_request;
    default:
      return http::status::unprocessable_entity;  // a workflow rule refused it
  }
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t end = path.find('/', start);
    parts.push_back(path.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return parts;
}

bool path_matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                  std::map<std::string, std::string>& params) {
  if (pattern.size() != path.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i].size() > 2 && pattern[i].front() == '{' && pattern[i].back() == '}') {
      if (path[i].empty()) return false;
      found[pattern[i].substr(1, pattern[i].size() - 2)] = path[i];
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

Response to_http(const ApiResponse& api, unsigned version) {
  Response response{api.status, version};
  response.set(http::field::server, "docket");
  response.set(http::field::content_type, api.content_type);
  for (const auto& [name, value] : api.headers) {
    if (name == "Set-Cookie") {
      response.insert(name, value);
    } else {
      response.set(name, value);
    }
  }
  response.body() = api.body;
  return response;
}

void complete(ApiResponse& response) {
  if (!response.render) return;
  response.body = response.render();
  response.render = nullptr;
}

ApiResponse error_response(http::status status, const std::string& code, const std::string& message,
                           const std::string& details) {
  ApiResponse response;
  response.status = status;
  response.body = json_text([&](Json& json) {
    json.StartObject();
    json.Key("error");
    json.StartObject();
    put(json, "code", code);
    put(json, "message", message);
    json.Key("details");
    json.RawValue(details.c_str(), details.size(), rapidjson::kObjectType);
    json.EndObject();
    json.EndObject();
  });
  return response;
}

void write_problems(Json& json, const std::vector<Error>& problems) {
  json.StartArray();
  for (const Error& problem : problems) {
    json.StartObject();
    put(json, "code", to_string(problem.code));
    put(json, "message", problem.message);
    json.EndObject();
  }
  json.EndArray();
}

ApiResponse error_response(const Error& error) {
  // Faults the caller did not cause say so without leaking internals.
  if (error.code == ErrorCode::internal || error.code == ErrorCode::storage) {
    spdlog::error("{}: {}", to_string(error.code), error.message);  // for the operator, not the client
    return error_response(http::status::internal_server_error, "internal", "the server could not complete the request");
  }
  // Damaged storage is the operator's to repair; the client learns which kind and that it is not its fault.
  if (error.code == ErrorCode::storage_corrupt || error.code == ErrorCode::integrity ||
      error.code == ErrorCode::storage_full)
    spdlog::error("{}: {}", to_string(error.code), error.message);
  if (error.problems.empty()) return error_response(status_for(error.code), to_string(error.code), error.message);
  const std::string details = json_text([&](Json& json) {
    json.StartObject();
    json.Key("problems");
    write_problems(json, error.problems);
    json.EndObject();
  });
  return error_response(status_for(error.code), to_string(error.code), error.message, details);
}

Result<bool> query_flag(const ApiRequest& request, const char* key) {
  const auto it = request.query.find(key);
  if (it == request.query.end() || it->second == "false") return false;
  if (it->second == "true") return true;
  return make_error(ErrorCode::invalid_argument, std::string(key) + " is true or false, not " + in_quotes(it->second));
}

Result<int> query_integer(const std::string& text, int low, int high, const std::string& what) {
  int value = 0;
  const auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (problem != std::errc{} || end != text.data() + text.size() || value < low || value > high) {
    return make_error(ErrorCode::invalid_argument, what);
  }
  return value;
}

std::string valid_utf8(std::string_view text) {
  std::string valid;
  for (std::size_t bad = first_invalid_utf8(text); bad != std::string_view::npos; bad = first_invalid_utf8(text)) {
    valid.append(text.substr(0, bad)).append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
    text.remove_prefix(bad + 1);
  }
  return valid.append(text);
}

void put(Json& json, const char* key, const std::string& value) {
  json.Key(key);
  // Values can echo what a client sent (a path, a name); the answer stays valid UTF-8 JSON.
  if (first_invalid_utf8(value) != std::string::npos) {
    const std::string replaced = valid_utf8(value);
    json.String(replaced.c_str(), static_cast<rapidjson::SizeType>(replaced.size()));
    return;
  }
  json.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

void put_label(Json& json, const char* key, const Label& label) {
  json.Key(key);
  json.StartObject();
  put(json, "vi", label.vi);
  put(json, "en", label.en);
  json.EndObject();
}

Result<rapidjson::Document> parse_object(const std::string& body) {
  rapidjson::Document document;
  if (const auto problem = parse_json(body, document)) {
    if (problem->path != "$") {  // a member named twice
      return make_error(ErrorCode::invalid_argument, problem->path + ": " + problem->reason + " (line " +
                                                         std::to_string(problem->line) + ", column " +
                                                         std::to_string(problem->column) + ")");
    }
    return make_error(ErrorCode::invalid_argument, "malformed JSON at line " + std::to_string(problem->line) +
                                                       ", column " + std::to_string(problem->column) + " (byte " +
                                                       std::to_string(problem->offset) + "): " + problem->reason);
  }
  if (!document.IsObject()) return make_error(ErrorCode::invalid_argument, "the request body must be a JSON object");
  return document;
}

Result<std::string> string_member(const rapidjson::Value& object, const char* key, bool required) {
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd()) {
    if (required) return make_error(ErrorCode::invalid_argument, std::string("missing member \"") + key + "\"");
    return std::string();
  }
  if (!it->value.IsString())
    return make_error(ErrorCode::invalid_argument, std::string("member \"") + key + "\" must be a string");
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

Result<std::map<std::string, std::string>> string_map_member(const rapidjson::Value& object, const char* key) {
  std::map<std::string, std::string> values;
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return values;
  if (!it->value.IsObject())
    return make_error(ErrorCode::invalid_argument, std::string("member \"") + key + "\" must be an object of strings");
  for (const auto& member : it->value.GetObject()) {
    if (!member.value.IsString()) {
      return make_error(ErrorCode::invalid_argument,
                        std::string("member \"") + key + "." + member.name.GetString() + "\" must be a string");
    }
    values[member.name.GetString()] = std::string(member.value.GetString(), member.value.GetStringLength());
  }
  return values;
}

Status only_members(const rapidjson::Value& object, std::initializer_list<const char*> allowed) {
  for (const auto& member : object.GetObject()) {
    bool known = false;
    for (const char* key : allowed) known = known || std::strcmp(key, member.name.GetString()) == 0;
    if (!known) {
      std::string names;
      for (const char* key : allowed) names += (names.empty() ? "" : ", ") + std::string(key);
      return make_error(ErrorCode::invalid_argument,
                        std::string("unknown member \"") + member.name.GetString() + "\" (allowed: " + names + ")");
    }
  }
  return Ok{};
}

std::string etag_of(const Case& current) { return "\"" + std::to_string(current.version) + "\""; }

void write_case(Json& json, const Case& c, const WorkflowDefinition* definition, bool details) {
  json.StartObject();
  put(json, "number", c.number);
  put(json, "workflow", c.workflow_id);
  json.Key("workflow_version"), json.Int(c.workflow_version);
  put(json, "title", c.title);
  put(json, "unit", c.unit);
  put(json, "stage", c.stage);
  // Without its workflow version installed, the stage's id stands in for its label.
  const StageDefinition* stage = definition != nullptr ? definition->stage(c.stage) : nullptr;
  put_label(json, "stage_label", stage != nullptr ? stage->label : Label{c.stage, c.stage});
  json.Key("closed"), json.Bool(stage != nullptr && stage->terminal);
  put(json, "assignee", c.assignee);
  json.Key("version"), json.Int64(c.version);
  put(json, "opened_by", c.opened_by);
  put(json, "opened_at", format_timestamp(c.opened_at));
  put(json, "updated_at", format_timestamp(c.updated_at));
  json.Key("fields");
  json.StartObject();
  for (const auto& [id, value] : c.fields) put(json, id.c_str(), value);
  json.EndObject();
  json.Key("deadline");
  if (c.deadline) {
    json.StartObject();
    put(json, "stage", c.deadline->stage);
    put(json, "due", c.deadline->due);
    put(json, "due_at", format_timestamp(c.deadline->due_at));
    json.Key("breached"), json.Bool(c.deadline->breached);
    put(json, "escalated_to_role", c.deadline->escalated_to_role);
    put(json, "escalated_to_unit", c.deadline->escalated_to_unit);
    json.Key("provisional"), json.Bool(!c.deadline->provisional.empty());
    if (!c.deadline->provisional.empty()) put(json, "warning", provisional_warning(*c.deadline));
    json.EndObject();
  } else {
    json.Null();
  }
  if (!details) {
    json.EndObject();
    return;
  }
  json.Key("documents");
  json.StartArray();
  for (const auto& d : c.documents) {
    json.StartObject();
    put(json, "kind", d.kind);
    json.Key("version"), json.Int(d.version);
    put(json, "file_name", d.file_name);
    put(json, "sha256", d.sha256);
    json.Key("size"), json.Int64(d.size);
    put(json, "media_type", d.media_type);
    put(json, "attached_at", format_timestamp(d.attached_at));
    put(json, "attached_by", d.attached_by);
    put(json, "reference", d.reference);
    json.EndObject();
  }
  json.EndArray();
  json.Key("recommendations");
  json.StartArray();
  for (const auto& r : c.recommendations) {
    json.StartObject();
    json.Key("number"), json.Int(r.number);
    put(json, "addressee", r.addressee);
    put(json, "text", r.text);
    put(json, "status", to_string(r.status));
    put(json, "answer_text", r.answer_text);
    put(json, "answered_at", r.answered_at ? format_timestamp(*r.answered_at) : "");
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
}

std::string document_file_name(std::string_view given) {
  if (const std::size_t slash = given.find_last_of("/\\"); slash != std::string_view::npos)
    given.remove_prefix(slash + 1);
  std::string name;
  for (const char c : given) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) name += c;
  }
  return name == "." || name == ".." ? "" : name;
}

std::string attachment_disposition(std::string_view file_name) {
  std::string ascii, encoded;
  for (const unsigned char c : document_file_name(file_name)) {
    const bool plain = std::isalnum(c) || c == '.' || c == '-' || c == '_';
    ascii += c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? static_cast<char>(c) : '_';
    if (plain) {
      encoded += static_cast<char>(c);
    } else {
      static const char* hex = "0123456789ABCDEF";
      encoded += {'%', hex[c >> 4], hex[c & 15]};
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace docket::server
