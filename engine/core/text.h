// Text helpers for the core: bilingual labels, UTF-8 checks, Unicode normalisation (NFC, by
// utf8proc), display width and search folding. No I/O; thread-safe.
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

// `text` in Unicode Normalization Form C: "e" + U+0301 becomes "é" (U+00E9). Text typed on
// macOS or pasted from a PDF often arrives decomposed (NFD); the same Vietnamese word then has
// two byte forms that compare, search and sort differently. Every piece of text a person gives
// the engine (field values, titles, comments, recommendations, answers, names, search queries)
// passes through here where it enters the core. Text that is not valid UTF-8 is returned as it
// is (the check that refuses it names it).
std::string to_nfc(std::string_view text);

// The number of terminal columns `text` (UTF-8) takes: a grapheme cluster counts as its widest
// code point (a base letter and its combining marks take one column, whether NFC or NFD; an
// East Asian wide character takes two; controls take none). Invalid bytes count one column.
std::size_t display_width(std::string_view text);

// `text` with đ and Đ replaced by d and D. Unicode gives đ no decomposition (it is a letter of
// its own, not d with a mark), so diacritic removal keeps it; search folds it here so that
// "Da Nang" finds "Đà Nẵng". Every other byte is kept as it is.
std::string fold_stroked_d(std::string_view text);

// Quote a user-supplied value for an error message: "value" (shortened when long).
std::string in_quotes(std::string_view value);

}  // namespace docket
