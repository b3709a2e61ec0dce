// Organisation units (a tree whose levels are data: central/province/district/commune, or the
// post-2025 central/province/commune) and the users who hold roles in them, their API tokens
// and e-mail addresses. Every method answers through its Result: a SQLite fault is an error
// (storage, or busy when the database stayed locked past the busy timeout), never an exception.
// What it records the time of (users, tokens) is stamped with the Clock it is given.
// Thread-safety: as the Database it is given (one thread at a time).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

namespace docket {

struct OrgUnit {
  std::string id;      // short code: "ninh-binh", "gia-vien"
  std::string name;    // "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình"
  std::string level;   // "province", "commune", ... (data, not code)
  std::string parent;  // empty for the root
};

struct UserRole {
  std::string unit;
  std::string role;
};

struct User {
  std::string id;    // login, e.g. "lan.nguyen"
  std::string name;  // full name, e.g. "Nguyễn Thị Lan"
  std::vector<UserRole> roles;
};

class Directory {
 public:
  // `database` and `clock` must outlive the directory.
  Directory(Database& database, const Clock& clock) : db_(database), clock_(clock) {}

  // Adds one unit. Errors: invalid_argument (bad id, empty name or level, not UTF-8),
  // already_exists, not_found (unknown parent), busy, storage.
  Status add_unit(const OrgUnit& unit);
  // Adds units in one transaction, parents before or after their children; any error and
  // nothing is added (the message names the unit). Errors: as add_unit, and invalid_argument
  // for a parent cycle.
  Status import_units(const std::vector<OrgUnit>& units);
  // Every unit, by id. Errors: busy, storage.
  Result<std::vector<OrgUnit>> units();
  // The unit `id`. Errors: not_found, busy, storage.
  Result<OrgUnit> unit(const std::string& id);
  // `unit` and every unit below it, `unit` first (empty for an unknown unit). Errors: busy, storage.
  Result<std::vector<std::string>> subtree(const std::string& unit);

  // Adds the user (or, when they exist, the new roles), created at the clock's now. Each role
  // must be declared by a workflow loaded in the database. Errors: invalid_argument, not_found
  // (unit, or a role no installed workflow declares), busy, storage.
  Status add_user(const std::string& id, const std::string& name, const std::string& unit,
                  const std::vector<std::string>& roles);
  // Every user with their roles, by id. Errors: busy, storage.
  Result<std::vector<User>> users();
  // The user `id` with their roles. Errors: not_found, busy, storage.
  Result<User> user(const std::string& id);
  // The roles `user` holds at `unit` (not inherited from other units); empty when none, or
  // for an unknown user or unit. Errors: busy, storage.
  Result<std::vector<std::string>> roles_at(const std::string& user, const std::string& unit);
  // authenticate(), roles_at() and unit() keep what they read while nothing is committed to
  // the database (in the connection's reader cache, Database::ReaderCache, shared by every
  // Directory on the connection): a server's readers answer most requests without
  // these queries until the next write. Inside write transactions roles_at() keeps what it read
  // on the connection until another connection commits (PRAGMA data_version), add_user() grants
  // roles, or a rollback undoes what was read: the writer does not ask again for every command.

  // API access. A new random token for `user`, created at the clock's now and returned once:
  // only its SHA-256 is stored. Errors: not_found (user), internal (no random bytes), busy, storage.
  Result<std::string> issue_token(const std::string& user);
  // Revokes every token of `user` at the clock's now; returns how many were live.
  // Errors: not_found (user), busy, storage.
  Result<int> revoke_tokens(const std::string& user);
  // The user a live token belongs to, and whether an administrator (one query: every API
  // request asks). Errors: not_found for an unknown or revoked token, busy, storage.
  struct TokenHolder {
    std::string user;
    bool admin = false;
  };
  Result<TokenHolder> authenticate(const std::string& token);
  // Administrators manage units and users through the API. Errors: not_found (user), busy, storage.
  Status set_admin(const std::string& user, bool admin);
  // Whether `user` is an administrator; false for an unknown user. Errors: busy, storage.
  Result<bool> is_admin(const std::string& user);

  // Notifications. Sets the user's e-mail address; an empty one clears it. Errors: not_found
  // (unknown user), invalid_argument (not a plain address "name@domain", or over 254 bytes),
  // busy, storage.
  Status set_email(const std::string& user, const std::string& email);
  // The user's e-mail address; empty when none is set or the user is unknown. Errors: busy, storage.
  Result<std::string> email(const std::string& user);
  // The ids of the users holding `role` at `unit` (not inherited from other units), sorted.
  // Errors: busy, storage.
  Result<std::vector<std::string>> users_with_role(const std::string& unit, const std::string& role);

 private:
  Status insert_unit(const OrgUnit& unit);
  Result<std::vector<std::string>> read_roles_at(const std::string& user, const std::string& unit);
  std::string now_text() const;

  Database& db_;
  const Clock& clock_;
  // What authenticate(), roles_at() and unit() read, in the connection's reader cache.
  struct Memo : Database::ReaderCache {
    ReadMemo<TokenHolder> holders;             // by the token's SHA-256
    ReadMemo<std::vector<std::string>> roles;  // by user and unit
    ReadMemo<OrgUnit> units;                   // by id
  };
  Memo& memo() { return db_.reader_cache<Memo>(); }
};

}  // namespace docket
