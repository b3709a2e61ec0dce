// Passwords and the web application's sign-in sessions. A password is kept only as its
// Argon2id hash (libsodium's crypto_pwhash_str, interactive limits). A session is a random
// 256-bit key given to the browser once (its cookie) and stored only as its SHA-256, with the
// user, when it began and was last used, and the CSRF token every form of the session carries.
// A session ends at sign-out, after `idle` without use, `absolute` after it began, or when the
// user's access is revoked (Directory::revoke_tokens ends every session of the user too).
// Failed sign-ins are counted per user and per client address: from the 4th failure in a row
// the next attempt must wait (1 s, 2 s, 4 s, ... doubled each time), from the 10th it waits
// `lockout`; a success clears the user's and the address's count. An unknown user and a wrong
// password are the same failure, with the same answer (and the same work: a hash is verified
// for an unknown user too). A count is forgotten a day after its latest failure.
// The administrative log (store/admin_log.h) records a password set (never the password or its
// hash) and sessions ended by close_all(); signing in, using a session and signing out are not
// administrative changes and are not recorded there.
// Thread-safety: as the Database it is given (one thread at a time). verify() and find() only
// read (a server runs them on a reader: verifying a hash takes tens of milliseconds and must
// not hold up the writer); the other methods write.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "store/admin_log.h"
#include "store/database.h"

namespace docket {

struct SessionLimits {
  std::chrono::seconds idle{std::chrono::minutes(30)};
  std::chrono::seconds absolute{std::chrono::hours(12)};
  std::chrono::seconds lockout{std::chrono::minutes(15)};
};

class SignIn {
 public:
  // `database` and `clock` must outlive this object.
  SignIn(Database& database, const Clock& clock, SessionLimits limits = {});

  // Sets (or replaces) the user's password: at least 8 characters (UTF-8 code points), at most
  // 1024 bytes. Records the admin event user.password_set (without the password or its hash).
  // Errors: not_found (user), invalid_argument (too short/long, not UTF-8), internal (hashing
  // failed: out of memory), busy, storage.
  Status set_password(const std::string& user, const std::string& password, const std::string& actor = kSystemActor);

  // Whether `password` is the user's, and whether the attempt may be made now. Reads only.
  struct Verdict {
    bool accepted = false;                     // the password matches a user's with a password set
    std::optional<std::chrono::seconds> wait;  // set: refused unchecked; try again after this long
  };
  // Errors: internal (libsodium could not start), busy, storage (never not_found: an unknown
  // user is a refused Verdict).
  Result<Verdict> verify(const std::string& user, const std::string& password, const std::string& address);
  // Counts a refused attempt against the user and the address: call it after verify() checked
  // a password and refused it (an attempt refused unchecked, with a wait, does not count).
  // Errors: busy, storage.
  Status record_failure(const std::string& user, const std::string& address);

  // A new session for `user` (after an accepted verify): clears the failure counts of the user
  // and the address. `key` goes to the browser's cookie and is never stored.
  struct Opened {
    std::string key;   // 43 characters of base64url
    std::string csrf;  // 43 characters of base64url
  };
  // Errors: not_found (user), internal (libsodium could not start), busy, storage.
  Result<Opened> open(const std::string& user, const std::string& address);

  // The live session `key` names. Reads only.
  struct Session {
    std::string user;
    bool admin = false;
    std::string csrf;
    Timestamp last_seen;  // for touch(): a server touches a session at most once a minute
  };
  // Errors: not_found (unknown, ended, expired), busy, storage.
  Result<Session> find(const std::string& key);
  // Marks the live session used now (idle expiry counts from here). Errors: busy, storage (an
  // unknown key, or an ended or expired session, changes nothing and is not an error).
  Status touch(const std::string& key);
  // Ends the session (sign-out). Unknown keys: nothing to do, not an error. Errors: busy, storage.
  Status close(const std::string& key);
  // Ends every session of `user` (expired ones too, whatever limits they were read with); how
  // many were live. Records the admin event sessions.ended when any was. An unknown user has
  // none: 0. Errors: busy, storage.
  Result<int> close_all(const std::string& user, const std::string& actor = kSystemActor);

 private:
  // The longest wait the user's and the address's failures ask for now, if any.
  Result<std::optional<std::chrono::seconds>> wait_for(const std::string& user, const std::string& address);
  // The user's password hash; empty when the user has none or is unknown.
  Result<std::string> stored_hash(const std::string& user);
  // The bounds of live sessions now, as text to compare with the stored times.
  struct LiveSince {
    std::string last_seen_after;
    std::string created_after;
  };
  LiveSince live_since() const;

  Database& db_;
  const Clock& clock_;
  SessionLimits limits_;
};

}  // namespace docket
