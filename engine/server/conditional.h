// Conditional and partial GET (RFC 9110 13 and 14) for any response the server makes: a client
// that sends If-None-Match with the ETag it holds gets 304 Not Modified instead of the body, and
// a client that sends Range gets only the bytes it asks for (206), when the response says it
// serves ranges (Accept-Ranges: bytes, as document downloads do).
// Pure functions of the request's header values and the response; thread-safety: any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/http_server.h"

namespace docket::server {

// `value` without the spaces and tabs around it (HTTP's optional whitespace).
std::string_view trim_whitespace(std::string_view value);

// One entity tag (RFC 9110 8.8.3): W/"7" is {weak, "7"}.
struct EntityTag {
  bool weak = false;
  std::string_view opaque;  // between the quotes
};
// The entity tag `value` is (whitespace around it allowed); nullopt when it is not one: an
// unquoted 7, a list, a stray quote, a space or control character inside.
std::optional<EntityTag> parse_entity_tag(std::string_view value);

// Whether If-None-Match `condition` ("*", or a comma-separated list of entity tags) matches the
// entity tag `etag` ("\"7\"", W/"7") by the weak comparison (W/ is ignored on both sides).
// "*" matches any tag; a malformed list matches nothing.
bool none_match(std::string_view condition, std::string_view etag);

// The one byte range of a representation of `length` bytes a Range header value asks for.
struct ByteRange {
  std::uint64_t first = 0, last = 0;  // both included
};
enum class RangeAnswer { whole, part, unsatisfiable };
// What to answer Range `value` with for `length` bytes: `part` (and `*range` set) for one
// satisfiable range (bytes=a-b, bytes=a-, bytes=-n); `unsatisfiable` when it starts past the end
// (or asks for the last 0 bytes); `whole` (answer 200 with everything) for anything else: another
// unit, several ranges, a value that does not parse.
RangeAnswer byte_range(std::string_view value, std::uint64_t length, ByteRange* range);

// What the request said that makes a response conditional or partial; empty: not sent.
struct Preconditions {
  std::string if_none_match;
  std::string range;
  std::string if_range;
};
Preconditions preconditions_of(const Request& request);

// Turns a 200 response to a GET into 304 (If-None-Match matches its ETag: no body, no
// representation headers), 206 (Range, on a response with Accept-Ranges: bytes, and If-Range
// absent or naming its ETag exactly) or 416 (a range past the end, with Content-Range: bytes
// */length). Any other response is left as it is.
void apply_preconditions(const Preconditions& sent, Response& response);

}  // namespace docket::server
