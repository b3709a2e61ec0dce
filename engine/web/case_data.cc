#include "web/case_data.h"

#include "core/acting.h"
#include "core/deadline.h"

namespace docket::web {

std::string user_name(Workspace& workspace, const std::string& user) {
  if (user.empty()) return "";
  if (user == "system") return "Docket";
  auto found = workspace.directory().user(user);
  return found && !found->name.empty() ? found->name : user;
}

std::string unit_name(Workspace& workspace, const std::string& unit) {
  auto found = workspace.directory().unit(unit);
  return found ? found->name : unit;
}

Data case_row(Workspace& workspace, const Case& current, const Language& language) {
  Data row;
  row.set("number", current.number);
  row.set("title", current.title);
  row.set("unit", unit_name(workspace, current.unit));
  row.set("assignee_name", user_name(workspace, current.assignee));
  if (!current.assignee.empty()) row.set("assigned", true);
  const WorkflowDefinition* definition = workspace.catalog().find(current.workflow_id, current.workflow_version);
  row.set("workflow", definition ? label(language, definition->title) : current.workflow_id);
  const StageDefinition* stage = definition ? definition->stage(current.stage) : nullptr;
  row.set("stage", stage ? label(language, stage->label) : current.stage);
  if (stage && stage->terminal) row.set("closed", true);
  if (current.deadline && !current.deadline->due.empty() && !(stage && stage->terminal)) {
    row.set("due", show_date(current.deadline->due));
    const auto due = parse_date(current.deadline->due);
    const Date today = vietnam_date(workspace.clock().now());
    if (current.deadline->breached || workspace.clock().now() >= current.deadline->due_at) {
      row.set("overdue", true);
    } else if (due && days_left(workspace.calendar(), today, *due, DeadlineUnit::working_days) <= 3) {
      row.set("due_soon", true);
    }
    if (!current.deadline->escalated_to_role.empty()) row.set("escalated", true);
  }
  return row;
}

List document_kinds(const WorkflowDefinition& definition, const Language& language) {
  List kinds{Data::type::list};
  for (const Choice& kind : definition.document_kinds) {
    Data item;
    item.set("id", kind.id);
    item.set("label", label(language, kind.label));
    kinds.push_back(item);
  }
  return kinds;
}

std::string field_text(Workspace& workspace, const FieldDefinition& field, const std::string& value,
                       const Language& language) {
  switch (field.type) {
    case FieldType::enumeration:
      for (const Choice& choice : field.values) {
        if (choice.id == value) return label(language, choice.label);
      }
      return value;
    case FieldType::date:
      return show_date(value);
    case FieldType::datetime: {
      const auto at = parse_datetime(value);
      return at ? show_time(*at) : value;
    }
    case FieldType::party:
    case FieldType::user:
      return user_name(workspace, value);
    case FieldType::org_unit:
      return unit_name(workspace, value);
    default:
      return value;
  }
}

Data field_input(Workspace& workspace, const WorkflowDefinition& definition, const FieldDefinition& field,
                 const std::string& value, bool required, const Language& language, const std::string& prefix) {
  Data input;
  input.set("id", field.id);
  input.set("input_id", prefix + field.id);
  input.set("label", label(language, field.label));
  input.set("value", value);
  if (required) input.set("required", true);
  List options{Data::type::list};
  const auto option = [&](const std::string& id, const std::string& text) {
    Data choice;
    choice.set("value", id);
    choice.set("text", text);
    if (id == value) choice.set("selected", true);
    options.push_back(choice);
  };
  switch (field.type) {
    case FieldType::long_text:
      input.set("type_long", true);
      break;
    case FieldType::date:
      input.set("type_date", true);
      break;
    case FieldType::datetime:
      input.set("type_datetime", true);
      break;
    case FieldType::integer:
      input.set("type_number", true);
      break;
    case FieldType::enumeration:
      input.set("type_select", true);
      for (const Choice& choice : field.values) option(choice.id, label(language, choice.label));
      break;
    case FieldType::party:
    case FieldType::user: {
      input.set("type_select", true);
      // Parties: the outside bodies of the workflow; users: its members.
      auto users = workspace.directory().users();
      if (!users) break;
      for (const User& user : *users) {
        bool fits = false;
        for (const UserRole& held : user.roles) {
          const auto& parties = definition.permissions.outside_parties;
          const bool outside = std::find(parties.begin(), parties.end(), held.role) != parties.end();
          if (definition.role(held.role) != nullptr && outside == (field.type == FieldType::party)) fits = true;
        }
        if (fits) option(user.id, user.name + " (" + user.id + ")");
      }
      break;
    }
    case FieldType::org_unit: {
      input.set("type_select", true);
      if (auto units = workspace.directory().units()) {
        for (const OrgUnit& unit : *units) option(unit.id, unit.name);
      }
      break;
    }
    default:
      input.set("type_text", true);
  }
  if (input.get("type_select") != nullptr) {
    Data none;
    none.set("value", "");
    none.set("text", "—");
    List with_none{Data::type::list};
    with_none.push_back(none);
    for (const auto& choice : options.list_value()) with_none.push_back(choice);
    input.set("options", with_none);
  }
  return input;
}

}  // namespace docket::web
