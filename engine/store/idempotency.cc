#include "store/idempotency.h"

#include "store/database.h"
#include "store/internal/event_codec.h"
#include "store/internal/hash.h"

namespace docket {
namespace {

// What makes a retry the same request: the target and the body's SHA-256 (as stored).
std::string fingerprint(const IdempotentRequest& request) {
  return request.target + " sha256:" + sha256_hex(request.body);
}

}  // namespace

Result<std::optional<RecordedResponse>> IdempotencyRecords::find(const IdempotentRequest& request) {
  return catch_storage(db_, [&]() -> Result<std::optional<RecordedResponse>> {
    CachedStatement earlier_statement =
        db_.prepare("SELECT method, target, status, headers, body FROM idempotency WHERE user_id = ? AND key = ?");
    SQLite::Statement& earlier = *earlier_statement;
    earlier.bind(1, request.user);
    earlier.bind(2, request.key);
    if (!earlier.executeStep()) return std::optional<RecordedResponse>{};
    if (earlier.getColumn(0).getString() != request.method ||
        earlier.getColumn(1).getString() != fingerprint(request)) {
      return make_error(ErrorCode::conflict,
                        "this Idempotency-Key was used for a different request (method, path, query or body)");
    }
    return std::optional<RecordedResponse>{RecordedResponse{earlier.getColumn(2).getInt(),
                                                            decode_fields(earlier.getColumn(3).getString()),
                                                            earlier.getColumn(4).getString()}};
  });
}

Status IdempotencyRecords::record(const IdempotentRequest& request, const RecordedResponse& response, Timestamp at) {
  return catch_storage(db_, [&]() -> Status {
    CachedStatement store_statement = db_.prepare(
        "INSERT INTO idempotency (user_id, key, method, target, status, headers, body, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    SQLite::Statement& store = *store_statement;
    store.bind(1, request.user);
    store.bind(2, request.key);
    store.bind(3, request.method);
    store.bind(4, fingerprint(request));
    store.bind(5, response.status);
    store.bind(6, encode_fields(response.headers));
    store.bind(7, response.body);
    store.bind(8, format_timestamp(at));
    store.exec();
    return Ok{};
  });
}

}  // namespace docket
