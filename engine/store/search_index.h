// Full-text search over cases (SQLite FTS5; docs/search.md). One index row per case holds its
// title, field values, comments, recommendations (text and answer) and the text of its
// plain-text and Markdown documents (the newest version of each kind, the first
// kMaxIndexedDocumentBytes of each). The transaction that changes a case's text marks the case
// pending (table search_pending, rows::save); its index row is brought up to date later, in
// batches: by the server's writer at most every kIndexEvery, and by search() itself before it
// looks, so what is committed is found and what is rolled back never was. Re-indexing a case
// costs about as much as the rest of a change (FTS5 tokenizes the old and the new text), and a
// case's text most often changes several times in a short while: done once per batch, not once
// per change. Words are folded by the docket_vi tokenizer (search_tokenizer.h): without
// diacritics, with đ as d, in any case. Matches are ranked by bm25, the title weighing most.
//
// Errors: search(), catch_up(), behind() and match_expression() answer through their Result (a
// SQLite fault is a busy or storage error). With the disk full (storage_full) search() leaves
// the pending cases pending and searches what is indexed. changed() and rebuild() are the store's own, called
// inside its write transactions: they throw SQLite::Exception, which that Database::write turns
// into its error, so none leaves the store.
//
// Thread-safety: as the connection it is given (one thread at a time).
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.h"
#include "core/event.h"
#include "core/result.h"
#include "store/database.h"

namespace docket {

inline constexpr std::size_t kMaxSearchQueryBytes = 500;
inline constexpr std::size_t kMaxSearchWords = 16;
inline constexpr std::size_t kMaxIndexedDocumentBytes = 256 * 1024;
// Snippets mark each matched word as «word».
inline constexpr const char* kSnippetOpen = "«";
inline constexpr const char* kSnippetClose = "»";

struct SearchQuery {
  std::string text{};                // as typed: words that must all match; "word*" matches a prefix
  std::string workflow{};            // when set: only cases of this workflow
  std::string unit{};                // when set: only cases of this unit
  std::vector<std::string> units{};  // when not empty: only cases of these units
  bool open_only = false;            // only cases not in a terminal stage
  int offset = 0;                    // skip this many of the ranked matches
  int limit = 20;
};

struct SearchHit {
  Case state;           // the case as its row stores it (no recommendations or documents)
  std::string snippet;  // the best-matching passage on one line, matched words in « »
  double score = 0;     // relevance (bm25 with the sign turned): higher is better
};

class SearchIndex {
 public:
  explicit SearchIndex(StatementSource db) : db_(db) {}

  // Case `case_id` went from `before` (null: a new case) to `after` by its new `events` (already
  // in the events table). When no searchable text changed nothing is done. Otherwise, inside a
  // write of a Database, the case is marked pending in that transaction; given only an SQLite
  // connection, its row is brought up to date now. Store-internal (rows::save): throws
  // SQLite::Exception into the enclosing write.
  static void changed(StatementSource db, std::int64_t case_id, const Case* before, const Case& after,
                      const std::vector<Event>& events);

  // Brings the rows of the pending cases up to date, in a write transaction of its own (nested
  // in the caller's if there is one). Nothing is written when none is pending. Errors: busy,
  // storage (nothing of the catch-up is stored; the cases stay pending).
  static Status catch_up(Database& db);

  // Whether some case is pending. Errors: busy, storage.
  Result<bool> behind();

  // Indexes every stored case afresh (after the migration that created the index); none is
  // pending after it. Store-internal (Database's migration): call inside the write
  // transaction; throws SQLite::Exception into it.
  void rebuild();

  // The matches of query.text, best first (ties by case number), query.limit at most. Pending
  // cases are indexed first (catch_up), so the connection must be able to write.
  // Errors: invalid_argument when the text is empty, too long, not UTF-8, has too many words or
  // nothing to search for (the message says which); busy, storage.
  Result<std::vector<SearchHit>> search(const SearchQuery& query);

  // The FTS5 query for what a user typed: each word a quoted phrase (so quotes, operators and
  // punctuation are only text), "word*" a prefix, all words required. Errors: as search().
  Result<std::string> match_expression(std::string_view text);

 private:
  struct Row;
  // Indexes the pending cases and clears search_pending. Call inside a write transaction.
  void index_pending();
  // Brings the row of case `case_id` up to `after`; the comments and the documents' text are
  // read again only when `comments` / `documents` say they may have changed (or there is no row).
  void refresh(std::int64_t case_id, const Case& after, bool comments, bool documents);
  std::optional<Row> read_row(std::int64_t case_id);
  std::string stored_comments(std::int64_t case_id);
  std::string document_text(const Case& state);
  void write_row(std::int64_t case_id, const Row& row, bool replace);
  Result<std::string> match_words(std::string_view text);
  Result<std::vector<SearchHit>> select_hits(const SearchQuery& query, const std::string& match);
  void index_pending_in_savepoint();
  // Runs `read` (returning a Result or Status), answering a SQLite::Exception with its error.
  template <typename Read>
  auto catch_storage_errors(Read&& read) -> decltype(read());

  StatementSource db_;
};

}  // namespace docket
