#include "store/directory.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "core/field_value.h"
#include "core/text.h"
#include "core/time.h"
#include "store/internal/directory_rows.h"
#include "store/internal/hash.h"
#include "store/sign_in.h"
#include "store/workflow_registry.h"

#include <openssl/rand.h>

namespace docket {
namespace {

// roles_at() inside write transactions, per connection (see directory.h). Only add_user()
// writes user_roles, and only by adding.
struct RolesInWrites : Database::WriterCache {
  static constexpr std::size_t kMaxEntries = 4096;
  std::unordered_map<std::string, std::vector<std::string>> roles;  // by user and unit

  void rolled_back() override { roles.clear(); }
  void check(Database& db) {
    if (!unchanged_by_others(db)) roles.clear();
  }
};

// The role ids declared by the workflows installed in the database.
Result<std::set<std::string>> declared_roles(Database& database, const Clock& clock) {
  std::set<std::string> roles;
  DOCKET_TRY(catalog, WorkflowRegistry(database, clock).catalog());
  for (const WorkflowDefinition* definition : catalog->latest_of_each()) {
    for (const auto& role : definition->roles) roles.insert(role.id);
  }
  return roles;
}

std::string join(const std::set<std::string>& items) {
  std::string joined;
  for (const auto& item : items) joined += (joined.empty() ? "" : ", ") + item;
  return joined;
}

}  // namespace

Status Directory::add_user(const std::string& id, const std::string& typed_name, const std::string& unit,
                           const std::vector<std::string>& roles, const std::string& actor) {
  const std::string name = to_nfc(typed_name);  // names are text people type (core/text.h)
  if (const Status valid = rows::check_code("user", id); !valid) return valid;
  if (const Status valid = check_text("user name", name, kMaxShortText, false); !valid) return valid;
  if (roles.empty()) return make_error(ErrorCode::invalid_argument, "a user needs at least one role (--role)");
  DOCKET_TRY(known, declared_roles(db_, clock_));
  for (const auto& role : roles) {
    if (!known->count(role)) {
      return make_error(ErrorCode::not_found, "unknown role " + in_quotes(role) +
                                                  " (roles of the installed workflows: " + join(*known) + ")");
    }
  }
  return db_.write([&]() -> Status {
    if (!rows::unit_exists(db_.sql(), unit)) return make_error(ErrorCode::not_found, "unknown unit " + in_quotes(unit));
    db_.writer_cache<RolesInWrites>().roles.clear();  // the roles granted below
    CachedStatement insert_user_statement =
        db_.prepare("INSERT INTO users (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING");
    SQLite::Statement& insert_user = *insert_user_statement;
    insert_user.bind(1, id);
    insert_user.bind(2, name);
    insert_user.bind(3, now_text());
    if (insert_user.exec() == 1) {
      if (const Status added = record("user.added", actor, {{"user", id}, {"name", name}}); !added) return added;
    }
    for (const auto& role : roles) {
      CachedStatement grant_statement =
          db_.prepare("INSERT OR IGNORE INTO user_roles (user_id, unit_id, role) VALUES (?, ?, ?)");
      SQLite::Statement& grant = *grant_statement;
      grant.bind(1, id);
      grant.bind(2, unit);
      grant.bind(3, role);
      if (grant.exec() == 0) continue;  // held already: nothing changed
      if (const Status granted = record("role.granted", actor, {{"user", id}, {"unit", unit}, {"role", role}});
          !granted)
        return granted;
    }
    return Ok{};
  });
}

Status Directory::remove_roles(const std::string& user, const std::string& unit, const std::vector<std::string>& roles,
                               const std::string& actor) {
  if (roles.empty()) return make_error(ErrorCode::invalid_argument, "name the role(s) to remove (--role)");
  return db_.write([&]() -> Status {
    CachedStatement known = db_.prepare("SELECT 1 FROM users WHERE id = ?");
    known->bind(1, user);
    if (!known->executeStep()) return make_error(ErrorCode::not_found, "unknown user " + in_quotes(user));
    db_.writer_cache<RolesInWrites>().roles.clear();  // the roles taken below
    for (const auto& role : roles) {
      CachedStatement remove = db_.prepare("DELETE FROM user_roles WHERE user_id = ? AND unit_id = ? AND role = ?");
      remove->bind(1, user);
      remove->bind(2, unit);
      remove->bind(3, role);
      if (remove->exec() == 0) {
        return make_error(ErrorCode::not_found, "user " + in_quotes(user) + " does not hold role " + in_quotes(role) +
                                                    " at unit " + in_quotes(unit) + "; nothing was removed");
      }
      if (const Status revoked = record("role.revoked", actor, {{"user", user}, {"unit", unit}, {"role", role}});
          !revoked)
        return revoked;
    }
    return Ok{};
  });
}

Result<std::vector<User>> Directory::users() {
  return catch_storage_errors(db_, [&]() -> Result<std::vector<User>> {
    std::map<std::string, User> by_id;
    CachedStatement query_statement = db_.prepare(R"sql(
      SELECT u.id, u.name, COALESCE(r.unit_id, ''), COALESCE(r.role, '')
      FROM users u LEFT JOIN user_roles r ON r.user_id = u.id ORDER BY u.id, r.unit_id, r.role)sql");
    SQLite::Statement& query = *query_statement;
    while (query.executeStep()) {
      User& user = by_id[query.getColumn(0).getString()];
      user.id = query.getColumn(0).getString();
      user.name = query.getColumn(1).getString();
      if (!query.getColumn(3).getString().empty())
        user.roles.push_back({query.getColumn(2).getString(), query.getColumn(3).getString()});
    }
    std::vector<User> result;
    for (auto& [id, user] : by_id) result.push_back(std::move(user));
    return result;
  });
}

Result<User> Directory::user(const std::string& id) {
  return catch_storage_errors(db_, [&]() -> Result<User> {
    if (const User* kept = memo().users.find(db_, id)) return *kept;
    CachedStatement query_statement = db_.prepare("SELECT name FROM users WHERE id = ?");
    SQLite::Statement& query = *query_statement;
    query.bind(1, id);
    if (!query.executeStep()) return make_error(ErrorCode::not_found, "unknown user " + in_quotes(id));
    User user{id, query.getColumn(0).getString(), {}};
    CachedStatement roles_statement =
        db_.prepare("SELECT unit_id, role FROM user_roles WHERE user_id = ? ORDER BY unit_id, role");
    SQLite::Statement& roles = *roles_statement;
    roles.bind(1, id);
    while (roles.executeStep()) user.roles.push_back({roles.getColumn(0).getString(), roles.getColumn(1).getString()});
    memo().users.keep(id, user);
    return user;
  });
}

Result<std::vector<std::string>> Directory::roles_at(const std::string& user, const std::string& unit) {
  return catch_storage_errors(db_, [&] { return read_roles_at(user, unit); });
}

Result<std::vector<std::string>> Directory::read_roles_at(const std::string& user, const std::string& unit) {
  const std::string key = user + '\x1f' + unit;  // stored ids hold no \x1f: real pairs never collide
  RolesInWrites* in_write = db_.in_write() ? &db_.writer_cache<RolesInWrites>() : nullptr;
  if (in_write != nullptr) {
    in_write->check(db_);
    if (const auto kept = in_write->roles.find(key); kept != in_write->roles.end()) return kept->second;
  } else if (const std::vector<std::string>* kept = memo().roles.find(db_, key)) {
    return *kept;
  }
  std::vector<std::string> roles;
  CachedStatement query_statement =
      db_.prepare("SELECT role FROM user_roles WHERE user_id = ? AND unit_id = ? ORDER BY role");
  SQLite::Statement& query = *query_statement;
  query.bind(1, user);
  query.bind(2, unit);
  while (query.executeStep()) roles.push_back(query.getColumn(0).getString());
  if (in_write != nullptr) {
    if (in_write->roles.size() >= RolesInWrites::kMaxEntries) in_write->roles.clear();
    in_write->roles.insert_or_assign(key, roles);
  } else {
    memo().roles.keep(key, roles);
  }
  return roles;
}

std::string Directory::now_text() const { return format_timestamp(clock_.now()); }

Result<std::string> Directory::issue_token(const std::string& user, const std::string& actor) {
  if (auto known = this->user(user); !known) return known.error();
  unsigned char random[32];
  if (RAND_bytes(random, sizeof random) != 1) return make_error(ErrorCode::internal, "no random bytes for a token");
  Digest bytes{};
  std::copy(std::begin(random), std::end(random), bytes.begin());
  const std::string token = "dkt_" + to_hex(bytes);
  const Digest hash = sha256(token);
  const Status stored = db_.write([&]() -> Status {
    CachedStatement insert_statement = db_.prepare("INSERT INTO tokens (hash, user_id, created_at) VALUES (?, ?, ?)");
    SQLite::Statement& insert = *insert_statement;
    insert.bind(1, hash.data(), static_cast<int>(hash.size()));
    insert.bind(2, user);
    insert.bind(3, now_text());
    insert.exec();
    // The token's id, never the token: the first 16 hex digits of its SHA-256, as stored.
    return record("token.issued", actor, {{"user", user}, {"token_id", to_hex(hash).substr(0, 16)}});
  });
  if (!stored) return stored.error();
  return token;
}

Result<int> Directory::revoke_tokens(const std::string& user, const std::string& actor) {
  if (auto known = this->user(user); !known) return known.error();
  int revoked = 0;
  const Status done = db_.write([&]() -> Status {
    CachedStatement update_statement =
        db_.prepare("UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL");
    SQLite::Statement& update = *update_statement;
    update.bind(1, now_text());
    update.bind(2, user);
    revoked = update.exec();
    if (revoked > 0) {
      if (const Status recorded = record("tokens.revoked", actor, {{"user", user}, {"count", std::int64_t{revoked}}});
          !recorded)
        return recorded;
    }
    DOCKET_TRY(ended, SignIn(db_, clock_).close_all(user, actor));
    return Ok{};
  });
  if (!done) return done.error();
  return revoked;
}

Result<Directory::TokenHolder> Directory::authenticate(const std::string& token) {
  const Digest hash = sha256(token);
  const std::string key(reinterpret_cast<const char*>(hash.data()), hash.size());
  return catch_storage_errors(db_, [&]() -> Result<TokenHolder> {
    if (const TokenHolder* kept = memo().holders.find(db_, key)) return *kept;
    CachedStatement query_statement = db_.prepare(
        "SELECT t.user_id, u.is_admin FROM tokens t JOIN users u ON u.id = t.user_id "
        "WHERE t.hash = ? AND t.revoked_at IS NULL");
    SQLite::Statement& query = *query_statement;
    query.bind(1, hash.data(), static_cast<int>(hash.size()));
    if (!query.executeStep()) return make_error(ErrorCode::not_found, "unknown or revoked token");
    TokenHolder holder{query.getColumn(0).getString(), query.getColumn(1).getInt() != 0};
    memo().holders.keep(key, holder);
    return holder;
  });
}

Status Directory::set_admin(const std::string& user, bool admin, const std::string& actor) {
  return db_.write([&]() -> Status {
    CachedStatement update_statement = db_.prepare("UPDATE users SET is_admin = ? WHERE id = ? AND is_admin IS NOT ?");
    SQLite::Statement& update = *update_statement;
    update.bind(1, admin ? 1 : 0);
    update.bind(2, user);
    update.bind(3, admin ? 1 : 0);
    if (update.exec() == 1) return record(admin ? "admin.granted" : "admin.revoked", actor, {{"user", user}});
    CachedStatement known = db_.prepare("SELECT 1 FROM users WHERE id = ?");
    known->bind(1, user);
    if (!known->executeStep()) return make_error(ErrorCode::not_found, "unknown user " + in_quotes(user));
    return Ok{};  // an administrator already, or not one already: nothing changed
  });
}

Result<bool> Directory::is_admin(const std::string& user) {
  return catch_storage_errors(db_, [&]() -> Result<bool> {
    CachedStatement query_statement = db_.prepare("SELECT is_admin FROM users WHERE id = ?");
    SQLite::Statement& query = *query_statement;
    query.bind(1, user);
    return query.executeStep() && query.getColumn(0).getInt() != 0;
  });
}

namespace {

// A plain addr-spec: one '@', something on each side, no spaces, controls or brackets (it goes
// into SMTP commands and headers as is).
bool is_plain_address(const std::string& email) {
  const auto at = email.find('@');
  if (email.size() > 254 || at == std::string::npos || at == 0 || at + 1 == email.size()) return false;
  if (email.find('@', at + 1) != std::string::npos) return false;
  return std::none_of(email.begin(), email.end(), [](unsigned char c) {
    return c <= ' ' || c == 0x7F || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ';' || c == '"' ||
           c == '\\';
  });
}

}  // namespace

Status Directory::set_email(const std::string& user, const std::string& email, const std::string& actor) {
  if (!email.empty() && !is_plain_address(email)) {
    return make_error(ErrorCode::invalid_argument,
                      in_quotes(email) + " is not an e-mail address (expected name@domain, no spaces)");
  }
  return db_.write([&]() -> Status {
    CachedStatement update_statement = db_.prepare("UPDATE users SET email = ? WHERE id = ? AND email IS NOT ?");
    SQLite::Statement& update = *update_statement;
    update.bind(1, email);
    update.bind(2, user);
    update.bind(3, email);
    if (update.exec() == 1) return record("user.email_set", actor, {{"user", user}, {"email", email}});
    CachedStatement known = db_.prepare("SELECT 1 FROM users WHERE id = ?");
    known->bind(1, user);
    if (!known->executeStep()) return make_error(ErrorCode::not_found, "unknown user " + in_quotes(user));
    return Ok{};  // the same address: nothing changed
  });
}

Result<std::string> Directory::email(const std::string& user) {
  return catch_storage_errors(db_, [&]() -> Result<std::string> {
    CachedStatement query_statement = db_.prepare("SELECT email FROM users WHERE id = ?");
    SQLite::Statement& query = *query_statement;
    query.bind(1, user);
    return query.executeStep() ? query.getColumn(0).getString() : "";
  });
}

Result<std::vector<std::string>> Directory::users_with_role(const std::string& unit, const std::string& role) {
  return catch_storage_errors(db_, [&]() -> Result<std::vector<std::string>> {
    std::vector<std::string> users;
    CachedStatement query_statement =
        db_.prepare("SELECT user_id FROM user_roles WHERE unit_id = ? AND role = ? ORDER BY user_id");
    SQLite::Statement& query = *query_statement;
    query.bind(1, unit);
    query.bind(2, role);
    while (query.executeStep()) users.push_back(query.getColumn(0).getString());
    return users;
  });
}

}  // namespace docket
