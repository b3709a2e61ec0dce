#include "store/internal/event_codec.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <charconv>
#include <vector>

namespace docket {
namespace {

using rapidjson::Document;
using rapidjson::Value;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// Writes `value` with every object's members in byte order of their names.
void write_canonical(const Value& value, Writer& out) {
  if (value.IsObject()) {
    std::vector<const Value::Member*> members;
    for (const auto& member : value.GetObject()) members.push_back(&member);
    std::sort(members.begin(), members.end(), [](const auto* a, const auto* b) {
      return std::string_view(a->name.GetString(), a->name.GetStringLength()) <
             std::string_view(b->name.GetString(), b->name.GetStringLength());
    });
    out.StartObject();
    for (const auto* member : members) {
      out.Key(member->name.GetString(), member->name.GetStringLength());
      write_canonical(member->value, out);
    }
    out.EndObject();
  } else if (value.IsArray()) {
    out.StartArray();
    for (const auto& element : value.GetArray()) write_canonical(element, out);
    out.EndArray();
  } else {
    value.Accept(out);
  }
}

std::string canonical(const Value& value) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  write_canonical(value, writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// Builds one payload object.
class Builder {
 public:
  Builder() { doc_.SetObject(); }
  Builder& text(const char* key, const std::string& value) {
    doc_.AddMember(Value(key, alloc()), Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), alloc()),
                   alloc());
    return *this;
  }
  Builder& number(const char* key, std::int64_t value) {
    doc_.AddMember(Value(key, alloc()), Value(static_cast<int64_t>(value)), alloc());
    return *this;
  }
  Builder& fields(const char* key, const std::map<std::string, std::string>& values) {
    Value object(rapidjson::kObjectType);
    for (const auto& [id, value] : values) {
      object.AddMember(Value(id.c_str(), static_cast<rapidjson::SizeType>(id.size()), alloc()),
                       Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), alloc()), alloc());
    }
    doc_.AddMember(Value(key, alloc()), object, alloc());
    return *this;
  }
  // Members that are empty most of the time are left out then (a missing member reads as
  // empty): on a million cases that is ten bytes an event.
  Builder& text_unless_empty(const char* key, const std::string& value) {
    return value.empty() ? *this : text(key, value);
  }
  Builder& true_or_nothing(const char* key, bool value) {
    if (value) doc_.AddMember(Value(key, alloc()), Value(true), alloc());
    return *this;
  }
  Builder& numbers(const char* key, const std::vector<int>& values) {
    Value array(rapidjson::kArrayType);
    for (const int value : values) array.PushBack(Value(value), alloc());
    doc_.AddMember(Value(key, alloc()), array, alloc());
    return *this;
  }
  Builder& fields_unless_empty(const char* key, const std::map<std::string, std::string>& values) {
    return values.empty() ? *this : fields(key, values);
  }
  std::string json() const { return canonical(doc_); }

 private:
  Document::AllocatorType& alloc() { return doc_.GetAllocator(); }
  Document doc_;
};

struct Encoder {
  std::string operator()(const CaseOpened& e) const {
    return Builder()
        .fields("fields", e.fields)
        .text("number", e.number)
        .text("stage", e.stage)
        .text("title", e.title)
        .text("unit", e.unit)
        .text("workflow_id", e.workflow_id)
        .number("workflow_version", e.workflow_version)
        .json();
  }
  std::string operator()(const CaseAssigned& e) const {
    return Builder().text("assignee", e.assignee).text("previous", e.previous).json();
  }
  std::string operator()(const CaseUnassigned& e) const { return Builder().text("previous", e.previous).json(); }
  std::string operator()(const StageChanged& e) const {
    return Builder()
        .fields_unless_empty("fields", e.fields)
        .text("from", e.from)
        .text("to", e.to)
        .text("transition", e.transition)
        .json();
  }
  std::string operator()(const CommentAdded& e) const { return Builder().text("text", e.text).json(); }
  std::string operator()(const FieldsSet& e) const { return Builder().fields("fields", e.fields).json(); }
  std::string operator()(const DocumentAttached& e) const {
    return Builder()
        .text("file_name", e.file_name)
        .text("kind", e.kind)
        .text("media_type", e.media_type)
        .text("sha256", e.sha256)
        .number("size", e.size)
        .number("version", e.version)
        .json();
  }
  std::string operator()(const DocumentIssued& e) const {
    return Builder()
        .text("file_name", e.file_name)
        .text("kind", e.kind)
        .text("media_type", e.media_type)
        .number("number", e.number)
        .text("reference", e.reference)
        .text("register", e.register_kind)
        .text("sha256", e.sha256)
        .number("size", e.size)
        .text("title", e.title)
        .number("version", e.version)
        .number("year", e.year)
        .json();
  }
  std::string operator()(const RecommendationAdded& e) const {
    return Builder()
        .text("addressee", e.addressee)
        .true_or_nothing("draft", e.draft)
        .number("number", e.number)
        .text("text", e.text)
        .json();
  }
  std::string operator()(const RecommendationsIssued& e) const {
    return Builder().numbers("numbers", e.numbers).json();
  }
  std::string operator()(const RecommendationAnswered& e) const {
    return Builder()
        .number("number", e.number)
        .text_unless_empty("recorded_for", e.recorded_for)
        .text("reply_document", e.reply_document)
        .text("status", to_string(e.status))
        .text("text", e.text)
        .json();
  }
  std::string operator()(const RecommendationUnanswered& e) const {
    return Builder().number("number", e.number).json();
  }
  std::string operator()(const RecommendationEscalated& e) const { return Builder().number("number", e.number).json(); }
  std::string operator()(const DeadlineSet& e) const {
    return Builder()
        .text("due", e.due)
        .text("due_at", e.due_at)
        .text_unless_empty("previous_due", e.previous_due)  // empty: a deadline.set, not .changed
        .text_unless_empty("provisional", e.provisional)
        .text("reason", e.reason)
        .text("stage", e.stage)
        .json();
  }
  std::string operator()(const DeadlineReminded& e) const {
    Builder payload;
    payload.number("days_before", e.days_before);
    if (e.days_left) payload.number("days_left", *e.days_left);
    return payload.text("due", e.due).text_unless_empty("skipped", e.skipped).text("stage", e.stage).json();
  }
  std::string operator()(const DeadlineBreached& e) const {
    return Builder().text("due", e.due).text("stage", e.stage).json();
  }
  std::string operator()(const CaseEscalated& e) const {
    return Builder().text("due", e.due).text("role", e.role).text("stage", e.stage).text("unit", e.unit).json();
  }
  std::string operator()(const NotificationDelivered& e) const {
    return Builder()
        .number("attempts", e.attempts)
        .text("channel", e.channel)
        .text("idempotency_key", e.idempotency_key)
        .text("recipient", e.recipient)
        .json();
  }
  std::string operator()(const NotificationFailed& e) const {
    return Builder()
        .number("attempts", e.attempts)
        .text("channel", e.channel)
        .text("error", e.error)
        .text("idempotency_key", e.idempotency_key)
        .text("recipient", e.recipient)
        .json();
  }
};

// Reads members of a parsed payload; a missing member reads as empty or zero.
struct Reader {
  const Value& object;
  std::string text(const char* key) const {
    const auto it = object.FindMember(key);
    return it != object.MemberEnd() && it->value.IsString()
               ? std::string(it->value.GetString(), it->value.GetStringLength())
               : "";
  }
  std::int64_t number(const char* key) const {
    const auto it = object.FindMember(key);
    return it != object.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
  }
  int integer(const char* key) const { return static_cast<int>(number(key)); }
  std::optional<int> optional_integer(const char* key) const {
    if (!object.HasMember(key)) return std::nullopt;
    return integer(key);
  }
  bool flag(const char* key) const {
    const auto it = object.FindMember(key);
    return it != object.MemberEnd() && it->value.IsBool() && it->value.GetBool();
  }
  std::vector<int> numbers(const char* key) const {
    std::vector<int> values;
    const auto it = object.FindMember(key);
    if (it == object.MemberEnd() || !it->value.IsArray()) return values;
    for (const auto& element : it->value.GetArray()) {
      if (element.IsInt()) values.push_back(element.GetInt());
    }
    return values;
  }
  std::map<std::string, std::string> fields(const char* key) const {
    std::map<std::string, std::string> values;
    const auto it = object.FindMember(key);
    if (it == object.MemberEnd() || !it->value.IsObject()) return values;
    for (const auto& member : it->value.GetObject()) {
      if (member.value.IsString())
        values[member.name.GetString()] = std::string(member.value.GetString(), member.value.GetStringLength());
    }
    return values;
  }
};

std::optional<EventPayload> decode(std::string_view type, const Reader& r) {
  if (type == "case.opened") {
    return CaseOpened{r.text("number"),  r.text("workflow_id"), r.integer("workflow_version"),
                      r.text("title"),   r.text("unit"),        r.text("stage"),
                      r.fields("fields")};
  }
  if (type == "case.assigned") return CaseAssigned{r.text("assignee"), r.text("previous")};
  if (type == "case.unassigned") return CaseUnassigned{r.text("previous")};
  if (type == "stage.changed")
    return StageChanged{r.text("transition"), r.text("from"), r.text("to"), r.fields("fields")};
  if (type == "comment.added") return CommentAdded{r.text("text")};
  if (type == "fields.set") return FieldsSet{r.fields("fields")};
  if (type == "document.attached") {
    return DocumentAttached{r.text("kind"),   r.text("file_name"),  r.text("sha256"),
                            r.number("size"), r.text("media_type"), r.integer("version")};
  }
  if (type == "document.issued") {
    return DocumentIssued{r.text("kind"),       r.text("file_name"),  r.text("sha256"),   r.number("size"),
                          r.text("media_type"), r.integer("version"), r.text("register"), r.integer("year"),
                          r.integer("number"),  r.text("reference"),  r.text("title")};
  }
  if (type == "recommendation.added")
    return RecommendationAdded{r.integer("number"), r.text("addressee"), r.text("text"), r.flag("draft")};
  if (type == "recommendations.issued") return RecommendationsIssued{r.numbers("numbers")};
  if (type == "recommendation.answered") {
    const auto status = recommendation_status_from_string(r.text("status"));
    if (!status) return std::nullopt;
    return RecommendationAnswered{r.integer("number"), *status, r.text("text"), r.text("reply_document"),
                                  r.text("recorded_for")};
  }
  if (type == "recommendation.unanswered") return RecommendationUnanswered{r.integer("number")};
  if (type == "recommendation.escalated") return RecommendationEscalated{r.integer("number")};
  if (type == "deadline.set" || type == "deadline.changed") {
    return DeadlineSet{r.text("stage"),        r.text("due"),    r.text("due_at"),
                       r.text("previous_due"), r.text("reason"), r.text("provisional")};
  }
  if (type == "deadline.reminder") {
    return DeadlineReminded{r.text("stage"), r.text("due"), r.integer("days_before"), r.optional_integer("days_left"),
                            r.text("skipped")};
  }
  if (type == "deadline.breached") return DeadlineBreached{r.text("stage"), r.text("due")};
  if (type == "case.escalated") return CaseEscalated{r.text("stage"), r.text("due"), r.text("role"), r.text("unit")};
  if (type == "notification.delivered") {
    return NotificationDelivered{r.text("channel"), r.text("recipient"), r.text("idempotency_key"),
                                 r.integer("attempts")};
  }
  if (type == "notification.failed") {
    return NotificationFailed{r.text("channel"), r.text("recipient"), r.text("idempotency_key"), r.integer("attempts"),
                              r.text("error")};
  }
  return std::nullopt;
}

}  // namespace

std::string encode_payload(const EventPayload& payload) { return std::visit(Encoder{}, payload); }

Result<EventPayload> decode_payload(std::string_view type, std::string_view json) {
  Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    return make_error(ErrorCode::internal, "stored payload of a " + std::string(type) + " event is not a JSON object");
  }
  auto payload = decode(type, Reader{doc});
  if (!payload) return make_error(ErrorCode::internal, "unknown stored event type " + std::string(type));
  return *payload;
}

namespace {

// True when the JSON writer would copy `text` unchanged between its quotes (no quote, backslash
// or control character to escape).
bool needs_no_escape(std::string_view text) {
  return std::none_of(text.begin(), text.end(),
                      [](char c) { return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20; });
}

void append_number(std::string& out, std::int64_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

}  // namespace

std::string canonical_event_bytes(const EventEnvelope& e) {
  std::string out;
  canonical_event_bytes(EventEnvelopeView{e.seq, e.case_number, e.case_seq, e.type, e.at, e.actor, e.payload_json},
                        out);
  return out;
}

void canonical_event_bytes(const EventEnvelopeView& e, std::string& out) {
  out.clear();
  // Every event written or verified passes here. The common case (nothing to escape in the
  // envelope's strings; the payload is canonical JSON already) is plain concatenation, byte for
  // byte what the writer below produces; audit verify spends a fifth of its time here otherwise.
  if (needs_no_escape(e.actor) && needs_no_escape(e.at) && needs_no_escape(e.case_number) && needs_no_escape(e.type)) {
    out.reserve(96 + e.actor.size() + e.at.size() + e.case_number.size() + e.type.size() + e.payload_json.size());
    out.append(R"({"actor":")").append(e.actor).append(R"(","at":")").append(e.at);
    out.append(R"(","case":")").append(e.case_number).append(R"(","case_seq":)");
    append_number(out, e.case_seq);
    out.append(R"(,"payload":)").append(e.payload_json).append(R"(,"seq":)");
    append_number(out, e.seq);
    out.append(R"(,"type":")").append(e.type).append(R"("})");
    return;
  }
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  const auto key = [&](const char* name) { writer.Key(name); };
  const auto text = [&](std::string_view value) {
    writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  };
  writer.StartObject();  // members in byte order of their names
  key("actor"), text(e.actor);
  key("at"), text(e.at);
  key("case"), text(e.case_number);
  key("case_seq"), writer.Int64(e.case_seq);
  key("payload"), writer.RawValue(e.payload_json.data(), e.payload_json.size(), rapidjson::kObjectType);
  key("seq"), writer.Int64(e.seq);
  key("type"), text(e.type);
  writer.EndObject();
  out.assign(buffer.GetString(), buffer.GetSize());
}

// A std::map is in byte order of its keys already: written straight out, no document built.
std::string encode_fields(const std::map<std::string, std::string>& fields) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  for (const auto& [id, value] : fields) {
    writer.Key(id.c_str(), static_cast<rapidjson::SizeType>(id.size()));
    writer.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

namespace {

// Collects the string members of a top-level object while it is parsed (rapidjson's SAX
// reader): reading a case's fields builds no document.
struct FieldsHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, FieldsHandler> {
  explicit FieldsHandler(std::map<std::string, std::string>& out) : fields(out) {}
  bool StartObject() {
    if (depth == 0) object = true;
    ++depth;
    return object;  // anything but an object at the top is not a field set
  }
  bool EndObject(rapidjson::SizeType) { return --depth, true; }
  bool StartArray() { return ++depth, object; }
  bool EndArray(rapidjson::SizeType) { return --depth, true; }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    if (depth == 1) key.assign(text, length);
    return true;
  }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    if (depth == 1) fields[key] = std::string(text, length);
    return object;
  }
  bool Default() { return object; }  // numbers, booleans, null: not fields

  std::map<std::string, std::string>& fields;
  std::string key;
  int depth = 0;
  bool object = false;
};

}  // namespace

std::map<std::string, std::string> decode_fields(std::string_view json) {
  std::map<std::string, std::string> fields;
  FieldsHandler handler(fields);
  rapidjson::Reader reader;
  rapidjson::MemoryStream stream(json.data(), json.size());
  if (reader.Parse(stream, handler).IsError()) fields.clear();
  return fields;
}

std::optional<std::string> canonicalize_json(std::string_view json) {
  Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) return std::nullopt;
  return canonical(doc);
}

}  // namespace docket
