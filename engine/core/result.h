// Result<T>: the value of an operation that can fail on bad input, or the Error saying why.
// Bad input is expected, not exceptional: the core returns these instead of throwing.
// Thread-safety: plain values; safe to copy between threads.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace docket {

enum class ErrorCode {
  invalid_argument,        // malformed input: bad date, not UTF-8, wrong type
  not_found,               // unknown case, transition, field, recommendation, workflow
  transition_not_allowed,  // the transition does not leave from the case's stage
  role_not_allowed,        // none of the actor's roles may do this
  field_missing,           // a required field has no value
  document_missing,        // a required document kind is not attached
  recommendations_open,    // not every recommendation is answered yet
  invalid_field,           // a field value of the wrong type or not an allowed enum value
  case_closed,             // the case is in a terminal stage
  conflict,                // the case changed since the caller read it
  already_exists,          // a unique thing is added twice
  busy,                    // the database stayed locked by another writer past the busy timeout
  storage,                 // the database cannot be opened, read or written
  storage_corrupt,         // SQLite reports the database file malformed: restore it from a backup
  integrity,               // stored bytes no longer match the SHA-256 recorded for them
  storage_full,            // the disk holding the database is full: nothing was written
  needs_migration,         // the database file has an older schema: `docket migrate` upgrades it
  internal,                // a fault the user did not cause
};

// The stable, machine-readable name of a code ("role_not_allowed").
const char* to_string(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;  // one line a person can act on; names the thing that was wrong
  // When one request has several problems found together (a transition's unmet requirements),
  // each of them, in the order the message names them; empty otherwise.
  std::vector<Error> problems = {};
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T value() && { return std::get<T>(std::move(state_)); }  // by value: safe in range-for
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }

  // REQUIRES: !ok()
  const Error& error() const { return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

// For operations that yield nothing but may fail.
struct Ok {};
using Status = Result<Ok>;

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message), {}}; }

}  // namespace docket

// Declares `name` as the Result that `expression` gives; when it holds an error, returns that
// error from the enclosing function, passed through the function named by the optional third
// argument: DOCKET_TRY(id, parse_id(text)) in a function returning a Result or Status,
// DOCKET_TRY(id, string_member(body, "id", true), error_response) in an HTTP handler.
#define DOCKET_TRY(name, expression, ...) \
  auto name = (expression);               \
  if (!name) return __VA_ARGS__(name.error())
