// A workflow definition: the stages a kind of case moves through, who may move it, and the
// fields and deadlines it carries. Definitions are data (files in workflows/), read by the
// loader and checked by the validator before any case uses them. Immutable once loaded;
// safe to share between threads as const.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/text.h"

namespace docket {

enum class FieldType { text, long_text, date, datetime, integer, enumeration, org_unit, party, user };

// "enum" for FieldType::enumeration; the other names are as written.
const char* to_string(FieldType type);
std::optional<FieldType> field_type_from_string(std::string_view name);

struct Choice {  // a role, a document kind or an enum value: an id with its label
  std::string id;
  Label label;
  bool operator==(const Choice&) const = default;
};

struct FieldDefinition {
  std::string id;
  Label label;
  FieldType type = FieldType::text;
  bool required_at_open = false;
  std::vector<Choice> values;  // FieldType::enumeration only
  // Date and datetime fields: a value already past when it is given is accepted with a warning
  // (a working session planned for a day already gone is more likely a typing mistake).
  bool warn_if_past = false;

  bool allows_value(std::string_view value) const;  // enum fields: is `value` one of values
  bool operator==(const FieldDefinition&) const = default;
};

enum class DeadlineUnit { days, working_days };
enum class DeadlineDirection { after, before };

// When a stage must be finished. Parsed, validated and stored here; evaluated by the
// deadlines plugin.
struct DeadlineSpec {
  static constexpr const char* kEntered = "entered";
  std::string anchor = kEntered;  // "entered" (the stage) or the id of a date/datetime field
  int offset = 0;
  DeadlineUnit unit = DeadlineUnit::days;
  DeadlineDirection direction = DeadlineDirection::after;
  bool roll_to_working_day = false;
  std::vector<int> reminders;         // days before the due date
  std::optional<int> escalate_after;  // days after the due date
  std::string escalate_to;            // role, when escalate_after is set
  // The date field counted from while `anchor` (a field) has no value, e.g. the first day of a
  // working session until its last day is known. Empty: none.
  std::string fallback_anchor{};
  bool operator==(const DeadlineSpec&) const = default;
};

struct StageDefinition {
  std::string id;
  Label label;
  bool initial = false;
  bool terminal = false;
  std::optional<DeadlineSpec> deadline;
  bool operator==(const StageDefinition&) const = default;
};

struct Requirements {
  std::vector<std::string> fields;     // must have a value
  std::vector<std::string> documents;  // a document of each kind must be attached
  bool all_recommendations_answered = false;
  struct ValueCondition {  // an enum field must hold one of `values`
    std::string field;
    std::vector<std::string> values;
    bool operator==(const ValueCondition&) const = default;
  };
  std::vector<ValueCondition> field_values;
  bool operator==(const Requirements&) const = default;
};

// What taking a transition records as held, for the review figures (docs/reports.md): a
// dialogue, a conference, or whichever of the two the case's form field names (`form`).
enum class Held { nothing, dialogue, conference, form };

struct TransitionDefinition {
  std::string id;
  Label label;
  bool from_any = false;  // "from": "*": every non-terminal stage
  std::vector<std::string> from;
  std::string to;
  std::vector<std::string> roles;  // "role", "role@above" or "role@escalated" (core/acting.h)
  Requirements requires_;
  std::vector<std::string> sets;  // fields the command must supply
  bool from_is_list = false;      // "from" was written as a list (error paths carry the index)
  Held held = Held::nothing;
  // Date or datetime fields the transition sets to when it is made (its date in Vietnam for a
  // date field), e.g. the day recommendations were issued, so that a deadline can be anchored
  // to that moment rather than to the last time a stage was entered.
  std::vector<std::string> stamps{};
  // Taking it sends the case's recommendations to their addressees (core/recommendation_rules.h).
  bool issues_recommendations = false;

  bool leaves_from(const std::string& stage_id, bool stage_is_terminal) const;
  bool operator==(const TransitionDefinition&) const = default;
};

// Which roles may issue the commands that are not transitions, and who sees what. The lists of
// commands name roles with a scope ("role", "role@above", "role@escalated": core/acting.h);
// read_below and outside_parties name plain roles.
struct Permissions {
  std::vector<std::string> open, assign, comment, set_fields, attach, recommend, answer;
  // Who issues the case's documents through the outgoing register (workspace/issue_document.h);
  // a file that leaves it out gives it to those who may recommend.
  std::vector<std::string> issue;
  // Roles that may also read the cases of every unit below the one where they hold the role.
  std::vector<std::string> read_below;
  // Roles held by outside bodies (a drafting body, a supervised body): a user whose roles at a
  // unit are all of these sees only the cases whose party fields name them.
  std::vector<std::string> outside_parties;
  bool operator==(const Permissions&) const = default;
};

// When a case's dossier came late: the date field `received` is fewer than `days` days before
// the date field `due` (social critique: received fewer than 15 days before the draft is
// submitted, Law Art. 36.1). Counted in the review figures; nothing is refused for it.
struct LateDossierRule {
  std::string received;
  std::string due;
  int days = 0;
  bool operator==(const LateDossierRule&) const = default;
};

struct WorkflowDefinition {
  std::string id;
  int version = 0;
  Label title;
  Label description;
  std::string case_prefix;
  std::vector<Choice> roles;
  std::vector<Choice> document_kinds;
  Permissions permissions;
  std::vector<FieldDefinition> fields;
  std::vector<StageDefinition> stages;
  std::vector<TransitionDefinition> transitions;
  // Whether its cases are work the review figures count (supervisions, critiques); false for
  // the reports units send up (periodic-report), which are not work items.
  bool counts_as_work = true;
  std::optional<LateDossierRule> late_dossier;

  // Lookups by id; nullptr when absent.
  const StageDefinition* stage(std::string_view stage_id) const;
  const FieldDefinition* field(std::string_view field_id) const;
  const TransitionDefinition* transition(std::string_view transition_id) const;
  const Choice* role(std::string_view role_id) const;
  const Choice* document_kind(std::string_view kind_id) const;
  // The form field (hình thức): the enumeration field named "form" or ending in "_form"
  // ("critique_form", "supervision_form"); nullptr when the workflow has none.
  const FieldDefinition* form_field() const;
  // The first stage marked initial; nullptr when there is none (the validator rejects that).
  const StageDefinition* initial_stage() const;
  // The transitions that may leave `stage_id`, in file order.
  std::vector<const TransitionDefinition*> transitions_from(std::string_view stage_id) const;
  bool operator==(const WorkflowDefinition&) const = default;
};

}  // namespace docket
