#include "store/directory.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_map>

#include "core/field_value.h"
#include "core/time.h"
#include "store/internal/hash.h"
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

bool is_code(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.';
  });
}

Status check_code(const char* what, const std::string& id) {
  if (is_code(id)) return Ok{};
  return make_error(ErrorCode::invalid_argument, std::string(what) + " id " + in_quotes(id) +
                                                     " must be 1-64 letters, digits, '-', '_' or '.' (no spaces)");
}

bool unit_exists(SQLite::Database& db, const std::string& id) {
  SQLite::Statement query(db, "SELECT 1 FROM org_units WHERE id = ?");
  query.bind(1, id);
  return query.executeStep();
}

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

Status Directory::insert_unit(const OrgUnit& unit) {
  if (const Status id = check_code("unit", unit.id); !id) return id;
  if (const Status name = check_text("unit name", unit.name, kMaxShortText, false); !name) return name;
  if (const Status level = check_text("unit level", unit.level, 64, false); !level) return level;
  auto& db = db_.sql();
  if (unit_exists(db, unit.id))
    return make_error(ErrorCode::already_exists, "unit " + in_quotes(unit.id) + " already exists");
  if (!unit.parent.empty() && !unit_exists(db, unit.parent)) {
    return make_error(ErrorCode::not_found,
                      "unit " + in_quotes(unit.id) + ": unknown parent unit " + in_quotes(unit.parent));
  }
  SQLite::Statement insert(db, "INSERT INTO org_units (id, name, level, parent_id) VALUES (?, ?, ?, ?)");
  insert.bind(1, unit.id);
  insert.bind(2, unit.name);
  insert.bind(3, unit.level);
  if (unit.parent.empty()) {
    insert.bind(4);
  } else {
    insert.bind(4, unit.parent);
  }
  insert.exec();
  return Ok{};
}

Status Directory::add_unit(const OrgUnit& unit) {
  return db_.write([&] { return insert_unit(unit); });
}

Status Directory::import_units(const std::vector<OrgUnit>& units) {
  return db_.write([&]() -> Status {
    // Parents first, whatever the file's order: insert in rounds until nothing is left.
    std::vector<const OrgUnit*> pending;
    for (const auto& unit : units) pending.push_back(&unit);
    std::set<std::string> in_file;
    for (const auto& unit : units) {
      if (!in_file.insert(unit.id).second)
        return make_error(ErrorCode::already_exists, "unit " + in_quotes(unit.id) + " appears twice in the import");
    }
    while (!pending.empty()) {
      std::vector<const OrgUnit*> waiting;
      for (const OrgUnit* unit : pending) {
        const bool parent_later =
            !unit->parent.empty() && in_file.count(unit->parent) && !unit_exists(db_.sql(), unit->parent);
        if (parent_later) {
          waiting.push_back(unit);
        } else if (const Status added = insert_unit(*unit); !added) {
          return added;
        }
      }
      if (waiting.size() == pending.size()) {
        return make_error(ErrorCode::invalid_argument,
                          "unit " + in_quotes(waiting.front()->id) + " is part of a parent cycle");
      }
      pending = std::move(waiting);
    }
    return Ok{};
  });
}

Result<std::vector<OrgUnit>> Directory::units() {
  return catch_storage_errors(db_, [&]() -> Result<std::vector<OrgUnit>> {
    std::vector<OrgUnit> result;
    CachedStatement query_statement =
        db_.prepare("SELECT id, name, level, COALESCE(parent_id, '') FROM org_units ORDER BY id");
    SQLite::Statement& query = *query_statement;
    while (query.executeStep()) {
      result.push_back({query.getColumn(0).getString(), query.getColumn(1).getString(), query.getColumn(2).getString(),
                        query.getColumn(3).getString()});
    }
    return result;
  });
}

Result<OrgUnit> Directory::unit(const std::string& id) {
  return catch_storage_errors(db_, [&]() -> Result<OrgUnit> {
    if (const OrgUnit* kept = memo().units.find(db_, id)) return *kept;
    CachedStatement query_statement =
        db_.prepare("SELECT id, name, level, COALESCE(parent_id, '') FROM org_units WHERE id = ?");
    SQLite::Statement& query = *query_statement;
    query.bind(1, id);
    if (!query.executeStep()) return make_error(ErrorCode::not_found, "unknown unit " + in_quotes(id));
    OrgUnit found{query.getColumn(0).getString(), query.getColumn(1).getString(), query.getColumn(2).getString(),
                  query.getColumn(3).getString()};
    memo().units.keep(id, found);
    return found;
  });
}

Result<std::vector<std::string>> Directory::subtree(const std::string& unit) {
  return catch_storage_errors(db_, [&]() -> Result<std::vector<std::string>> {
    std::vector<std::string> result;
    CachedStatement query_statement = db_.prepare(R"sql(
      WITH RECURSIVE below(id, depth) AS (
        SELECT id, 0 FROM org_units WHERE id = ?
        UNION ALL SELECT o.id, b.depth + 1 FROM org_units o JOIN below b ON o.parent_id = b.id)
      SELECT id FROM below ORDER BY depth, id)sql");
    SQLite::Statement& query = *query_statement;
    query.bind(1, unit);
    while (query.executeStep()) result.push_back(query.getColumn(0).getString());
    return result;
  });
}

Status Directory::add_user(const std::string& id, const std::string& name, const std::string& unit,
                           const std::vector<std::string>& roles) {
  if (const Status valid = check_code("user", id); !valid) return valid;
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
    if (!unit_exists(db_.sql(), unit)) return make_error(ErrorCode::not_found, "unknown unit " + in_quotes(unit));
    db_.writer_cache<RolesInWrites>().roles.clear();  // the roles granted below
    CachedStatement insert_user_statement =
        db_.prepare("INSERT INTO users (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING");
    SQLite::Statement& insert_user = *insert_user_statement;
    insert_user.bind(1, id);
    insert_user.bind(2, name);
    insert_user.bind(3, now_text());
    insert_user.exec();
    for (const auto& role : roles) {
      CachedStatement grant_statement =
          db_.prepare("INSERT OR IGNORE INTO user_roles (user_id, unit_id, role) VALUES (?, ?, ?)");
      SQLite::Statement& grant = *grant_statement;
      grant.bind(1, id);
      grant.bind(2, unit);
      grant.bind(3, role);
      grant.exec();
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

Result<std::string> Directory::issue_token(const std::string& user) {
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
    return Ok{};
  });
  if (!stored) return stored.error();
  return token;
}

Result<int> Directory::revoke_tokens(const std::string& user) {
  if (auto known = this->user(user); !known) return known.error();
  int revoked = 0;
  const Status done = db_.write([&]() -> Status {
    CachedStatement update_statement =
        db_.prepare("UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL");
    SQLite::Statement& update = *update_statement;
    update.bind(1, now_text());
    update.bind(2, user);
    revoked = update.exec();
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

Status Directory::set_admin(const std::string& user, bool admin) {
  return db_.write([&]() -> Status {
    CachedStatement update_statement = db_.prepare("UPDATE users SET is_admin = ? WHERE id = ?");
    SQLite::Statement& update = *update_statement;
    update.bind(1, admin ? 1 : 0);
    update.bind(2, user);
    if (update.exec() == 0) return make_error(ErrorCode::not_found, "unknown user " + in_quotes(user));
    return Ok{};
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

Status Directory::set_email(const std::string& user, const std::string& email) {
  if (!email.empty() && !is_plain_address(email)) {
    return make_error(ErrorCode::invalid_argument,
                      in_quotes(email) + " is not an e-mail address (expected name@domain, no spaces)");
  }
  return db_.write([&]() -> Status {
    CachedStatement update_statement = db_.prepare("UPDATE users SET email = ? WHERE id = ?");
    SQLite::Statement& update = *update_statement;
    update.bind(1, email);
    update.bind(2, user);
    if (update.exec() == 0) return make_error(ErrorCode::not_found, "unknown user " + in_quotes(user));
    return Ok{};
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
