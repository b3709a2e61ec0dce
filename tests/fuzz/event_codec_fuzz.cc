// Fuzz target: the stored event codec (store/internal/event_codec.h). The input's first byte
// chooses what the rest is:
//   even: "<type>\n<payload JSON>" as read back from the database. Decoding it may fail but
//         must not crash; what decodes encodes to canonical JSON that decodes to the same payload.
//   odd:  bytes from which a payload of every kind is built; decode(encode(x)) must equal x.
// Either way the event's canonical bytes (what the audit chain hashes) are canonical JSON.
// A broken property aborts, which libFuzzer reports as a crash with the input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "store/internal/event_codec.h"

namespace {

using namespace docket;

void require(bool holds, const char* property, const std::string& detail) {
  if (holds) return;
  std::fprintf(stderr, "event codec property broken: %s\n%s\n", property, detail.c_str());
  std::abort();
}

// Takes values off the front of the input; past its end, zeros and empty strings.
class Bytes {
 public:
  explicit Bytes(std::string_view data) : data_(data) {}
  std::uint8_t byte() {
    if (data_.empty()) return 0;
    const auto value = static_cast<std::uint8_t>(data_.front());
    data_.remove_prefix(1);
    return value;
  }
  std::int64_t number() {
    std::uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value = value << 8 | byte();
    return static_cast<std::int64_t>(value);
  }
  int integer() { return static_cast<int>(number()); }
  std::string text() {
    const std::size_t wanted = byte();  // read before data_.size(): byte() shortens data_
    const std::size_t length = std::min(wanted, data_.size());
    std::string value(data_.substr(0, length));
    data_.remove_prefix(length);
    return value;
  }
  // Field ids are the identifiers of a workflow definition (validated): never a NUL.
  std::string id() {
    std::string value = text();
    std::erase(value, '\0');
    return value;
  }
  std::map<std::string, std::string> fields() {
    std::map<std::string, std::string> values;
    for (int count = byte() % 4; count > 0; --count) values[id()] = text();
    return values;
  }

 private:
  std::string_view data_;
};

EventPayload build(Bytes& in) {
  switch (in.byte() % std::variant_size_v<EventPayload>) {
    case 0:
      return CaseOpened{in.text(), in.text(), in.integer(), in.text(), in.text(), in.text(), in.fields()};
    case 1:
      return CaseAssigned{in.text(), in.text()};
    case 2:
      return CaseUnassigned{in.text()};
    case 3:
      return StageChanged{in.text(), in.text(), in.text(), in.fields()};
    case 4:
      return CommentAdded{in.text()};
    case 5:
      return FieldsSet{in.fields()};
    case 6:
      return DocumentAttached{in.text(), in.text(), in.text(), in.number(), in.text(), in.integer()};
    case 7:
      return RecommendationAdded{in.integer(), in.text(), in.text(), in.byte() % 2 == 1};
    case 8: {
      RecommendationsIssued issued;
      for (int count = in.byte() % 5; count > 0; --count) issued.numbers.push_back(in.integer());
      return issued;
    }
    case 9: {
      const auto status = static_cast<RecommendationStatus>(in.byte() % 7);
      return RecommendationAnswered{in.integer(), status, in.text(), in.text(), in.text()};
    }
    case 10:
      return RecommendationUnanswered{in.integer()};
    case 11:
      return RecommendationEscalated{in.integer()};
    case 12:
      return DeadlineSet{in.text(), in.text(), in.text(), in.text(), in.text(), in.text()};
    case 13: {
      DeadlineReminded reminded{in.text(), in.text(), in.integer(), std::nullopt, in.text()};
      if (in.byte() % 2 == 1) reminded.days_left = in.integer();
      return reminded;
    }
    case 14:
      return DeadlineBreached{in.text(), in.text()};
    case 15:
      return CaseEscalated{in.text(), in.text(), in.text(), in.text()};
    case 16:
      return NotificationDelivered{in.text(), in.text(), in.text(), in.integer()};
    default:
      return NotificationFailed{in.text(), in.text(), in.text(), in.integer(), in.text()};
  }
}

// The payload's canonical JSON decodes to the payload, and is canonical; so is the envelope.
void check_round_trip(const EventPayload& payload, std::string_view type) {
  const std::string json = encode_payload(payload);
  const auto decoded = decode_payload(type, json);
  require(decoded.ok(), "an encoded payload decodes", json);
  require(decoded.value() == payload, "decode(encode(x)) == x", json);
  require(canonicalize_json(json) == json, "an encoded payload is canonical JSON", json);
  const EventEnvelopeView envelope{7, "PB-2026-0001", 3, type, "2026-03-02T02:00:00Z", "lan", json};
  std::string bytes;
  canonical_event_bytes(envelope, bytes);
  require(canonicalize_json(bytes) == bytes, "an event's canonical bytes are canonical JSON", bytes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (input.empty()) return 0;
  const bool build_payload = input.front() % 2 == 1;
  input.remove_prefix(1);
  if (build_payload) {
    Bytes bytes(input);
    const EventPayload payload = build(bytes);
    check_round_trip(payload, event_type(payload));
    return 0;
  }
  const auto newline = input.find('\n');
  const std::string_view type = input.substr(0, newline);
  const std::string_view json = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  decode_fields(json);
  canonicalize_json(json);
  const auto decoded = decode_payload(type, json);
  if (decoded.ok()) check_round_trip(decoded.value(), type);
  return 0;
}
