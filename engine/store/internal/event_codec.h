// Events as stored: each payload as canonical JSON, and the canonical bytes that are hashed
// into the audit chains. The format is defined in docs/audit.md (RFC 8785 JSON
// canonicalisation: members sorted by name, no whitespace, UTF-8 as is). Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/event.h"
#include "core/result.h"
#include "store/audit.h"

namespace docket {

// The event's payload as canonical JSON.
std::string encode_payload(const EventPayload& payload);
// The payload of an event of `type` from its stored JSON; internal error when it does not parse.
Result<EventPayload> decode_payload(std::string_view type, std::string_view json);

// EventEnvelope and canonical_event_bytes(const EventEnvelope&) are public: store/audit.h.

// The same envelope over text owned elsewhere (audit verify reads it straight from SQLite).
struct EventEnvelopeView {
  std::int64_t seq = 0;
  std::string_view case_number;
  std::int64_t case_seq = 0;
  std::string_view type, at, actor, payload_json;
};
// Replaces `out` with the canonical bytes of `envelope` (keeping out's buffer).
void canonical_event_bytes(const EventEnvelopeView& envelope, std::string& out);

// A case's field map as canonical JSON and back.
std::string encode_fields(const std::map<std::string, std::string>& fields);
std::map<std::string, std::string> decode_fields(std::string_view json);

// Any JSON text re-serialised canonically (objects' members sorted); nullopt if it does not parse.
std::optional<std::string> canonicalize_json(std::string_view json);

}  // namespace docket
