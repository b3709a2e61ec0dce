// The request and response of one API call as the handlers see them, the one error shape
// ({"error": {"code", "message", "details"}}) and the JSON helpers they share.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.h"
#include "core/result.h"
#include "core/workflow.h"
#include "server/http_server.h"

namespace docket::server {

using Json = rapidjson::Writer<rapidjson::StringBuffer>;

// What the access log is told about a request by the part that answered it: the route pattern
// it matched and who made it. Written on the threads that handle the request before its answer
// is handed to Respond, read on the I/O thread after (the hand-off orders the two).
struct Served {
  std::string route = "unmatched";
  std::string user;  // empty: nobody signed in
};

struct ApiRequest {
  http::verb method = http::verb::get;
  std::string path;                           // "/api/v1/cases/PB-2026-0001"
  std::map<std::string, std::string> query;   // decoded query parameters
  std::map<std::string, std::string> params;  // from the route pattern: {"number": "PB-2026-0001"}
  std::string body;
  std::string content_type;
  std::string if_match;  // a strong ETag without its quotes; W/"7" or * as sent (no version); empty: absent
  std::string idempotency_key;
  std::string user;  // the authenticated caller
  bool admin = false;
  std::shared_ptr<Served> served;  // never null once Api::handle has it
};

struct ApiResponse {
  http::status status = http::status::ok;
  std::string body;  // JSON unless content_type says otherwise
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, makes the body as the response is sent, on an I/O thread (complete()): the writer
  // answers a change with the case's state and leaves its JSON to them.
  std::function<std::string()> render;
};

// Makes a deferred body (render) now; needed before the body is stored (idempotency records).
void complete(ApiResponse& response);
// A path's segments: "/api/v1/cases/X" -> {"api", "v1", "cases", "X"}.
std::vector<std::string> split_path(const std::string& path);
// Whether the segments of `path` match those of a route pattern like "/cases/{number}" (both
// split_path'ed); fills `params` ({"number": "X"}) when they do. An empty segment never fills
// a parameter.
bool path_matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                  std::map<std::string, std::string>& params);

// The HTTP response of a completed ApiResponse (each Set-Cookie header is kept; other headers
// named twice keep the last value).
Response to_http(const ApiResponse& api, unsigned version);

// The name a stored document keeps of the one an upload gave: its last path component ("passwd"
// for "../../etc/passwd", "a.pdf" for "C:\\x\\a.pdf"), without control characters. Empty when
// nothing is left.
std::string document_file_name(std::string_view given);
// Content-Disposition for downloading `file_name` (its document_file_name): attachment;
// filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded name> (RFC 6266, RFC 5987).
std::string attachment_disposition(std::string_view file_name);

// The error response; `details` is a JSON object text ("{}" when none).
ApiResponse error_response(http::status status, const std::string& code, const std::string& message,
                           const std::string& details = "{}");
// Problems as a JSON array of {"code", "message"}: a refusal's details.problems, a transition's
// unmet requirements in a case's actions.
void write_problems(Json& json, const std::vector<Error>& problems);
// The response for a docket error (status chosen by its code).
ApiResponse error_response(const Error& error);
http::status status_for(ErrorCode code);

// Writes `write(json)` into a JSON text.
template <typename Write>
std::string json_text(Write&& write) {
  rapidjson::StringBuffer buffer;
  Json json(buffer);
  write(json);
  return std::string(buffer.GetString(), buffer.GetSize());
}
// Writes a string member; invalid UTF-8 in `value` is replaced by U+FFFD.
void put(Json& json, const char* key, const std::string& value);
std::string valid_utf8(std::string_view text);
void put_label(Json& json, const char* key, const Label& label);

// Parses a JSON request body into an object. Errors (invalid_argument) give the line and column
// of malformed JSON or invalid UTF-8, and the JSON path of a member named twice.
Result<rapidjson::Document> parse_object(const std::string& body);

// Members of a parsed request object. Missing optional members read as empty; a member of the
// wrong type is an invalid_argument error naming it.
Result<std::string> string_member(const rapidjson::Value& object, const char* key, bool required);
Result<std::map<std::string, std::string>> string_map_member(const rapidjson::Value& object, const char* key);
// Rejects members other than `allowed` (a typo is an error, not silently ignored).
Status only_members(const rapidjson::Value& object, std::initializer_list<const char*> allowed);

// Query parameters. A flag absent or "false" is false, "true" is true; anything else is an
// invalid_argument error naming it. query_integer reads `text` as an integer from `low` to
// `high`; otherwise it is an invalid_argument error with the message `what`.
Result<bool> query_flag(const ApiRequest& request, const char* key);
Result<int> query_integer(const std::string& text, int low, int high, const std::string& what);

// A case as the API shows it (fields, stage with labels, deadline, and with `details` its
// documents and recommendations; list items leave those out).
void write_case(Json& json, const Case& current, const WorkflowDefinition* definition, bool details = true);
std::string etag_of(const Case& current);  // "\"<version>\""

}  // namespace docket::server
