#include "notifications/notification_message.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace docket {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void member(Writer& writer, const char* name, const std::string& value) {
  writer.Key(name);
  writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

std::string text_member(const rapidjson::Value& v, const char* name) {
  if (!v.HasMember(name) || !v[name].IsString()) return "";
  return std::string(v[name].GetString(), v[name].GetStringLength());
}

}  // namespace

std::string to_json(const NotificationMessage& message, const std::string& idempotency_key) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  writer.StartObject();
  if (!idempotency_key.empty()) member(writer, "idempotency_key", idempotency_key);
  member(writer, "case_number", message.case_number);
  member(writer, "title", message.title);
  member(writer, "workflow", message.workflow);
  member(writer, "stage", message.stage);
  member(writer, "unit", message.unit);
  member(writer, "language", message.language);
  member(writer, "link", message.link);
  writer.Key("events");
  writer.StartArray();
  for (const auto& type : message.events) writer.String(type.data(), static_cast<rapidjson::SizeType>(type.size()));
  writer.EndArray();
  member(writer, "recipient_name", message.recipient_name);
  member(writer, "subject", message.subject);
  member(writer, "text", message.text);
  if (!message.attachment_name.empty()) {
    writer.Key("attachment");
    writer.StartObject();
    member(writer, "name", message.attachment_name);
    member(writer, "text", message.attachment);
    writer.EndObject();
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Result<NotificationMessage> parse_notification_message(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError() || !document.IsObject()) {
    return make_error(ErrorCode::invalid_argument, "the outbox message body is not a JSON object");
  }
  NotificationMessage message;
  message.case_number = text_member(document, "case_number");
  message.title = text_member(document, "title");
  message.workflow = text_member(document, "workflow");
  message.stage = text_member(document, "stage");
  message.unit = text_member(document, "unit");
  message.language = text_member(document, "language");
  message.link = text_member(document, "link");
  if (document.HasMember("events") && document["events"].IsArray()) {
    for (const auto& type : document["events"].GetArray()) {
      if (type.IsString()) message.events.emplace_back(type.GetString(), type.GetStringLength());
    }
  }
  message.recipient_name = text_member(document, "recipient_name");
  message.subject = text_member(document, "subject");
  message.text = text_member(document, "text");
  if (document.HasMember("attachment") && document["attachment"].IsObject()) {
    message.attachment_name = text_member(document["attachment"], "name");
    message.attachment = text_member(document["attachment"], "text");
  }
  return message;
}

}  // namespace docket
