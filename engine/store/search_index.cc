#include "store/search_index.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "core/text.h"
#include "store/internal/case_rows.h"
#include "store/internal/event_codec.h"
#include "store/internal/search_tokenizer.h"
#include "store/internal/unit_list.h"

namespace docket {

struct SearchIndex::Row {
  std::string title, fields, comments, recommendations, documents;
  bool operator==(const Row&) const = default;
};

namespace {

void add_line(std::string& text, std::string_view line) {
  if (line.empty()) return;
  if (!text.empty()) text += '\n';
  text += line;
}

std::string field_text(const Case& state) {
  std::string text;
  for (const auto& [id, value] : state.fields) add_line(text, value);
  return text;
}

std::string recommendation_text(const Case& state) {
  std::string text;
  for (const Recommendation& recommendation : state.recommendations) {
    add_line(text, recommendation.text);
    add_line(text, recommendation.answer_text);
  }
  return text;
}

bool is_searchable_type(std::string media_type) {
  std::transform(media_type.begin(), media_type.end(), media_type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const std::string_view type : {"text/plain", "text/markdown", "text/x-markdown"}) {
    if (media_type.compare(0, type.size(), type) == 0 &&
        (media_type.size() == type.size() || media_type[type.size()] == ';' || media_type[type.size()] == ' ')) {
      return true;
    }
  }
  return false;
}

// `content` cut to kMaxIndexedDocumentBytes may end inside a character: drop that part. Text
// that is not UTF-8 otherwise is not indexed (it would come back garbled in snippets).
std::optional<std::string> indexable_text(std::string content, bool cut) {
  const std::size_t bad = first_invalid_utf8(content);
  if (bad == std::string::npos) return content;
  if (cut && content.size() - bad < 4) {
    content.resize(bad);
    return content;
  }
  return std::nullopt;
}

// One line, so a snippet fits a table cell: runs of white space become one space.
std::string one_line(std::string_view text) {
  std::string line;
  bool space = false;
  for (const char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !line.empty();
      continue;
    }
    if (space) line += ' ';
    space = false;
    line += c;
  }
  return line;
}

// rows::kCaseColumns qualified with "c." (the index has columns of its own).
std::string case_columns() {
  std::string columns;
  std::string_view all = rows::kCaseColumns;
  while (!all.empty()) {
    const std::size_t comma = all.find(", ");
    columns += (columns.empty() ? "c." : ", c.") + std::string(all.substr(0, comma));
    all = comma == std::string_view::npos ? std::string_view{} : all.substr(comma + 2);
  }
  return columns;
}

Error invalid_query(const std::string& message) { return make_error(ErrorCode::invalid_argument, message); }

}  // namespace

template <typename Read>
auto SearchIndex::catch_storage_errors(Read&& read) -> decltype(read()) {
  try {
    return read();
  } catch (const SQLite::Exception& problem) {
    if (const Database* database = db_.database()) return storage_error(problem, database->busy_timeout_ms());
    int busy_timeout_ms = 0;  // given only the connection: ask it, for the message
    try {
      busy_timeout_ms = db_.sql().execAndGet("PRAGMA busy_timeout").getInt();
    } catch (const SQLite::Exception&) {  // the message then says 0 ms; the fault is the one reported
    }
    return storage_error(problem, busy_timeout_ms);
  }
}

std::optional<SearchIndex::Row> SearchIndex::read_row(std::int64_t case_id) {
  CachedStatement statement = db_.prepare(
      "SELECT case_title, case_fields, comments, recommendations, documents FROM case_search WHERE rowid = ?");
  SQLite::Statement& query = *statement;
  query.bind(1, static_cast<int64_t>(case_id));
  if (!query.executeStep()) return std::nullopt;
  return Row{query.getColumn(0).getString(), query.getColumn(1).getString(), query.getColumn(2).getString(),
             query.getColumn(3).getString(), query.getColumn(4).getString()};
}

std::string SearchIndex::stored_comments(std::int64_t case_id) {
  CachedStatement statement =
      db_.prepare("SELECT payload FROM events WHERE case_id = ? AND type = 'comment.added' ORDER BY case_seq");
  SQLite::Statement& query = *statement;
  query.bind(1, static_cast<int64_t>(case_id));
  std::string text;
  while (query.executeStep()) {
    auto payload = decode_payload("comment.added", query.getColumn(0).getString());
    if (payload) add_line(text, std::get<CommentAdded>(*payload).text);
  }
  return text;
}

std::string SearchIndex::document_text(const Case& state) {
  std::map<std::string, const DocumentRecord*> newest;  // by kind: an older version was replaced
  for (const DocumentRecord& document : state.documents) {
    const DocumentRecord*& slot = newest[document.kind];
    if (slot == nullptr || document.version > slot->version) slot = &document;
  }
  CachedStatement statement = db_.prepare("SELECT substr(content, 1, ?), size FROM blobs WHERE sha256 = ?");
  SQLite::Statement& query = *statement;
  std::string text;
  for (const auto& [kind, document] : newest) {
    if (!is_searchable_type(document->media_type)) continue;
    query.reset();
    query.bind(1, static_cast<int64_t>(kMaxIndexedDocumentBytes));
    query.bind(2, document->sha256);
    if (!query.executeStep()) continue;
    const SQLite::Column content = query.getColumn(0);
    const bool cut = query.getColumn(1).getInt64() > static_cast<std::int64_t>(kMaxIndexedDocumentBytes);
    auto indexable = indexable_text(
        std::string(static_cast<const char*>(content.getBlob()), static_cast<std::size_t>(content.getBytes())), cut);
    if (indexable) add_line(text, *indexable);
  }
  return text;
}

void SearchIndex::write_row(std::int64_t case_id, const Row& row, bool replace) {
  CachedStatement statement =
      db_.prepare(replace ? "UPDATE case_search SET case_title = ?2, case_fields = ?3, comments = ?4, "
                            "recommendations = ?5, documents = ?6 WHERE rowid = ?1"
                          : "INSERT INTO case_search (rowid, case_title, case_fields, comments, recommendations, "
                            "documents) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  SQLite::Statement& write = *statement;
  write.bind(1, static_cast<int64_t>(case_id));
  write.bind(2, row.title);
  write.bind(3, row.fields);
  write.bind(4, row.comments);
  write.bind(5, row.recommendations);
  write.bind(6, row.documents);
  write.exec();
}

void SearchIndex::refresh(std::int64_t case_id, const Case& after, bool comments, bool documents) {
  const std::optional<Row> before = read_row(case_id);
  Row row{after.title, field_text(after), "", recommendation_text(after), ""};
  if (before) {
    row.comments = comments ? stored_comments(case_id) : before->comments;
    row.documents = documents ? document_text(after) : before->documents;
    if (row == *before) return;
  } else {
    row.comments = stored_comments(case_id);
    row.documents = document_text(after);
  }
  write_row(case_id, row, before.has_value());
}

namespace {

// Whether `events` may change the text of the case's documents as the index holds it: a
// plain-text or Markdown document attached, or another version of a kind that had one.
bool touches_document_text(const Case* before, const std::vector<Event>& events) {
  for (const Event& event : events) {
    const auto* attached = std::get_if<DocumentAttached>(&event.payload);
    if (attached == nullptr) continue;
    if (is_searchable_type(attached->media_type) || before == nullptr) return true;
    for (const DocumentRecord& document : before->documents) {
      if (document.kind == attached->kind && is_searchable_type(document.media_type)) return true;
    }
  }
  return false;
}

}  // namespace

void SearchIndex::changed(StatementSource db, std::int64_t case_id, const Case* before, const Case& after,
                          const std::vector<Event>& events) {
  const bool comments = std::any_of(events.begin(), events.end(), [](const Event& event) {
    return std::holds_alternative<CommentAdded>(event.payload);
  });
  const bool documents = touches_document_text(before, events);
  // Stage, assignee, deadlines: nothing the index holds.
  const bool text = before == nullptr || comments || documents || before->title != after.title ||
                    before->fields != after.fields || recommendation_text(*before) != recommendation_text(after);
  if (!text) return;
  Database* database = db.database();
  if (database == nullptr || !database->in_write()) {
    SearchIndex(db).refresh(case_id, after, comments, documents);
    return;
  }
  // Left for catch_up(), in the change's own transaction: committed together, rolled back together.
  CachedStatement statement = db.prepare(R"sql(INSERT INTO search_pending (case_id, comments, documents)
    VALUES (?, ?, ?) ON CONFLICT (case_id) DO UPDATE
    SET comments = comments OR excluded.comments, documents = documents OR excluded.documents)sql");
  SQLite::Statement& pending = *statement;
  pending.bind(1, static_cast<int64_t>(case_id));
  pending.bind(2, comments ? 1 : 0);
  pending.bind(3, documents ? 1 : 0);
  pending.exec();
}

Result<bool> SearchIndex::behind() {
  return catch_storage_errors([&]() -> Result<bool> {
    CachedStatement statement = db_.prepare("SELECT 1 FROM search_pending LIMIT 1");
    return statement->executeStep();
  });
}

void SearchIndex::index_pending() {
  struct Due {
    std::int64_t case_id;
    std::string number;
    bool comments, documents;
  };
  std::vector<Due> due;
  {
    CachedStatement statement = db_.prepare(
        "SELECT p.case_id, c.number, p.comments, p.documents FROM search_pending p JOIN cases c ON c.id = p.case_id");
    SQLite::Statement& query = *statement;
    while (query.executeStep()) {
      due.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getString(), query.getColumn(2).getInt() != 0,
                     query.getColumn(3).getInt() != 0});
    }
  }
  Database* database = db_.database();
  for (const Due& pending : due) {
    // The writer most often still holds the case as it saved it.
    const rows::LoadedCase* kept =
        database != nullptr ? database->writer_cache<rows::CaseCache>().find(*database, pending.number) : nullptr;
    if (kept != nullptr) {
      refresh(pending.case_id, kept->state, pending.comments, pending.documents);
    } else if (const auto loaded = rows::load_case(db_, pending.number)) {
      refresh(pending.case_id, loaded->state, pending.comments, pending.documents);
    }
  }
  db_.sql().exec("DELETE FROM search_pending");
}

Status SearchIndex::catch_up(Database& db) {
  DOCKET_TRY(behind, SearchIndex(db).behind());
  if (!*behind) return Ok{};
  return db.write([&]() -> Status {
    SearchIndex(db).index_pending();
    return Ok{};
  });
}

void SearchIndex::rebuild() {
  db_.sql().exec("DELETE FROM case_search");
  std::vector<std::string> numbers;
  SQLite::Statement query(db_.sql(), "SELECT number FROM cases ORDER BY id");
  while (query.executeStep()) numbers.push_back(query.getColumn(0).getString());
  for (const std::string& number : numbers) {
    const auto loaded = rows::load_case(db_, number);
    if (loaded) refresh(loaded->id, loaded->state, true, true);
  }
  db_.sql().exec("DELETE FROM search_pending");
}

Result<std::string> SearchIndex::match_expression(std::string_view text) {
  return catch_storage_errors([&] { return match_words(text); });
}

Result<std::string> SearchIndex::match_words(std::string_view typed) {
  if (!is_valid_utf8(typed)) return invalid_query("the search query is not valid UTF-8");
  const std::string nfc = to_nfc(typed);  // the index holds NFC text (core/command_text.h)
  const std::string_view text = nfc;
  if (text.size() > kMaxSearchQueryBytes) {
    return invalid_query("the search query is " + std::to_string(text.size()) + " bytes long; the limit is " +
                         std::to_string(kMaxSearchQueryBytes));
  }
  std::vector<std::string_view> words;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find_first_of(" \t\r\n\f\v", start), text.size());
    if (end > start) words.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  if (words.empty())
    return invalid_query("the search query is empty: give one or more words to look for, e.g. giam ngheo");
  if (words.size() > kMaxSearchWords) {
    return invalid_query("the search query has " + std::to_string(words.size()) + " words; give at most " +
                         std::to_string(kMaxSearchWords));
  }
  std::string match;
  for (std::string_view word : words) {
    const bool prefix = word.back() == '*';
    while (!word.empty() && word.back() == '*') word.remove_suffix(1);
    std::string written;
    for (const char c : word) {
      if (c == '"')
        written += "\"\"";
      else if (c != kExactMark.front())
        written += c;
    }
    const std::vector<std::string> folded = search_tokens(db_.sql(), written);
    if (folded.empty()) continue;  // only punctuation: nothing to match
    const std::string star = prefix ? "*" : "";
    std::string term = "\"" + written + "\"" + star;
    // Typed with diacritics (or đ): the same word as written also matches, so that the cases
    // spelling it exactly score twice (bm25 adds up the phrases) and rank first.
    if (std::vector<std::string> exact = search_tokens(db_.sql(), std::string(kExactMark) + written);
        exact.size() == folded.size()) {
      bool differs = false;
      for (std::size_t i = 0; i < exact.size(); ++i)
        differs = differs || exact[i].substr(kExactMark.size()) != folded[i];
      if (differs) term = "(" + term + " OR \"" + std::string(kExactMark) + written + "\"" + star + ")";
    }
    match += (match.empty() ? "" : " AND ") + term;
  }
  if (match.empty())
    return invalid_query("the search query " + in_quotes(text) + " has no letters or digits to look for");
  return match;
}

Result<std::vector<SearchHit>> SearchIndex::search(const SearchQuery& query) {
  DOCKET_TRY(match, match_expression(query.text));
  // What is committed is found: the cases whose text changed since the index was last brought
  // up to date are indexed first (by this connection, in a write of its own). Inside a read
  // transaction the index is searched as that transaction sees it: the server's writer brought
  // it up to date before the search began (Route::indexed).
  Database* database = db_.database();
  const bool reading =
      sqlite3_get_autocommit(db_.sql().getHandle()) == 0 && (database == nullptr || !database->in_write());
  if (!reading) {
    DOCKET_TRY(pending, behind());
    // With the disk full the pending cases cannot be indexed: what is indexed is searched.
    const auto stopping = [](const Status& current) {
      return !current && current.error().code != ErrorCode::storage_full;
    };
    if (*pending && database != nullptr) {
      if (const Status current = catch_up(*database); stopping(current)) return current.error();
    } else if (*pending) {
      const Status current = catch_storage_errors([&]() -> Status {
        index_pending_in_savepoint();
        return Ok{};
      });
      if (stopping(current)) return current.error();
    }
  }
  return catch_storage_errors([&] { return select_hits(query, *match); });
}

void SearchIndex::index_pending_in_savepoint() {
  db_.sql().exec("SAVEPOINT search_catch_up");
  try {
    index_pending();
  } catch (...) {
    db_.sql().exec("ROLLBACK TO search_catch_up");
    db_.sql().exec("RELEASE search_catch_up");
    throw;
  }
  db_.sql().exec("RELEASE search_catch_up");
}

Result<std::vector<SearchHit>> SearchIndex::select_hits(const SearchQuery& query, const std::string& match) {
  std::string sql = "SELECT " + case_columns() + ", snippet(case_search, -1, '" + kSnippetOpen + "', '" +
                    kSnippetClose +
                    "', '…', 16), bm25(case_search, 10.0, 4.0, 1.0, 2.0, 1.0) AS score"
                    " FROM case_search CROSS JOIN cases c ON c.id = case_search.rowid WHERE case_search MATCH :match";
  if (!query.workflow.empty()) sql += " AND c.workflow_id = :workflow";
  if (!query.unit.empty()) sql += " AND c.unit_id = :unit";
  if (query.open_only) sql += " AND c.closed = 0";
  sql += unit_list_sql("c.unit_id", query.units.size());
  sql += " ORDER BY score, c.number LIMIT :limit OFFSET :offset";
  try {
    SQLite::Statement select(db_.sql(), sql);
    select.bind(":match", match);
    if (!query.workflow.empty()) select.bind(":workflow", query.workflow);
    if (!query.unit.empty()) select.bind(":unit", query.unit);
    bind_unit_list(select, query.units);
    select.bind(":limit", query.limit);
    select.bind(":offset", query.offset);
    const int snippet = select.getColumnCount() - 2;  // after the case's columns
    std::vector<SearchHit> hits;
    while (select.executeStep()) {
      hits.push_back(SearchHit{rows::read_case_row(select), one_line(select.getColumn(snippet).getString()),
                               -select.getColumn(snippet + 1).getDouble()});
    }
    return hits;
  } catch (const SQLite::Exception& problem) {
    // The query is built to be valid; should FTS5 still refuse it, say so as bad input.
    if (std::string_view(problem.what()).find("fts5") == std::string_view::npos) throw;
    return invalid_query("cannot search for " + in_quotes(query.text) + ": " + problem.what());
  }
}

}  // namespace docket
