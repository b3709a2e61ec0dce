// The FTS5 tokenizer "docket_vi" that the search index (search_index.h) uses: SQLite's
// unicode61 with remove_diacritics 2 (so "giam ngheo" finds "giảm nghèo", in any case), and
// đ/Đ folded to d (which unicode61 keeps as a letter of its own, see fold_stroked_d). Indexed
// text and queries go through the same tokenizer, so both sides fold alike; the stored text
// keeps its diacritics, so snippets show it as it was written.
//
// So that an exact spelling ranks above a folded one ("giảm nghèo" above "giám ... nghèo"), a
// document also stores, at the same position, each token as written (lower case, diacritics
// kept) behind kExactMark, when it differs from the folded token. A query phrase that starts
// with kExactMark matches those tokens only; the search index asks for both (search_index.cc).
//
// Thread-safety: registration is per connection; call it on the thread that owns it.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>
#include <string_view>
#include <vector>

namespace docket {

inline constexpr const char* kSearchTokenizer = "docket_vi";
// Marks a token as written, with its diacritics (a control character: never in a folded token,
// and removed from what users search for).
inline constexpr std::string_view kExactMark = "\x01";

// Registers docket_vi on `db`. Every connection that reads or writes the search index must
// call this first (Database::open does). Throws SQLite::Exception when FTS5 is missing.
void register_search_tokenizer(SQLite::Database& db);

// The tokens docket_vi makes of `text` as a query ("Đà Nẵng" -> "da", "nang"; with kExactMark
// in front, "\x01đà", "\x01nẵng"). REQUIRES: registered on `db`.
// Throws SQLite::Exception on failure.
std::vector<std::string> search_tokens(SQLite::Database& db, std::string_view text);

}  // namespace docket
