#include "core/field_warnings.h"

#include <algorithm>

namespace docket {
namespace {

const FieldValues* fields_of(const Command& command) {
  if (const auto* open = std::get_if<OpenCase>(&command)) return &open->fields;
  if (const auto* set = std::get_if<SetFields>(&command)) return &set->fields;
  if (const auto* move = std::get_if<MoveCase>(&command)) return &move->fields;
  return nullptr;
}

std::optional<Date> day_of(const std::string& value) {
  if (const auto date = parse_date(value)) return date;
  if (const auto at = parse_datetime(value)) return vietnam_date(*at);
  return std::nullopt;
}

// Whether a party value is written as an account id ("so-ld") rather than as a body's name
// ("Sở Lao động - Thương binh và Xã hội"), which is a body without an account, on purpose.
bool looks_like_user_id(const std::string& value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

}  // namespace

std::vector<std::string> field_warnings(const WorkflowDefinition& definition, const Command& command, Timestamp at,
                                        const std::function<bool(const std::string&)>& is_user) {
  std::vector<std::string> warnings;
  const FieldValues* fields = fields_of(command);
  if (fields == nullptr) return warnings;
  const Date today = vietnam_date(at);
  for (const auto& [id, value] : *fields) {
    const FieldDefinition* field = definition.field(id);
    if (field == nullptr || value.empty()) continue;
    if (field->type == FieldType::party) {
      if (looks_like_user_id(value) && !is_user(value)) {
        warnings.push_back("field " + id + " names " + value +
                           ", who is not a user: that body cannot read or answer the case itself until the "
                           "account is added (docket user add " +
                           value + "), or give the body's name instead");
      }
      continue;
    }
    if (!field->warn_if_past) continue;
    const auto day = day_of(value);
    if (!day || std::chrono::sys_days{*day} >= std::chrono::sys_days{today}) continue;
    warnings.push_back("field " + id + " is " + format_date(*day) + ", already past (today is " + format_date(today) +
                       "); check the date, deadlines count from it");
  }
  return warnings;
}

}  // namespace docket
