// Text helpers for the core: bilingual labels, UTF-8 checks and search folding. No I/O;
// thread-safe.
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

// `text` with đ and Đ replaced by d and D. Unicode gives đ no decomposition (it is a letter of
// its own, not d with a mark), so diacritic removal keeps it; search folds it here so that
// "Da Nang" finds "Đà Nẵng". Every other byte is kept as it is.
std::string fold_stroked_d(std::string_view text);

// Quote a user-supplied value for an error message: "value" (shortened when long).
std::string in_quotes(std::string_view value);

}  // namespace docket
