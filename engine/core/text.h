// Text helpers for the core: bilingual labels and UTF-8 checks. No I/O; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace docket {

// A label shown to people, in Vietnamese and English. Every label in a workflow has both.
struct Label {
  std::string vi;
  std::string en;
  bool operator==(const Label&) const = default;
};

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// Byte offset of the first invalid UTF-8 sequence in `text`, or npos when it is valid.
std::size_t first_invalid_utf8(std::string_view text);

// Quote a user-supplied value for an error message: "value" (shortened when long).
std::string in_quotes(std::string_view value);

}  // namespace docket
