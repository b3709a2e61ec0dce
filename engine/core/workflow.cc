#include "core/workflow.h"

#include <algorithm>
#include <array>
#include <utility>

namespace docket {
namespace {

constexpr std::array<std::pair<FieldType, const char*>, 9> kFieldTypeNames{{
    {FieldType::text, "text"},
    {FieldType::long_text, "long_text"},
    {FieldType::date, "date"},
    {FieldType::datetime, "datetime"},
    {FieldType::integer, "integer"},
    {FieldType::enumeration, "enum"},
    {FieldType::org_unit, "org_unit"},
    {FieldType::party, "party"},
    {FieldType::user, "user"},
}};

template <typename T>
const T* find_by_id(const std::vector<T>& items, std::string_view id) {
  const auto it = std::find_if(items.begin(), items.end(), [&](const T& item) { return item.id == id; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

const char* to_string(FieldType type) {
  for (const auto& [candidate, name] : kFieldTypeNames) {
    if (candidate == type) return name;
  }
  return "?";
}

std::optional<FieldType> field_type_from_string(std::string_view name) {
  for (const auto& [type, candidate] : kFieldTypeNames) {
    if (name == candidate) return type;
  }
  return std::nullopt;
}

bool FieldDefinition::allows_value(std::string_view value) const { return find_by_id(values, value) != nullptr; }

bool TransitionDefinition::leaves_from(const std::string& stage_id, bool stage_is_terminal) const {
  if (from_any) return !stage_is_terminal;
  return std::find(from.begin(), from.end(), stage_id) != from.end();
}

const StageDefinition* WorkflowDefinition::stage(std::string_view stage_id) const {
  return find_by_id(stages, stage_id);
}
const FieldDefinition* WorkflowDefinition::field(std::string_view field_id) const {
  return find_by_id(fields, field_id);
}
const TransitionDefinition* WorkflowDefinition::transition(std::string_view transition_id) const {
  return find_by_id(transitions, transition_id);
}
const Choice* WorkflowDefinition::role(std::string_view role_id) const { return find_by_id(roles, role_id); }
const Choice* WorkflowDefinition::document_kind(std::string_view kind_id) const {
  return find_by_id(document_kinds, kind_id);
}

const StageDefinition* WorkflowDefinition::initial_stage() const {
  const auto it = std::find_if(stages.begin(), stages.end(), [](const StageDefinition& s) { return s.initial; });
  return it == stages.end() ? nullptr : &*it;
}

std::vector<const TransitionDefinition*> WorkflowDefinition::transitions_from(std::string_view stage_id) const {
  std::vector<const TransitionDefinition*> result;
  const StageDefinition* from_stage = stage(stage_id);
  if (from_stage == nullptr) return result;
  for (const auto& transition : transitions) {
    if (transition.leaves_from(from_stage->id, from_stage->terminal)) result.push_back(&transition);
  }
  return result;
}

const FieldDefinition* WorkflowDefinition::form_field() const {
  const auto found = std::find_if(fields.begin(), fields.end(), [](const FieldDefinition& field) {
    const std::string_view name = field.id;
    return field.type == FieldType::enumeration &&
           (name == "form" || (name.size() > 5 && name.substr(name.size() - 5) == "_form"));
  });
  return found == fields.end() ? nullptr : &*found;
}

}  // namespace docket
