// The responses to writing requests sent with an Idempotency-Key, kept so that a client
// retrying after a lost answer gets the same response instead of a second change. A key names
// one request of one user: its method, target (path and query) and body; only the body's SHA-256
// is kept. This class owns every statement on the idempotency table.
//
// Thread-safety: as the Database it is given (one thread at a time). A response is recorded in
// the write transaction that made it, so it is kept exactly when the change commits.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"

namespace docket {

class Database;

struct IdempotentRequest {
  std::string user;
  std::string key;
  std::string method;  // "POST"
  std::string target;  // the path, then the query: "/api/v1/cases?x=1"
  std::string_view body;
};

struct RecordedResponse {
  int status = 0;  // HTTP status
  std::map<std::string, std::string> headers;
  std::string body;
};

class IdempotencyRecords {
 public:
  explicit IdempotencyRecords(Database& database) : db_(database) {}

  // The response recorded for `request`'s user and key, or nullopt when none is. Errors:
  // conflict when the key was used for a different request (method, target or body), busy,
  // storage.
  Result<std::optional<RecordedResponse>> find(const IdempotentRequest& request);

  // Records `response` to `request`, made at `at`. REQUIRES: inside the write transaction that
  // made the response. Errors: busy, storage (also when the key is already recorded).
  Status record(const IdempotentRequest& request, const RecordedResponse& response, Timestamp at);

 private:
  Database& db_;
};

}  // namespace docket
