#include "store/sign_in.h"

#include <sodium.h>

#include <array>
#include <cstring>

#include "core/text.h"
#include "core/time.h"
#include "store/internal/hash.h"

namespace docket {
namespace {

using std::chrono::seconds;

constexpr std::size_t kMinPasswordCharacters = 8;
constexpr std::size_t kMaxPasswordBytes = 1024;
constexpr int kFreeFailures = 3;      // failures in a row that ask for no wait
constexpr int kLockoutFailures = 10;  // from this failure on, the wait is the lockout
constexpr std::chrono::hours kForgetFailuresAfter{24};

// sodium_init() once per process (a function-local static: thread-safe); false when libsodium
// cannot start (no entropy source).
bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

Error sodium_missing() { return make_error(ErrorCode::internal, "libsodium could not start (no random source?)"); }

// The password hash in libsodium's string form ("$argon2id$v=19$m=65536,t=2,p=1$…"), or empty
// when hashing failed (out of memory).
std::string hash_password(const std::string& password) {
  std::array<char, crypto_pwhash_STRBYTES> hash{};
  if (crypto_pwhash_str(hash.data(), password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return {};
  return hash.data();
}

// What verify() checks a password against when the user has no password (or does not exist),
// so that the refusal costs as long as a wrong password: a hash with the same limits, made once
// per process from random bytes no password can match.
const std::string& dummy_hash() {
  static const std::string hash = [] {
    std::array<unsigned char, 32> random{};
    randombytes_buf(random.data(), random.size());
    return hash_password(std::string(random.begin(), random.end()));
  }();
  return hash;
}

// A random 256-bit key as 43 characters of base64url without padding.
std::string random_key() {
  std::array<unsigned char, 32> random{};
  randombytes_buf(random.data(), random.size());
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::array<char, sodium_base64_ENCODED_LEN(32, kVariant)> text{};
  sodium_bin2base64(text.data(), text.size(), random.data(), random.size(), kVariant);
  return text.data();
}

Status check_password(const std::string& password) {
  if (!is_valid_utf8(password)) return make_error(ErrorCode::invalid_argument, "the password is not valid UTF-8");
  if (password.size() > kMaxPasswordBytes) {
    return make_error(ErrorCode::invalid_argument,
                      "the password is too long: at most " + std::to_string(kMaxPasswordBytes) + " bytes");
  }
  std::size_t characters = 0;
  for (const unsigned char byte : password) characters += (byte & 0xC0) != 0x80;  // not a continuation byte
  if (characters < kMinPasswordCharacters) {
    return make_error(ErrorCode::invalid_argument, "the password is too short: at least " +
                                                       std::to_string(kMinPasswordCharacters) + " characters (it has " +
                                                       std::to_string(characters) + ")");
  }
  return Ok{};
}

std::string user_subject(const std::string& user) { return "user:" + user; }
std::string address_subject(const std::string& address) { return "address:" + address; }

// How long after its latest failure a subject with `failures` in a row must wait: nothing for
// the first 3, then 1 s after the 4th, doubled after each further one, the lockout from the 10th.
seconds wait_after(std::int64_t failures, seconds lockout) {
  if (failures <= kFreeFailures) return seconds(0);
  if (failures >= kLockoutFailures) return lockout;
  return seconds(std::int64_t{1} << (failures - kFreeFailures - 1));
}

void bind_digest(SQLite::Statement& statement, int index, const Digest& digest) {
  statement.bind(index, digest.data(), static_cast<int>(digest.size()));
}

Result<bool> user_exists(Database& db, const std::string& user) {
  return catch_storage(db, [&] {
    CachedStatement known = db.prepare("SELECT 1 FROM users WHERE id = ?");
    known->bind(1, user);
    return known->executeStep();
  });
}

Error unknown_user(const std::string& user) {
  return make_error(ErrorCode::not_found, "unknown user " + in_quotes(user));
}

// The condition a live session's row meets; ?2 and ?3 are SignIn::LiveSince's two bounds.
constexpr const char* kLive = "ended_at IS NULL AND last_seen_at > ?2 AND created_at > ?3";

}  // namespace

SignIn::SignIn(Database& database, const Clock& clock, SessionLimits limits)
    : db_(database), clock_(clock), limits_(limits) {}

SignIn::LiveSince SignIn::live_since() const {
  const Timestamp now = clock_.now();
  return {format_timestamp(now - limits_.idle), format_timestamp(now - limits_.absolute)};
}

Status SignIn::set_password(const std::string& user, const std::string& password, const std::string& actor) {
  if (const Status valid = check_password(password); !valid) return valid;
  if (!sodium_ready()) return sodium_missing();
  // Hashing takes tens of milliseconds and 64 MB: not for an unknown user, nor inside the write.
  DOCKET_TRY(known, user_exists(db_, user));
  if (!*known) return unknown_user(user);
  const std::string hash = hash_password(password);
  if (hash.empty()) return make_error(ErrorCode::internal, "hashing the password failed (out of memory?)");
  return db_.write([&]() -> Status {
    CachedStatement upsert = db_.prepare(
        "INSERT INTO user_passwords (user_id, password_hash, set_at) SELECT id, ?2, ?3 FROM users WHERE id = ?1 "
        "ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash, set_at = excluded.set_at");
    upsert->bind(1, user);
    upsert->bind(2, hash);
    upsert->bind(3, format_timestamp(clock_.now()));
    if (upsert->exec() == 0) return unknown_user(user);  // removed since it was checked
    return record_admin_event(db_, "user.password_set", actor, clock_.now(), {{"user", user}});
  });
}

Result<std::optional<seconds>> SignIn::wait_for(const std::string& user, const std::string& address) {
  const Timestamp now = clock_.now();
  return catch_storage(db_, [&] {
    std::optional<seconds> longest;
    for (const std::string& subject : {user_subject(user), address_subject(address)}) {
      CachedStatement query = db_.prepare("SELECT failures, last_failure_at FROM sign_in_failures WHERE subject = ?");
      query->bind(1, subject);
      if (!query->executeStep()) continue;
      const std::optional<Timestamp> last = parse_datetime(query->getColumn(1).getString());
      if (!last || now - *last >= kForgetFailuresAfter) continue;
      const seconds left = *last + wait_after(query->getColumn(0).getInt64(), limits_.lockout) - now;
      if (left > seconds(0) && (!longest || left > *longest)) longest = left;
    }
    return longest;
  });
}

Result<std::string> SignIn::stored_hash(const std::string& user) {
  return catch_storage(db_, [&] {
    CachedStatement query = db_.prepare("SELECT password_hash FROM user_passwords WHERE user_id = ?");
    query->bind(1, user);
    return query->executeStep() ? query->getColumn(0).getString() : std::string();
  });
}

Result<SignIn::Verdict> SignIn::verify(const std::string& user, const std::string& password,
                                       const std::string& address) {
  if (!sodium_ready()) return sodium_missing();
  DOCKET_TRY(wait, wait_for(user, address));
  if (*wait) return Verdict{false, *wait};
  DOCKET_TRY(stored, stored_hash(user));
  // The same work whatever is wrong: no user, no password, a password too long to have been set.
  const bool checkable = !stored->empty() && password.size() <= kMaxPasswordBytes;
  const std::string& against = checkable ? *stored : dummy_hash();
  const std::string_view tried = password.size() <= kMaxPasswordBytes ? password : std::string_view();
  const bool matches = crypto_pwhash_str_verify(against.c_str(), tried.data(), tried.size()) == 0;
  return Verdict{matches && checkable, std::nullopt};
}

Status SignIn::record_failure(const std::string& user, const std::string& address) {
  const Timestamp now = clock_.now();
  return db_.write([&]() -> Status {
    for (const std::string& subject : {user_subject(user), address_subject(address)}) {
      // A run of failures older than a day is forgotten: this one starts a new run.
      CachedStatement count = db_.prepare(
          "INSERT INTO sign_in_failures (subject, failures, last_failure_at) VALUES (?1, 1, ?2) "
          "ON CONFLICT (subject) DO UPDATE SET last_failure_at = excluded.last_failure_at, "
          "failures = CASE WHEN last_failure_at <= ?3 THEN 1 ELSE failures + 1 END");
      count->bind(1, subject);
      count->bind(2, format_timestamp(now));
      count->bind(3, format_timestamp(now - kForgetFailuresAfter));
      count->exec();
    }
    // Counts for names and addresses that never come back would otherwise stay for good.
    CachedStatement forget = db_.prepare("DELETE FROM sign_in_failures WHERE last_failure_at <= ?");
    forget->bind(1, format_timestamp(now - kForgetFailuresAfter));
    forget->exec();
    return Ok{};
  });
}

Result<SignIn::Opened> SignIn::open(const std::string& user, const std::string& address) {
  if (!sodium_ready()) return sodium_missing();
  Opened opened{random_key(), random_key()};
  const std::string now = format_timestamp(clock_.now());
  const LiveSince live = live_since();
  const Status stored = db_.write([&]() -> Status {
    DOCKET_TRY(known, user_exists(db_, user));
    if (!*known) return unknown_user(user);
    // The user's sessions that can no longer be used go: the table holds live sessions and a
    // few recent ones, not every sign-in ever made.
    CachedStatement prune =
        db_.prepare("DELETE FROM web_sessions WHERE user_id = ?1 AND NOT (" + std::string(kLive) + ")");
    prune->bind(1, user);
    prune->bind(2, live.last_seen_after);
    prune->bind(3, live.created_after);
    prune->exec();
    CachedStatement insert = db_.prepare(
        "INSERT INTO web_sessions (key_sha256, user_id, created_at, last_seen_at, csrf) VALUES (?, ?, ?, ?, ?)");
    bind_digest(*insert, 1, sha256(opened.key));
    insert->bind(2, user);
    insert->bind(3, now);
    insert->bind(4, now);
    insert->bind(5, opened.csrf);
    insert->exec();
    CachedStatement cleared = db_.prepare("DELETE FROM sign_in_failures WHERE subject IN (?, ?)");
    cleared->bind(1, user_subject(user));
    cleared->bind(2, address_subject(address));
    cleared->exec();
    return Ok{};
  });
  if (!stored) return stored.error();
  return opened;
}

Result<SignIn::Session> SignIn::find(const std::string& key) {
  const LiveSince live = live_since();
  return catch_storage(db_, [&]() -> Result<Session> {
    CachedStatement query = db_.prepare(
        "SELECT user_id, (SELECT is_admin FROM users WHERE id = user_id), csrf, last_seen_at FROM web_sessions "
        "WHERE key_sha256 = ?1 AND " +
        std::string(kLive));
    bind_digest(*query, 1, sha256(key));
    query->bind(2, live.last_seen_after);
    query->bind(3, live.created_after);
    if (!query->executeStep()) return make_error(ErrorCode::not_found, "no live session (signed out or expired)");
    const std::optional<Timestamp> last_seen = parse_datetime(query->getColumn(3).getString());
    return Session{query->getColumn(0).getString(), query->getColumn(1).getInt() != 0, query->getColumn(2).getString(),
                   last_seen.value_or(Timestamp{})};
  });
}

Status SignIn::touch(const std::string& key) {
  const LiveSince live = live_since();
  return db_.write([&]() -> Status {
    // Only a live session: touching an expired one must not bring it back.
    CachedStatement update =
        db_.prepare("UPDATE web_sessions SET last_seen_at = ?4 WHERE key_sha256 = ?1 AND " + std::string(kLive));
    bind_digest(*update, 1, sha256(key));
    update->bind(2, live.last_seen_after);
    update->bind(3, live.created_after);
    update->bind(4, format_timestamp(clock_.now()));
    update->exec();
    return Ok{};
  });
}

Status SignIn::close(const std::string& key) {
  return db_.write([&]() -> Status {
    CachedStatement update =
        db_.prepare("UPDATE web_sessions SET ended_at = ? WHERE key_sha256 = ? AND ended_at IS NULL");
    update->bind(1, format_timestamp(clock_.now()));
    bind_digest(*update, 2, sha256(key));
    update->exec();
    return Ok{};
  });
}

Result<int> SignIn::close_all(const std::string& user, const std::string& actor) {
  const LiveSince live = live_since();
  int was_live = 0;
  const Status ended = db_.write([&]() -> Status {
    CachedStatement count =
        db_.prepare("SELECT COUNT(*) FROM web_sessions WHERE user_id = ?1 AND " + std::string(kLive));
    count->bind(1, user);
    count->bind(2, live.last_seen_after);
    count->bind(3, live.created_after);
    count->executeStep();
    was_live = count->getColumn(0).getInt();
    CachedStatement update = db_.prepare("UPDATE web_sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL");
    update->bind(1, format_timestamp(clock_.now()));
    update->bind(2, user);
    update->exec();
    if (was_live == 0) return Ok{};
    return record_admin_event(db_, "sessions.ended", actor, clock_.now(),
                              {{"user", user}, {"count", std::int64_t{was_live}}});
  });
  if (!ended) return ended.error();
  return was_live;
}

}  // namespace docket
