#include "core/workflow_validator.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/acting.h"

namespace docket {
namespace {

std::string at(const std::string& collection, std::size_t index) {
  return "$." + collection + "[" + std::to_string(index) + "]";
}

bool is_identifier(const std::string& id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::islower(c) || std::isdigit(c) || c == '_' || c == '-';
  });
}

class Checker {
 public:
  Checker(const WorkflowDefinition& definition, ValidationMode mode) : def_(definition), mode_(mode) {}

  std::vector<Diagnostic> run() {
    check_header();
    check_ids();
    check_permissions();
    check_fields();
    check_stages();
    check_transitions();
    check_late_dossier();
    if (!has_errors(found_)) check_graph();
    return std::move(found_);
  }

 private:
  void error(std::string path, std::string message) {
    found_.push_back({Severity::error, std::move(path), std::move(message)});
  }
  void warning(std::string path, std::string message) {
    found_.push_back({Severity::warning, std::move(path), std::move(message)});
  }

  void check_header() {
    if (!is_identifier(def_.id))
      error("$.id", "id " + in_quotes(def_.id) + " must be lower-case letters, digits, '-' or '_'");
    if (def_.version < 1) error("$.version", "version must be an integer of at least 1");
    const auto& prefix = def_.case_prefix;
    if (prefix.empty() || prefix.size() > 6 ||
        !std::all_of(prefix.begin(), prefix.end(), [](unsigned char c) { return c >= 'A' && c <= 'Z'; })) {
      error("$.case_prefix", "case_prefix " + in_quotes(prefix) + " must be 1 to 6 capital letters A-Z");
    }
  }

  template <typename T>
  void unique_ids(const std::vector<T>& items, const std::string& collection) {
    std::map<std::string, std::size_t> first_seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string& id = items[i].id;
      if (!is_identifier(id)) {
        error(at(collection, i) + ".id", "id " + in_quotes(id) + " must be lower-case letters, digits, '-' or '_'");
      }
      const auto [it, inserted] = first_seen.emplace(id, i);
      if (!inserted) {
        error(at(collection, i) + ".id",
              "duplicate id " + in_quotes(id) + " (first used at " + at(collection, it->second) + ")");
      }
    }
  }

  void check_ids() {
    unique_ids(def_.roles, "roles");
    unique_ids(def_.document_kinds, "document_kinds");
    unique_ids(def_.fields, "fields");
    unique_ids(def_.stages, "stages");
    unique_ids(def_.transitions, "transitions");
    for (std::size_t i = 0; i < def_.fields.size(); ++i)
      unique_ids(def_.fields[i].values, "fields[" + std::to_string(i) + "].values");
  }

  void known_roles(const std::vector<std::string>& roles, const std::string& path) {
    for (std::size_t i = 0; i < roles.size(); ++i) {
      if (def_.role(roles[i]) == nullptr) {
        error(path + "[" + std::to_string(i) + "]",
              "unknown role " + in_quotes(roles[i]) + " (not declared in $.roles)");
      }
    }
  }

  // Entries of the lists that name who may act: "role", "role@above" or "role@escalated".
  void known_scoped_roles(const std::vector<std::string>& entries, const std::string& path) {
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const std::string where = path + "[" + std::to_string(i) + "]";
      const auto entry = parse_role_entry(entries[i]);
      if (!entry) {
        error(where, "role " + in_quotes(entries[i]) +
                         " has an unknown scope; write \"role\", \"role@above\" or \"role@escalated\"");
      } else if (def_.role(entry->role) == nullptr) {
        error(where, "unknown role " + in_quotes(entry->role) + " (not declared in $.roles)");
      }
    }
  }

  void check_permissions() {
    const auto& p = def_.permissions;
    const std::pair<const char*, const std::vector<std::string>*> acting[] = {
        {"open", &p.open},     {"assign", &p.assign},       {"comment", &p.comment}, {"set_fields", &p.set_fields},
        {"attach", &p.attach}, {"recommend", &p.recommend}, {"answer", &p.answer},   {"issue", &p.issue}};
    for (const auto& [name, roles] : acting) known_scoped_roles(*roles, std::string("$.permissions.") + name);
    for (std::size_t i = 0; i < p.open.size(); ++i) {
      const auto entry = parse_role_entry(p.open[i]);
      if (entry && entry->scope == RoleScope::escalated)
        error("$.permissions.open[" + std::to_string(i) + "]", "a case cannot be escalated before it is opened");
    }
    known_roles(p.read_below, "$.permissions.read_below");
    known_roles(p.outside_parties, "$.permissions.outside_parties");
  }

  void check_fields() {
    for (std::size_t i = 0; i < def_.fields.size(); ++i) {
      const auto& field = def_.fields[i];
      const bool is_enum = field.type == FieldType::enumeration;
      if (is_enum && field.values.empty())
        error(at("fields", i) + ".values", "enum field " + in_quotes(field.id) + " needs at least one value");
      if (!is_enum && !field.values.empty()) {
        error(at("fields", i) + ".values", "field " + in_quotes(field.id) + " of type " + to_string(field.type) +
                                               " cannot list values; only enum fields do");
      }
      if (field.warn_if_past && field.type != FieldType::date && field.type != FieldType::datetime) {
        error(at("fields", i) + ".warn_if_past",
              "field " + in_quotes(field.id) + " of type " + to_string(field.type) + " is not a date or datetime");
      }
    }
  }

  void check_anchor_field(const std::string& anchor, const std::string& path) {
    const FieldDefinition* field = def_.field(anchor);
    if (field == nullptr) {
      error(path, "anchor " + in_quotes(anchor) + " is neither \"entered\" nor a declared field");
    } else if (field->type != FieldType::date && field->type != FieldType::datetime) {
      error(path, "anchor field " + in_quotes(anchor) + " is of type " + to_string(field->type) +
                      "; a deadline can only be anchored to a date or datetime field");
    }
  }

  void check_deadline(const DeadlineSpec& deadline, const std::string& path) {
    if (deadline.anchor != DeadlineSpec::kEntered) check_anchor_field(deadline.anchor, path + ".anchor");
    if (!deadline.fallback_anchor.empty()) {
      if (deadline.anchor == DeadlineSpec::kEntered) {
        error(path + ".fallback_anchor", "a deadline anchored to \"entered\" always has its anchor; no fallback");
      } else if (deadline.fallback_anchor == deadline.anchor) {
        error(path + ".fallback_anchor", "the fallback anchor is the anchor itself");
      } else if (deadline.fallback_anchor != DeadlineSpec::kEntered) {
        check_anchor_field(deadline.fallback_anchor, path + ".fallback_anchor");
      }
    }
    if (deadline.offset < 0) error(path + ".offset", "offset must not be negative; use \"direction\" for before/after");
    if (deadline.offset > kMaxDeadlineOffset)
      error(path + ".offset", "offset " + std::to_string(deadline.offset) + " is more than " +
                                  std::to_string(kMaxDeadlineOffset) + " (about ten years): a mistake, surely");
    for (std::size_t i = 0; i < deadline.reminders.size(); ++i) {
      if (deadline.reminders[i] <= 0)
        error(path + ".reminders[" + std::to_string(i) + "]",
              "a reminder is a positive number of days before the due date");
      if (deadline.reminders[i] > kMaxDeadlineLead)
        error(path + ".reminders[" + std::to_string(i) + "]",
              "a reminder more than " + std::to_string(kMaxDeadlineLead) + " days before the due date");
    }
    if (deadline.escalate_after && *deadline.escalate_after < 0)
      error(path + ".escalate_after", "escalate_after must not be negative");
    if (deadline.escalate_after && *deadline.escalate_after > kMaxDeadlineLead)
      error(path + ".escalate_after", "escalate_after " + std::to_string(*deadline.escalate_after) + " is more than " +
                                          std::to_string(kMaxDeadlineLead) + " days");
    if (deadline.escalate_after && deadline.escalate_to.empty())
      error(path, "escalate_after needs escalate_to (the role made responsible)");
    if (!deadline.escalate_to.empty() && def_.role(deadline.escalate_to) == nullptr) {
      error(path + ".escalate_to", "unknown role " + in_quotes(deadline.escalate_to) + " (not declared in $.roles)");
    } else if (!deadline.escalate_to.empty()) {
      check_escalation_reaches(deadline.escalate_to, path + ".escalate_to");
    }
  }

  // An escalation goes to the unit above: some transition must let that role act there.
  void check_escalation_reaches(const std::string& role, const std::string& path) {
    const bool named = std::any_of(def_.transitions.begin(), def_.transitions.end(), [&](const auto& transition) {
      return std::any_of(transition.roles.begin(), transition.roles.end(), [&](const std::string& entry) {
        const auto parsed = parse_role_entry(entry);
        return parsed && parsed->role == role && parsed->scope != RoleScope::unit;
      });
    });
    if (named) return;
    const std::string message = "escalate_to " + in_quotes(role) + " reaches nobody who can act: no transition names " +
                                in_quotes(role + "@above") + " or " + in_quotes(role + "@escalated");
    if (mode_ == ValidationMode::installed) {
      warning(path, message);
    } else {
      error(path, message);
    }
  }

  void check_stages() {
    std::vector<std::size_t> initial;
    bool any_terminal = false;
    for (std::size_t i = 0; i < def_.stages.size(); ++i) {
      const auto& stage = def_.stages[i];
      if (stage.initial) initial.push_back(i);
      any_terminal = any_terminal || stage.terminal;
      if (stage.initial && stage.terminal)
        error(at("stages", i), "stage " + in_quotes(stage.id) + " cannot be both initial and terminal");
      if (stage.deadline) check_deadline(*stage.deadline, at("stages", i) + ".deadline");
      if (!stage.terminal && !stage.deadline) {
        warning(at("stages", i), "non-terminal stage " + in_quotes(stage.id) + " has no deadline");
      }
    }
    if (initial.empty()) error("$.stages", "no initial stage: mark exactly one stage \"initial\": true");
    for (std::size_t k = 1; k < initial.size(); ++k) {
      error(at("stages", initial[k]) + ".initial",
            "more than one initial stage: " + in_quotes(def_.stages[initial[0]].id) + " and " +
                in_quotes(def_.stages[initial[k]].id));
    }
    if (!any_terminal) error("$.stages", "no terminal stage: mark at least one stage \"terminal\": true");
  }

  void known_fields(const std::vector<std::string>& fields, const std::string& path) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (def_.field(fields[i]) == nullptr)
        error(path + "[" + std::to_string(i) + "]",
              "unknown field " + in_quotes(fields[i]) + " (not declared in $.fields)");
    }
  }

  void check_requirements(const Requirements& requires_, const std::string& path) {
    known_fields(requires_.fields, path + ".fields");
    for (std::size_t i = 0; i < requires_.documents.size(); ++i) {
      if (def_.document_kind(requires_.documents[i]) == nullptr) {
        error(path + ".documents[" + std::to_string(i) + "]",
              "unknown document kind " + in_quotes(requires_.documents[i]) + " (not declared in $.document_kinds)");
      }
    }
    for (const auto& condition : requires_.field_values) {
      const std::string where = path + ".field_values." + condition.field;
      const FieldDefinition* field = def_.field(condition.field);
      if (field == nullptr) {
        error(where, "unknown field " + in_quotes(condition.field) + " (not declared in $.fields)");
      } else if (field->type != FieldType::enumeration) {
        error(where,
              "field " + in_quotes(condition.field) + " is not an enum; field_values only applies to enum fields");
      } else {
        for (std::size_t i = 0; i < condition.values.size(); ++i) {
          if (!field->allows_value(condition.values[i])) {
            error(where + "[" + std::to_string(i) + "]", "value " + in_quotes(condition.values[i]) +
                                                             " is not one of the values of field " +
                                                             in_quotes(condition.field));
          }
        }
      }
    }
  }

  void check_transitions() {
    for (std::size_t i = 0; i < def_.transitions.size(); ++i) {
      const auto& transition = def_.transitions[i];
      const std::string path = at("transitions", i);
      for (std::size_t k = 0; k < transition.from.size(); ++k) {
        const StageDefinition* from = def_.stage(transition.from[k]);
        const std::string where = path + ".from" + (transition.from_is_list ? "[" + std::to_string(k) + "]" : "");
        if (from == nullptr) {
          error(where, "unknown stage " + in_quotes(transition.from[k]));
        } else if (from->terminal) {
          error(where, "transition " + in_quotes(transition.id) + " leaves terminal stage " + in_quotes(from->id) +
                           "; a terminal stage ends the case");
        }
      }
      if (def_.stage(transition.to) == nullptr) error(path + ".to", "unknown stage " + in_quotes(transition.to));
      if (transition.roles.empty())
        error(path + ".roles", "transition " + in_quotes(transition.id) + " names no role that may make it");
      known_scoped_roles(transition.roles, path + ".roles");
      check_requirements(transition.requires_, path + ".requires");
      known_fields(transition.sets, path + ".sets");
      if (transition.held == Held::form && def_.form_field() == nullptr) {
        error(path + ".held", "\"held\": \"form\" needs a form field (an enum field named form or *_form)");
      }
      check_stamps(transition, path + ".stamps");
      if (transition.issues_recommendations && def_.permissions.recommend.empty()) {
        error(path + ".issues_recommendations", "transition " + in_quotes(transition.id) +
                                                    " issues recommendations, but $.permissions.recommend names "
                                                    "nobody who may add them");
      }
    }
  }

  // A stamped field holds when the transition was made: a date or datetime field that the
  // command does not also supply.
  void check_stamps(const TransitionDefinition& transition, const std::string& path) {
    known_fields(transition.stamps, path);
    for (std::size_t i = 0; i < transition.stamps.size(); ++i) {
      const std::string& id = transition.stamps[i];
      const FieldDefinition* field = def_.field(id);
      const std::string where = path + "[" + std::to_string(i) + "]";
      if (field != nullptr && field->type != FieldType::date && field->type != FieldType::datetime) {
        error(where, "field " + in_quotes(id) + " is of type " + to_string(field->type) +
                         "; a transition can only stamp a date or datetime field");
      }
      if (std::find(transition.sets.begin(), transition.sets.end(), id) != transition.sets.end())
        error(where, "field " + in_quotes(id) + " is both in \"sets\" (given by the user) and stamped");
    }
  }

  void check_late_dossier() {
    if (!def_.late_dossier) return;
    const LateDossierRule& rule = *def_.late_dossier;
    for (const auto& [key, id] : {std::pair{"received", rule.received}, std::pair{"due", rule.due}}) {
      const FieldDefinition* field = def_.field(id);
      if (field == nullptr) {
        error(std::string("$.late_dossier.") + key, "unknown field " + in_quotes(id) + " (not declared in $.fields)");
      } else if (field->type != FieldType::date) {
        error(std::string("$.late_dossier.") + key,
              "field " + in_quotes(id) + " is of type " + to_string(field->type) + "; a date field is needed");
      }
    }
    if (rule.days < 1 || rule.days > 366) error("$.late_dossier.days", "days must be from 1 to 366");
  }

  // Reachability both ways: from the initial stage forward, and from the terminal stages back.
  void check_graph() {
    const std::size_t n = def_.stages.size();
    std::vector<std::set<std::size_t>> next(n);
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < n; ++i) index[def_.stages[i].id] = i;
    for (const auto& transition : def_.transitions) {
      for (std::size_t i = 0; i < n; ++i) {
        if (transition.leaves_from(def_.stages[i].id, def_.stages[i].terminal)) next[i].insert(index[transition.to]);
      }
    }
    std::vector<bool> reached(n, false);
    std::vector<std::size_t> work{index[def_.initial_stage()->id]};
    reached[work.back()] = true;
    while (!work.empty()) {
      const std::size_t s = work.back();
      work.pop_back();
      for (std::size_t t : next[s]) {
        if (!reached[t]) reached[t] = true, work.push_back(t);
      }
    }
    std::vector<bool> can_finish(n, false);
    for (std::size_t i = 0; i < n; ++i) can_finish[i] = def_.stages[i].terminal;
    for (bool changed = true; changed;) {
      changed = false;
      for (std::size_t i = 0; i < n; ++i) {
        if (can_finish[i]) continue;
        for (std::size_t t : next[i]) {
          if (can_finish[t]) {
            can_finish[i] = changed = true;
            break;
          }
        }
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      const auto& stage = def_.stages[i];
      if (!reached[i])
        error(at("stages", i), "stage " + in_quotes(stage.id) + " cannot be reached from the initial stage");
      if (!stage.terminal && next[i].empty()) {
        error(at("stages", i), "non-terminal stage " + in_quotes(stage.id) + " has no transition out of it");
      } else if (!can_finish[i]) {
        error(at("stages", i), "no terminal stage can be reached from stage " + in_quotes(stage.id));
      }
    }
  }

  const WorkflowDefinition& def_;
  const ValidationMode mode_;
  std::vector<Diagnostic> found_;
};

}  // namespace

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::error; });
}

std::vector<Diagnostic> validate_workflow(const WorkflowDefinition& definition, ValidationMode mode) {
  return Checker(definition, mode).run();
}

}  // namespace docket
