// Parsing JSON text that comes from outside: request bodies and the workflow, calendar, unit and
// notification-rule files all parse through here, so each is validated as UTF-8, limited in
// depth, refused when an object names a member twice (RFC 8259 leaves the meaning open; RapidJSON
// would keep both and a lookup find the first) and located the same way. RapidJSON's parser
// recurses once per level of arrays and objects (a body of 150,000 "[" exhausted a thread's
// stack), so deeper text is refused before the parser sees it. Pure; thread-safe.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace docket {

// Deeper than any document Docket reads (a workflow file nests about 6 levels).
inline constexpr int kMaxJsonDepth = 64;

// Why text is not JSON Docket reads, and where: line and column from 1 (columns count UTF-8
// characters), the byte offset and, for a member named twice, its JSON path.
struct JsonProblem {
  std::size_t line = 1, column = 1, offset = 0;
  std::string reason;      // "Missing a comma or ']' after an array element.", "nested more than 64 ..."
  std::string path = "$";  // "$.stages[3].terminal" for a repeated member; "$" for other problems
};

// Parses `text` into `document`; the problem when it is not well-formed UTF-8 JSON, nests more
// than `max_depth` arrays and objects deep (brackets inside strings do not count) or has an
// object that names a member more than once (located at the second one).
std::optional<JsonProblem> parse_json(std::string_view text, rapidjson::Document& document,
                                      int max_depth = kMaxJsonDepth);

}  // namespace docket
