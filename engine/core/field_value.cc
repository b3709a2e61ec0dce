#include "core/field_value.h"

#include <charconv>
#include <cstdint>

#include "core/time.h"

namespace docket {
namespace {

Error invalid(const FieldDefinition& field, std::string_view raw, const std::string& expected) {
  return make_error(ErrorCode::invalid_field,
                    "field " + in_quotes(field.id) + ": " + in_quotes(raw) + " is not " + expected);
}

std::string list_values(const FieldDefinition& field) {
  std::string list;
  for (const auto& value : field.values) list += (list.empty() ? "" : ", ") + value.id;
  return list;
}

}  // namespace

Status check_text(std::string_view what, std::string_view text, std::size_t max_bytes, bool multiline) {
  const std::size_t bad = first_invalid_utf8(text);
  if (bad != std::string_view::npos) {
    return make_error(ErrorCode::invalid_argument,
                      std::string(what) + " is not valid UTF-8 (bad byte at offset " + std::to_string(bad) + ")");
  }
  if (text.empty()) return make_error(ErrorCode::invalid_argument, std::string(what) + " must not be empty");
  if (text.size() > max_bytes) {
    return make_error(ErrorCode::invalid_argument,
                      std::string(what) + " is longer than " + std::to_string(max_bytes) + " bytes");
  }
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool allowed_control = multiline && (c == '\n' || c == '\t' || c == '\r');
    if ((byte < 0x20 || byte == 0x7F) && !allowed_control) {
      return make_error(ErrorCode::invalid_argument, std::string(what) + " contains a control character");
    }
  }
  return Ok{};
}

Result<std::string> canonical_field_value(const FieldDefinition& field, std::string_view raw) {
  switch (field.type) {
    case FieldType::date: {
      const auto date = parse_date(raw);
      if (!date) return invalid(field, raw, "a date (YYYY-MM-DD)");
      return format_date(*date);
    }
    case FieldType::datetime: {
      const auto at = parse_datetime(raw);
      if (!at) return invalid(field, raw, "a date and time (YYYY-MM-DDTHH:MM[:SS][Z|+07:00])");
      return format_timestamp(*at);
    }
    case FieldType::integer: {
      std::int64_t value = 0;
      const auto [end, problem] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
      if (raw.empty() || problem != std::errc{} || end != raw.data() + raw.size())
        return invalid(field, raw, "an integer");
      return std::to_string(value);
    }
    case FieldType::enumeration:
      if (!field.allows_value(raw)) return invalid(field, raw, "an allowed value (" + list_values(field) + ")");
      return std::string(raw);
    case FieldType::long_text: {
      const Status text = check_text("field " + in_quotes(field.id), raw, kMaxLongText, true);
      if (!text) return make_error(ErrorCode::invalid_field, text.error().message);
      return std::string(raw);
    }
    case FieldType::text:
    case FieldType::org_unit:
    case FieldType::party:
    case FieldType::user: {
      const Status text = check_text("field " + in_quotes(field.id), raw, kMaxShortText, false);
      if (!text) return make_error(ErrorCode::invalid_field, text.error().message);
      return std::string(raw);
    }
  }
  return invalid(field, raw, "of a known type");
}

}  // namespace docket
