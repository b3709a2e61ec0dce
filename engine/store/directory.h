// Organisation units (a tree whose levels are data: central/province/district/commune, or the
// post-2025 central/province/commune) and the users who hold roles in them.
// Thread-safety: as the Database it is given (one thread at a time).
#pragma once

#include <optional>
#include <string>
#include <vector>

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
  explicit Directory(Database& database) : db_(database) {}

  // Adds one unit. Errors: invalid_argument (bad id, empty name or level, not UTF-8),
  // already_exists, not_found (unknown parent).
  Status add_unit(const OrgUnit& unit);
  // Adds units in one transaction, parents before or after their children; any error and
  // nothing is added (the message names the unit).
  Status import_units(const std::vector<OrgUnit>& units);
  std::vector<OrgUnit> units();
  Result<OrgUnit> unit(const std::string& id);
  // `unit` and every unit below it, `unit` first.
  std::vector<std::string> subtree(const std::string& unit);

  // Adds the user (or, when they exist, the new roles). Each role must be declared by a
  // workflow loaded in the database. Errors: invalid_argument, not_found (unit), unknown role.
  Status add_user(const std::string& id, const std::string& name, const std::string& unit,
                  const std::vector<std::string>& roles);
  std::vector<User> users();
  Result<User> user(const std::string& id);
  // The roles `user` holds at `unit` (not inherited from other units).
  std::vector<std::string> roles_at(const std::string& user, const std::string& unit);
  // authenticate(), roles_at() and unit() keep what they read while nothing is committed to
  // the database (ReadMemo, per Directory): a server's readers answer most requests without
  // these queries until the next write. Inside write transactions roles_at() keeps what it read
  // on the connection until another connection commits (PRAGMA data_version), add_user() grants
  // roles, or a rollback undoes what was read: the writer does not ask again for every command.

  // API access. A new random token for `user`, returned once: only its SHA-256 is stored.
  Result<std::string> issue_token(const std::string& user);
  // Revokes every token of `user`; returns how many were live.
  Result<int> revoke_tokens(const std::string& user);
  // The user a live token belongs to, and whether an administrator (one query: every API
  // request asks); not_found for an unknown or revoked token.
  struct TokenHolder {
    std::string user;
    bool admin = false;
  };
  Result<TokenHolder> authenticate(const std::string& token);
  // Administrators manage units and users through the API.
  Status set_admin(const std::string& user, bool admin);
  bool is_admin(const std::string& user);

  // Notifications. Sets the user's e-mail address; an empty one clears it. Errors: not_found
  // (unknown user), invalid_argument (not a plain address "name@domain", or over 254 bytes).
  Status set_email(const std::string& user, const std::string& email);
  // The user's e-mail address; empty when none is set or the user is unknown.
  std::string email(const std::string& user);
  // The ids of the users holding `role` at `unit` (not inherited from other units), sorted.
  std::vector<std::string> users_with_role(const std::string& unit, const std::string& role);

 private:
  Status insert_unit(const OrgUnit& unit);
  Database& db_;
  ReadMemo<TokenHolder> holders_;             // by the token's SHA-256
  ReadMemo<std::vector<std::string>> roles_;  // by user and unit
  ReadMemo<OrgUnit> units_;                   // by id
};

}  // namespace docket
