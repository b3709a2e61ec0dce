// Organisation units (a tree whose levels are data: central/province/district/commune, or the
// post-2025 central/province/commune) and the users who hold roles in them, their API tokens
// and e-mail addresses. The tree changes (units renamed, moved, closed, merged) and keeps its
// history: each unit's form from a date on, so that a report as of a date sees that day's tree.
// Every method answers through its Result: a SQLite fault is an error (storage, or busy when
// the database stayed locked past the busy timeout), never an exception. What it records the
// time of (users, tokens, changes) is stamped with the Clock it is given.
// Every change is also an event of the administrative log (store/admin_log.h), written in the
// change's transaction and naming `actor`: who asked for it (kSystemActor when no one is named).
// Thread-safety: as the Database it is given (one thread at a time).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "core/time.h"
#include "store/admin_log.h"
#include "store/database.h"

namespace docket {

struct OrgUnit {
  std::string id;      // short code: "ninh-binh", "gia-vien"
  std::string name;    // "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình"
  std::string level;   // "province", "commune", ... (data, not code)
  std::string parent;  // empty for the root
};

// A unit as it stood from `valid_from` on, until its next form (the tree's history).
struct UnitForm {
  std::string id;
  std::string valid_from;  // "YYYY-MM-DD" in Vietnam; "0001-01-01" for the form it was added with
  std::string name;
  std::string level;
  std::string parent;           // empty for the root
  std::string status = "open";  // "open", "closed" (no new cases), "merged" (into merged_into)
  std::string merged_into;
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

  // Adds one unit (its first form holds since the beginning). Errors: invalid_argument (bad id,
  // empty name or level, not UTF-8), already_exists, not_found (unknown parent), busy, storage.
  Status add_unit(const OrgUnit& unit, const std::string& actor = kSystemActor);
  // Adds units in one transaction, parents before or after their children; any error and
  // nothing is added (the message names the unit). Errors: as add_unit, and invalid_argument
  // for a parent cycle.
  Status import_units(const std::vector<OrgUnit>& units, const std::string& actor = kSystemActor);

  // Changes to the tree, each from `effective` on (a day in Vietnam): the unit's earlier forms
  // stay in its history, its cases and their events are untouched. `effective` may not be after
  // today (the clock's) nor before the unit's newest form; a second change on the same day
  // replaces that day's form. Only an open unit changes. Errors: not_found (unit, parent or
  // target), invalid_argument (the rule broken, named), busy, storage.
  //
  // A new name (not empty, UTF-8).
  Status rename_unit(const std::string& id, const std::string& name, Date effective,
                     const std::string& actor = kSystemActor);
  // A new parent: an open unit that is not `id` nor below it.
  Status move_unit(const std::string& id, const std::string& parent, Date effective,
                   const std::string& actor = kSystemActor);
  // Closed: no case can be opened at it. REQUIRES of the tree: no open unit below it.
  Status close_unit(const std::string& id, Date effective, const std::string& actor = kSystemActor);
  // Merged into the open unit `into`: its cases count under `into` in reports as of that day on
  // and no case can be opened at it. REQUIRES of the tree: no open unit below it.
  Status merge_unit(const std::string& id, const std::string& into, Date effective,
                    const std::string& actor = kSystemActor);
  // The unit's forms, oldest first. Errors: not_found, busy, storage.
  Result<std::vector<UnitForm>> unit_history(const std::string& id);
  // Every unit as it stood on `day`, by id. Errors: busy, storage.
  Result<std::vector<UnitForm>> tree_on(Date day);
  // Whether cases may be opened at `unit` today (it is open). Errors: not_found, busy, storage.
  Result<bool> is_open(const std::string& unit);
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
                  const std::vector<std::string>& roles, const std::string& actor = kSystemActor);
  // Takes `roles` at `unit` away from the user (the user stays, with any other role). All or
  // nothing. Errors: invalid_argument (no role named), not_found (user, or a role they do not
  // hold at the unit, named), busy, storage.
  Status remove_roles(const std::string& user, const std::string& unit, const std::vector<std::string>& roles,
                      const std::string& actor = kSystemActor);
  // Every user with their roles, by id. Errors: busy, storage.
  Result<std::vector<User>> users();
  // The user `id` with their roles. Errors: not_found, busy, storage.
  Result<User> user(const std::string& id);
  // The roles `user` holds at `unit` (not inherited from other units); empty when none, or
  // for an unknown user or unit. Errors: busy, storage.
  Result<std::vector<std::string>> roles_at(const std::string& user, const std::string& unit);
  // authenticate(), roles_at(), unit() and user() keep what they read while nothing is committed to
  // the database (in the connection's reader cache, Database::ReaderCache, shared by every
  // Directory on the connection): a server's readers answer most requests without
  // these queries until the next write. Inside write transactions roles_at() keeps what it read
  // on the connection until another connection commits (PRAGMA data_version), add_user() or
  // remove_roles() changes roles, or a rollback undoes what was read: the writer does not ask
  // again for every command.

  // API access. A new random token for `user`, created at the clock's now and returned once:
  // only its SHA-256 is stored. Errors: not_found (user), internal (no random bytes), busy, storage.
  Result<std::string> issue_token(const std::string& user, const std::string& actor = kSystemActor);
  // Revokes the user's access at the clock's now: every API token, and every session of the
  // web application (SignIn::close_all), in one transaction. Returns how many tokens were live.
  // Errors: not_found (user), busy, storage.
  Result<int> revoke_tokens(const std::string& user, const std::string& actor = kSystemActor);
  // The user a live token belongs to, and whether an administrator (one query: every API
  // request asks). Errors: not_found for an unknown or revoked token, busy, storage.
  struct TokenHolder {
    std::string user;
    bool admin = false;
  };
  Result<TokenHolder> authenticate(const std::string& token);
  // Administrators manage units and users through the API (an event only when it changes).
  // Errors: not_found (user), busy, storage.
  Status set_admin(const std::string& user, bool admin, const std::string& actor = kSystemActor);
  // Whether `user` is an administrator; false for an unknown user. Errors: busy, storage.
  Result<bool> is_admin(const std::string& user);

  // Notifications. Sets the user's e-mail address; an empty one clears it (an event only when it
  // changes). Errors: not_found
  // (unknown user), invalid_argument (not a plain address "name@domain", or over 254 bytes),
  // busy, storage.
  Status set_email(const std::string& user, const std::string& email, const std::string& actor = kSystemActor);
  // The user's e-mail address; empty when none is set or the user is unknown. Errors: busy, storage.
  Result<std::string> email(const std::string& user);
  // The ids of the users holding `role` at `unit` (not inherited from other units), sorted.
  // Errors: busy, storage.
  Result<std::vector<std::string>> users_with_role(const std::string& unit, const std::string& role);

 private:
  Status insert_unit(const OrgUnit& unit, const std::string& actor);
  // Writes the unit's form from `effective` on, as `edit` makes it from its newest form, with
  // the event `type` (its payload: the unit, the day and what `edit` adds). See rename_unit().
  Status change_unit(const std::string& id, Date effective, const std::string& actor, std::string_view type,
                     const std::function<Status(UnitForm&, AdminPayload&)>& edit);
  Status record(std::string_view type, const std::string& actor, const AdminPayload& payload);
  Result<std::vector<std::string>> read_roles_at(const std::string& user, const std::string& unit);
  std::string now_text() const;

  Database& db_;
  const Clock& clock_;
  // What authenticate(), roles_at(), unit() and user() read, in the connection's reader cache.
  struct Memo : Database::ReaderCache {
    ReadMemo<TokenHolder> holders;             // by the token's SHA-256
    ReadMemo<std::vector<std::string>> roles;  // by user and unit
    ReadMemo<OrgUnit> units;                   // by id
    ReadMemo<User> users{256};                 // by id, with their roles
  };
  Memo& memo() { return db_.reader_cache<Memo>(); }
};

}  // namespace docket
