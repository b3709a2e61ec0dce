// The pieces of case data the pages share, as template data: a case's summary line, a field's
// input, a deadline's words. Reads through the Workspace it is given (names of users and
// units, the calendar). Thread-safety: as the Workspace.
#pragma once

#include <string>

#include "core/case.h"
#include "core/workflow.h"
#include "web/page.h"
#include "workspace/workspace.h"

namespace docket::web {

// A user's full name, or their id when unknown.
std::string user_name(Workspace& workspace, const std::string& user);
// A unit's name, or its id when unknown.
std::string unit_name(Workspace& workspace, const std::string& unit);

// One case as a row of a list: number, title, workflow, unit, stage, assignee_name (and
// `assigned` when someone holds it), due date,
// and the marks `overdue` (past its due date) or `due_soon` (within 3 working days).
Data case_row(Workspace& workspace, const Case& current, const Language& language);

// An input for `field`: its id, input_id (`prefix` + id: unique on the page), label, `value`,
// `required`, and one of the flags type_text, type_long, type_date, type_datetime, type_number,
// type_select (with `options`). Its form name is "field.<id>".
Data field_input(Workspace& workspace, const WorkflowDefinition& definition, const FieldDefinition& field,
                 const std::string& value, bool required, const Language& language, const std::string& prefix = "f-");

// The workflow's document kinds as choices: id and label.
List document_kinds(const WorkflowDefinition& definition, const Language& language);

// A field's value as people read it: an enum's label, a date as dd/mm/yyyy, a user's name.
std::string field_text(Workspace& workspace, const FieldDefinition& field, const std::string& value,
                       const Language& language);

}  // namespace docket::web
