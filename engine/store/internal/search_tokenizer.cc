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

// One docket_vi tokenizer (FTS5 makes one per table and per query).
struct Instance {
  const Unicode61* parent = nullptr;
  Fts5Tokenizer* unicode61 = nullptr;
};

// Passes each unicode61 token on to FTS5 with đ folded.
struct Forward {
  void* context;
  TokenCallback token;
  std::string folded;
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

int create(void* context, const char** arguments, int count, Fts5Tokenizer** made) {
  const auto* parent = static_cast<const Unicode61*>(context);
  try {
    // Ours first: arguments given in the table definition may add to them.
    std::vector<const char*> all = {"remove_diacritics", "2"};
    all.insert(all.end(), arguments, arguments + count);
    auto instance = std::make_unique<Instance>();
    instance->parent = parent;
    const int code =
        parent->methods.xCreate(parent->context, all.data(), static_cast<int>(all.size()), &instance->unicode61);
    if (code != SQLITE_OK) return code;
    *made = reinterpret_cast<Fts5Tokenizer*>(instance.release());
    return SQLITE_OK;
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  }
}

void destroy(Fts5Tokenizer* tokenizer) {
  auto* instance = reinterpret_cast<Instance*>(tokenizer);
  instance->parent->methods.xDelete(instance->unicode61);
  delete instance;
}

int forward_token(void* context, int flags, const char* token, int size, int start, int end) {
  auto* forward = static_cast<Forward*>(context);
  const std::string_view text(token, static_cast<std::size_t>(size));
  if (text.find('\xC4') == std::string_view::npos)
    return forward->token(forward->context, flags, token, size, start, end);
  try {
    forward->folded = fold_stroked_d(text);
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  }
  // The offsets stay those of the original text: snippets highlight what was written.
  return forward->token(forward->context, flags, forward->folded.data(), static_cast<int>(forward->folded.size()),
                        start, end);
}

int tokenize(Fts5Tokenizer* tokenizer, void* context, int flags, const char* text, int size, TokenCallback token) {
  auto* instance = reinterpret_cast<Instance*>(tokenizer);
  Forward forward{context, token, {}};
  return instance->parent->methods.xTokenize(instance->unicode61, &forward, flags, text, size, forward_token);
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
