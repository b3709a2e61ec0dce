// Warnings about values a command gives that the workflow accepts but a person should look at
// again: a date field marked "warn_if_past" set to a day already gone (a working session
// planned for last week is more likely a typing mistake than a plan), a party field naming
// someone who is not a user (nobody from that body can read or answer the case until they
// are). They never refuse the command; the CLI prints them and the API returns them with the
// changed case (workspace/value_warnings.h gathers them for both). Pure; thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/command.h"
#include "core/time.h"
#include "core/workflow.h"

namespace docket {

// One line per value of `command` (opening, setting fields, a transition's fields) that sets a
// "warn_if_past" field of `definition` to a day before `at`'s date in Vietnam, naming the field,
// the value and today; and per party field it sets to an account id ([a-z0-9._-], not a
// body's name) for which `is_user` is false, naming the field and the id. Empty when there is nothing to say (values
// that are not dates are the state machine's to refuse, not this function's).
std::vector<std::string> field_warnings(const WorkflowDefinition& definition, const Command& command, Timestamp at,
                                        const std::function<bool(const std::string&)>& is_user);

}  // namespace docket
