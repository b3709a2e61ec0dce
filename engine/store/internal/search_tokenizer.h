// The FTS5 tokenizer "docket_vi" that the search index (search_index.h) uses: SQLite's
// unicode61 with remove_diacritics 2 (so "giam ngheo" finds "giảm nghèo", in any case), and
// đ/Đ folded to d (which unicode61 keeps as a letter of its own, see fold_stroked_d). Indexed
// text and queries go through the same tokenizer, so both sides fold alike; the stored text
// keeps its diacritics, so snippets show it as it was written.
//
// Thread-safety: registration is per connection; call it on the thread that owns it.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>
#include <string_view>
#include <vector>

namespace docket {

inline constexpr const char* kSearchTokenizer = "docket_vi";

// Registers docket_vi on `db`. Every connection that reads or writes the search index must
// call this first (Database::open does). Throws SQLite::Exception when FTS5 is missing.
void register_search_tokenizer(SQLite::Database& db);

// The tokens docket_vi makes of `text` ("Đà Nẵng" -> "da", "nang"). REQUIRES: registered on `db`.
// Throws SQLite::Exception on failure.
std::vector<std::string> search_tokens(SQLite::Database& db, std::string_view text);

}  // namespace docket
