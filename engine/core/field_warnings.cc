#include "core/field_warnings.h"

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

}  // namespace

std::vector<std::string> field_warnings(const WorkflowDefinition& definition, const Command& command, Timestamp at) {
  std::vector<std::string> warnings;
  const FieldValues* fields = fields_of(command);
  if (fields == nullptr) return warnings;
  const Date today = vietnam_date(at);
  for (const auto& [id, value] : *fields) {
    const FieldDefinition* field = definition.field(id);
    if (field == nullptr || !field->warn_if_past) continue;
    const auto day = day_of(value);
    if (!day || std::chrono::sys_days{*day} >= std::chrono::sys_days{today}) continue;
    warnings.push_back("field " + id + " is " + format_date(*day) + ", already past (today is " + format_date(today) +
                       "); check the date, deadlines count from it");
  }
  return warnings;
}

}  // namespace docket
