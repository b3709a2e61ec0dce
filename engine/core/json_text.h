// Parsing JSON text that comes from outside: request bodies and the workflow, calendar, unit and
// notification-rule files all parse through here, so each is validated as UTF-8, limited in depth
// and located the same way. RapidJSON's parser recurses once per level of arrays and objects (a
// body of 150,000 "[" exhausted a thread's stack), so deeper text is refused before the parser
// sees it. Pure; thread-safe.
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
// characters), and the byte offset.
struct JsonProblem {
  std::size_t line = 1, column = 1, offset = 0;
  std::string reason;  // "Missing a comma or ']' after an array element.", "nested more than 64 ..."
};

// Parses `text` into `document`; the problem when it is not well-formed UTF-8 JSON or nests more
// than `max_depth` arrays and objects deep (brackets inside strings do not count).
std::optional<JsonProblem> parse_json(std::string_view text, rapidjson::Document& document,
                                      int max_depth = kMaxJsonDepth);

}  // namespace docket
