#include "store/internal/search_tokenizer.h"

#include <sqlite3.h>

#include <memory>

#include "core/text.h"

namespace docket {
namespace {

using TokenCallback = int (*)(void*, int, const char*, int, int, int);

// The unicode61 tokenizer docket_vi delegates to, as FTS5 handed it out.
struct Unicode61 {
  fts5_tokenizer methods{};
  void* context = nullptr;
};

// One docket_vi tokenizer (FTS5 makes one per table and per query): two unicode61 tokenizers,
// one folding diacritics away and one keeping them.
struct Instance {
  const Unicode61* parent = nullptr;
  Fts5Tokenizer* folding = nullptr;
  Fts5Tokenizer* exact = nullptr;
};

// Passes each folding token on to FTS5 with đ folded; in a document, also the token as written
// (lower case, diacritics kept) at the same position when it differs from the folded one.
struct Forward {
  void* context;
  TokenCallback token;
  const Instance* instance;
  const char* text;
  bool document;
  std::string folded, exact;
};

void check(SQLite::Database& db, int code) {
  if (code != SQLITE_OK) throw SQLite::Exception(db.getHandle(), code);
}

fts5_api* fts5_of(SQLite::Database& db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db.getHandle(), "SELECT fts5(?1)", -1, &statement, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(statement, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(statement);
  }
  sqlite3_finalize(statement);
  if (api == nullptr) throw SQLite::Exception("this SQLite was built without FTS5, which search needs");
  return api;
}

int make_unicode61(const Unicode61* parent, const char* remove_diacritics, const char** arguments, int count,
                   Fts5Tokenizer** made) {
  // Ours first: arguments given in the table definition may add to them.
  std::vector<const char*> all = {"remove_diacritics", remove_diacritics};
  all.insert(all.end(), arguments, arguments + count);
  return parent->methods.xCreate(parent->context, all.data(), static_cast<int>(all.size()), made);
}

void destroy(Fts5Tokenizer* tokenizer) {
  auto* instance = reinterpret_cast<Instance*>(tokenizer);
  if (instance->folding != nullptr) instance->parent->methods.xDelete(instance->folding);
  if (instance->exact != nullptr) instance->parent->methods.xDelete(instance->exact);
  delete instance;
}

int create(void* context, const char** arguments, int count, Fts5Tokenizer** made) {
  const auto* parent = static_cast<const Unicode61*>(context);
  try {
    auto instance = std::make_unique<Instance>();
    instance->parent = parent;
    int code = make_unicode61(parent, "2", arguments, count, &instance->folding);
    if (code == SQLITE_OK) code = make_unicode61(parent, "0", arguments, count, &instance->exact);
    if (code != SQLITE_OK) {
      destroy(reinterpret_cast<Fts5Tokenizer*>(instance.release()));
      return code;
    }
    *made = reinterpret_cast<Fts5Tokenizer*>(instance.release());
    return SQLITE_OK;
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  }
}

int keep_first_token(void* context, int, const char* token, int size, int, int) {
  auto* kept = static_cast<std::string*>(context);
  if (kept->empty()) kept->assign(token, static_cast<std::size_t>(size));
  return SQLITE_OK;
}

// The token at text[start, end) as written, lower case with its diacritics, after kExactMark.
int exact_token(Forward& forward, int start, int end) {
  std::string written;
  const int code = forward.instance->parent->methods.xTokenize(
      forward.instance->exact, &written, FTS5_TOKENIZE_DOCUMENT, forward.text + start, end - start, keep_first_token);
  forward.exact = std::string(kExactMark) + written;
  return code;
}

int forward_token(void* context, int flags, const char* token, int size, int start, int end) {
  auto* forward = static_cast<Forward*>(context);
  const std::string_view text(token, static_cast<std::size_t>(size));
  try {
    forward->folded = text.find('\xC4') == std::string_view::npos ? std::string(text) : fold_stroked_d(text);
    // The offsets stay those of the original text: snippets highlight what was written.
    int code = forward->token(forward->context, flags, forward->folded.data(), static_cast<int>(forward->folded.size()),
                              start, end);
    if (code != SQLITE_OK || !forward->document) return code;
    if (code = exact_token(*forward, start, end); code != SQLITE_OK) return code;
    if (std::string_view(forward->exact).substr(kExactMark.size()) == forward->folded) return SQLITE_OK;
    return forward->token(forward->context, flags | FTS5_TOKEN_COLOCATED, forward->exact.data(),
                          static_cast<int>(forward->exact.size()), start, end);
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  }
}

// A query phrase that starts with kExactMark asks for the tokens as written: each is passed on
// with the mark, as documents store them.
struct MarkExact {
  void* context;
  TokenCallback token;
  int shift;
  std::string marked;
};

int mark_exact_token(void* context, int flags, const char* token, int size, int start, int end) {
  auto* mark = static_cast<MarkExact*>(context);
  try {
    mark->marked = std::string(kExactMark) + std::string(token, static_cast<std::size_t>(size));
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  }
  return mark->token(mark->context, flags, mark->marked.data(), static_cast<int>(mark->marked.size()),
                     start + mark->shift, end + mark->shift);
}

int tokenize(Fts5Tokenizer* tokenizer, void* context, int flags, const char* text, int size, TokenCallback token) {
  auto* instance = reinterpret_cast<Instance*>(tokenizer);
  const std::string_view whole(text, static_cast<std::size_t>(size));
  if ((flags & FTS5_TOKENIZE_QUERY) != 0 && whole.starts_with(kExactMark)) {
    const int shift = static_cast<int>(kExactMark.size());
    MarkExact mark{context, token, shift, {}};
    return instance->parent->methods.xTokenize(instance->exact, &mark, flags, text + shift, size - shift,
                                               mark_exact_token);
  }
  Forward forward{context, token, instance, text, (flags & FTS5_TOKENIZE_DOCUMENT) != 0, {}, {}};
  return instance->parent->methods.xTokenize(instance->folding, &forward, flags, text, size, forward_token);
}

int collect_token(void* context, int, const char* token, int size, int, int) {
  try {
    static_cast<std::vector<std::string>*>(context)->emplace_back(token, static_cast<std::size_t>(size));
    return SQLITE_OK;
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  }
}

}  // namespace

void register_search_tokenizer(SQLite::Database& db) {
  fts5_api* api = fts5_of(db);
  auto parent = std::make_unique<Unicode61>();
  check(db, api->xFindTokenizer(api, "unicode61", &parent->context, &parent->methods));
  fts5_tokenizer methods{create, destroy, tokenize};
  check(db, api->xCreateTokenizer(api, kSearchTokenizer, parent.get(), &methods,
                                  [](void* context) { delete static_cast<Unicode61*>(context); }));
  parent.release();  // FTS5 owns it now and deletes it when the connection closes
}

std::vector<std::string> search_tokens(SQLite::Database& db, std::string_view text) {
  fts5_api* api = fts5_of(db);
  void* context = nullptr;
  fts5_tokenizer methods{};
  check(db, api->xFindTokenizer(api, kSearchTokenizer, &context, &methods));
  Fts5Tokenizer* tokenizer = nullptr;
  check(db, methods.xCreate(context, nullptr, 0, &tokenizer));
  std::vector<std::string> tokens;
  const int code = methods.xTokenize(tokenizer, &tokens, FTS5_TOKENIZE_QUERY, text.data(),
                                     static_cast<int>(text.size()), collect_token);
  methods.xDelete(tokenizer);
  check(db, code);
  return tokens;
}

}  // namespace docket
