// Checking a typed case field's value as a person typed it, and turning it into the canonical
// text stored on the case (dates as YYYY-MM-DD, datetimes in UTC, integers without padding).
// Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "core/workflow.h"

namespace docket {

// Longest text accepted for a `text` field and for a `long_text` field or comment, in bytes.
inline constexpr std::size_t kMaxShortText = 1000;
inline constexpr std::size_t kMaxLongText = 200000;

// The canonical text of `raw` for `field`, or an invalid_field error naming the field, the
// value and what was expected (the allowed values, for an enum).
Result<std::string> canonical_field_value(const FieldDefinition& field, std::string_view raw);

// Checks free text supplied by a person (titles, comments, answers): valid UTF-8, not empty,
// no control characters other than newline and tab when `multiline`, at most `max_bytes`.
// `what` names the input in the error ("comment", "title").
Status check_text(std::string_view what, std::string_view text, std::size_t max_bytes, bool multiline);

}  // namespace docket
